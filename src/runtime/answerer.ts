/**
 * How a worker answers an invocation: the handler's result posted buffered or streamed, within
 * Lambda's limits, or the invocation's error reported and logged; and what the Runtime API's
 * status says about it, logged.
 *
 * @module
 */

import type { Context, Invocation } from "./context.ts";
import { capErrorBody, describeError, RuntimeError, toErrorBody } from "./errors.ts";
import { MAX_BUFFERED_RESPONSE_BYTES as MAX_RESPONSE_BYTES } from "../runtime_api/contract.ts";
import type { RuntimeAnswers } from "../runtime_api/requests.ts";
import { ErrorRecord, type LevelLogger } from "../process/logging.ts";
import { invocationScope } from "../process/scope.ts";
import { asStreamingResponse } from "./streaming.ts";

/** Posts each invocation's one answer. */
export class Answerer {
  readonly #api: RuntimeAnswers;
  readonly #log: LevelLogger;

  /**
   * @param api Where answers go.
   * @param log Where warnings, errors and `Invoke Error` lines go.
   */
  constructor(api: RuntimeAnswers, log: LevelLogger) {
    this.#api = api;
    this.#log = log;
  }

  /**
   * Posts the handler's result: streamed, or as JSON within Lambda's size limit; what cannot be
   * sent is reported as the invocation's error instead.
   *
   * @param invocation The invocation.
   * @param result What the handler returned.
   * @param ctx Its context, for the scope of the log lines.
   * @throws {RuntimeApiError} When the Runtime API fails.
   */
  async answer(invocation: Invocation, result: unknown, ctx: Context): Promise<void> {
    const stream = asStreamingResponse(result);
    if (stream !== undefined) {
      const outcome = await this.#api.respondStream(invocation, stream);
      if (!outcome.started) return await this.fail(invocation, outcome.bodyError, ctx);
      if (outcome.bodyError !== undefined) {
        // The error went out in the stream's trailers; the log line is Node's, in its scope.
        const record = new ErrorRecord(outcome.bodyError);
        invocationScope.run(ctx, this.#log, "ERROR", "Invoke Error", record);
      }
      if (outcome.status === undefined) {
        const errorMessage = describeError(outcome.connectionError);
        this.#log("ERROR", `Cannot stream the answer to ${invocation.requestId}: ${errorMessage}`);
      } else {
        this.#check(invocation, outcome.status, "streamed response");
      }
      return;
    }
    let json: string;
    try {
      json = JSON.stringify(result === undefined ? null : result) ?? "null";
    } catch (error) {
      // Node 22's words and type, so that callers matching on them keep working.
      return await this.fail(
        invocation,
        new Error("Unable to stringify response body", { cause: error }),
        ctx,
      );
    }
    // A string of n UTF-16 units is at most 3n bytes: only a result that might be too large is
    // measured, and one that is too large is reported without sending it.
    const size = json.length * 3 > MAX_RESPONSE_BYTES
      ? new TextEncoder().encode(json).length
      : undefined;
    const status = size !== undefined && size > MAX_RESPONSE_BYTES
      ? 413
      : await this.#api.respond(invocation, json);
    if (status === 413) {
      const bytes = size ?? new TextEncoder().encode(json).length;
      const message = `Response payload size (${bytes} bytes) exceeded maximum allowed payload ` +
        `size (${MAX_RESPONSE_BYTES} bytes).`;
      await this.fail(invocation, new RuntimeError("Function.ResponseSizeTooLarge", message), ctx);
      return;
    }
    this.#check(invocation, status, "response");
  }

  /**
   * Reports the invocation as failed, and logs it as an `Invoke Error` line in its scope. A report
   * larger than Lambda accepts is cut to fit, its trace first; one the Runtime API still refuses
   * as too large is replaced by a short one, so the invocation is answered either way.
   *
   * @param invocation The invocation.
   * @param thrown What the handler threw, or the runtime's own error.
   * @param ctx Its context.
   * @throws {RuntimeApiError} When the Runtime API fails.
   */
  async fail(invocation: Invocation, thrown: unknown, ctx: Context): Promise<void> {
    // Lambda's runtimes log every failed invocation, in its scope so the line names it.
    invocationScope.run(ctx, this.#log, "ERROR", "Invoke Error", new ErrorRecord(thrown));
    const body = capErrorBody(toErrorBody(thrown), MAX_RESPONSE_BYTES);
    let status = await this.#api.fail(invocation, body);
    if (status === 413) {
      this.#log("WARN", `The error report for ${invocation.requestId} was refused as too large`);
      status = await this.#api.fail(invocation, capErrorBody(body, 1024));
    }
    this.#check(invocation, status, "error report");
  }

  #check(invocation: Invocation, status: number, what: string): void {
    if (status === 202) return;
    const id = invocation.requestId;
    if (status === 410) {
      this.#log("WARN", `The ${what} for ${id} arrived after its deadline; Lambda discarded it`);
    } else if (status === 413) {
      this.#log("ERROR", `The ${what} for ${id} is larger than Lambda accepts`);
    } else {
      this.#log("WARN", `The Runtime API rejected the ${what} for ${id} with status ${status}`);
    }
  }
}
