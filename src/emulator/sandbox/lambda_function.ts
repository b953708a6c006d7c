/**
 * One function as Lambda runs it: environments started on demand (cold starts) and reused
 * after, each running one invocation at a time, more of them while the function is busy, up
 * to its cap (or one environment running N at once in Managed Instances mode); a deadline per
 * invocation, and Lambda's answers when the code gives none — a throttle, a timeout, an init
 * failure, a runtime that exited. Each invocation is framed by `START`, `END` and `REPORT`
 * lines. Keeping the environments is `sandbox_pool.ts`'s job.
 *
 * @module
 */

import { describeExit, FunctionProcess } from "./function_process.ts";
import { FunctionSandbox, INIT_TIMEOUT_MS, type InitFailure } from "./function_sandbox.ts";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_ENVIRONMENTS,
  SandboxPool,
  SYSTEM_CLOCK,
} from "./sandbox_pool.ts";
import type {
  ErrorOutcome,
  InvokeMetadata,
  LambdaFunctionOptions,
  Outcome,
} from "./function_types.ts";
import {
  exitError,
  initFailureOutcome,
  plainError,
  plainValue,
  throttleError,
  timeoutError,
  type TooManyRequestsError,
} from "./lambda_errors.ts";
import { DEFAULT_MAX_QUEUED_EVENTS, eventFailure, EventQueue } from "./event_queue.ts";
import { endLine, initFailureLines, reportLine, startLine } from "./report.ts";

export type {
  ErrorOutcome,
  InvokeMetadata,
  LambdaFunctionOptions,
  Outcome,
  ResponseOutcome,
  StreamOutcome,
} from "./function_types.ts";

/**
 * A function: its environments, and Lambda's rules for starting, reusing, adding and
 * replacing them.
 *
 * @example Invoke echo twice: a cold start, then a warm one
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LambdaFunction } from "./lambda_function.ts";
 *
 * const lines: string[] = [];
 * await using echo = new LambdaFunction({
 *   name: "echo",
 *   command: [Deno.execPath(), "run", "-A", "src/main.ts"],
 *   cwd: Deno.cwd(),
 *   env: { _HANDLER: "echo.handler", PATH: Deno.env.get("PATH") ?? "" },
 *   timeoutMs: 3000,
 *   memoryMb: 128,
 *   log: (line) => lines.push(line),
 * });
 * const first = await echo.invoke('{"hi":1}');
 * equal(first.kind, "response");
 * await echo.invoke('{"hi":2}');
 * equal(lines.filter((line) => line.includes("Init Duration")).length, 1);
 * ```
 */
export class LambdaFunction implements AsyncDisposable {
  readonly #options: LambdaFunctionOptions;
  readonly #pool: SandboxPool;
  readonly #events: EventQueue;
  #closed = false;

  /**
   * Makes the function; no process starts until the first invocation.
   *
   * @param options The command, environment, limits and log.
   */
  constructor(options: LambdaFunctionOptions) {
    this.#options = options;
    const managed = options.concurrency !== undefined;
    const capacity = options.concurrency ?? 1;
    const maxSandboxes = managed ? 1 : Math.min(
      options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS,
      options.reservedConcurrency ?? Infinity,
    );
    this.#pool = new SandboxPool({
      maxSandboxes,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      clock: options.clock ?? SYSTEM_CLOCK,
      spawn: (gone) =>
        new FunctionSandbox(options, capacity, {
          log: (line, requestId) => this.#log(line, requestId),
          gone,
        }),
    });
    this.#events = new EventQueue(
      options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
      Math.max(1, maxSandboxes * capacity),
    );
  }

  /** The function's name. */
  get name(): string {
    return this.#options.name;
  }

  /** Its environments alive now (each a runtime process): idle, busy, or starting. */
  get environments(): number {
    return this.#pool.size;
  }

  /**
   * Invokes the function: takes a free environment, or starts one (a cold start) if there are
   * fewer than its cap, hands it the event, and waits for the answer or the deadline. In
   * Managed Instances mode, an invocation past the concurrency waits its turn instead.
   *
   * @param event The event as JSON text.
   * @param metadata Request id, trace id, client context, tenant.
   * @returns How the invocation ended; a stream keeps its environment until it ends.
   * @throws {TooManyRequestsError} (rejects) If every environment it may have is busy.
   * @throws {TypeError} (rejects) If the function has been closed.
   */
  invoke(event: string, metadata: InvokeMetadata = {}): Promise<Outcome> {
    return this.#invoke(event, metadata, this.#options.concurrency !== undefined);
  }

  /**
   * Queues an asynchronous (`Event`) invocation. Events run in arrival order, as many at once as
   * the function may have environments (they scale out, and wait rather than be throttled), so
   * a synchronous invocation competes with the events running, not with the whole backlog.
   * Nobody waits for an event's answer, so a failure is written to the log, labelled with the
   * request id, as Lambda records it.
   *
   * @param event The event as JSON text.
   * @param metadata The request id, and trace id, tenant and client context if any.
   * @returns `false` when the queue is full and the event was refused.
   * @throws {TooManyRequestsError} If the function may have no environment at all.
   * @throws {TypeError} If the function has been closed.
   */
  invokeEvent(event: string, metadata: InvokeMetadata & { readonly requestId: string }): boolean {
    if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
    if (this.#pool.maxSandboxes === 0) throw this.#throttled();
    return this.#events.offer(() =>
      this.#runEvent(event, metadata)
        .catch((error) => this.#log(`Event invocation ${metadata.requestId} failed: ${error}`))
    );
  }

  /**
   * Retires every environment once its invocations have ended; later invocations cold-start new
   * ones (after a source change, say).
   */
  restart(): void {
    this.#pool.restart();
  }

  /**
   * Reclaims the environments idle for longer than the idle timeout now, rather than when the
   * timer next fires.
   *
   * @returns How many were reclaimed, once their processes have ended.
   */
  reapIdle(): Promise<number> {
    return this.#pool.reap();
  }

  /**
   * Kills every runtime process; unfinished invocations end.
   *
   * @returns Resolves once the processes have exited.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const events = this.#events.close();
    await this.#pool.close();
    await events;
  }

  /**
   * Closes the function, for `await using`.
   *
   * @returns The same as {@linkcode close}.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #invoke(event: string, metadata: InvokeMetadata, wait: boolean): Promise<Outcome> {
    if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
    const requestId = metadata.requestId ?? crypto.randomUUID();
    const sandbox = await this.#pool.take(wait);
    // Closed while waiting for a slot: starting a runtime now would outlive the function.
    if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
    if (sandbox === undefined) throw this.#throttled();
    let keepSlot = false;
    try {
      const started = await sandbox.ready;
      if (!(started instanceof FunctionProcess)) return this.#initFailed(requestId, started);
      const outcome = await this.#run(sandbox, started, event, { ...metadata, requestId });
      keepSlot = outcome.kind === "stream";
      return outcome;
    } finally {
      if (!keepSlot) this.#pool.give(sandbox);
    }
  }

  #throttled(): TooManyRequestsError {
    return throttleError(this.name, this.#pool.maxSandboxes, this.#options.reservedConcurrency);
  }

  async #runEvent(event: string, metadata: InvokeMetadata & { requestId: string }): Promise<void> {
    let failure: string | undefined;
    try {
      failure = await eventFailure(await this.#invoke(event, metadata, true));
    } catch (error) {
      if (this.#closed) return;
      throw error;
    }
    // Killed at shutdown is not the function's failure.
    if (failure === undefined || this.#closed) return;
    this.#log(`Event invocation ${metadata.requestId} failed: ${failure}`);
  }

  #log(line: string, requestId?: string): void {
    this.#options.log(`[${this.name}] ${line}`, requestId);
  }

  #initFailed(requestId: string, init: InitFailure): ErrorOutcome {
    const initTimeoutMs = this.#options.initTimeoutMs ?? INIT_TIMEOUT_MS;
    const outcome = initFailureOutcome(requestId, init, initTimeoutMs);
    const lines = initFailureLines(requestId, init, outcome.errorType, this.#options.memoryMb);
    for (const line of lines) this.#log(line, requestId);
    return outcome;
  }

  async #run(
    sandbox: FunctionSandbox,
    process: FunctionProcess,
    event: string,
    metadata: InvokeMetadata & { readonly requestId: string },
  ): Promise<Outcome> {
    const o = this.#options;
    const { requestId } = metadata;
    const initDurationMs = sandbox.takeInitDuration();
    this.#log(startLine(requestId), requestId);
    // The environment's output belongs to this invocation until its REPORT.
    sandbox.begin(requestId);
    const startedAt = performance.now();
    const handle = process.invoke({ ...metadata, rawBody: event, timeoutMs: o.timeoutMs });
    const result = await process.untilExit(handle.result);
    const report = async (status?: "timeout" | "error", errorType?: string) => {
      const durationMs = performance.now() - startedAt;
      const maxMemoryUsedMb = await process.maxMemoryUsedMb();
      if (status === "timeout") this.#timedOut(sandbox, requestId);
      this.#log(endLine(requestId), requestId);
      const fields = { requestId, durationMs, memoryMb: o.memoryMb, maxMemoryUsedMb };
      this.#log(reportLine({ ...fields, initDurationMs, status, errorType }), requestId);
      sandbox.end(requestId);
    };
    switch (result.kind) {
      case "response":
        await report();
        return { kind: "response", requestId, contentType: result.contentType, body: result.body };
      case "error":
        await report();
        return {
          kind: "error",
          requestId,
          errorType: result.errorType,
          error: plainError(result.error),
        };
      case "stream": {
        const done = result.done.then(async (end) => {
          // A stream cut without trailers means the runtime went away mid-stream.
          const type = end.errorType ?? (end.complete ? undefined : "Runtime.ExitError");
          await report(
            type === undefined ? undefined : type === "Sandbox.Timedout" ? "timeout" : "error",
            type === "Sandbox.Timedout" ? undefined : type,
          );
          this.#pool.give(sandbox);
          return end.errorBody === undefined
            ? end
            : { ...end, errorBody: plainValue(end.errorBody) };
        });
        const { contentType, chunks } = result;
        return { kind: "stream", requestId, contentType, chunks, done };
      }
      case "timeout":
        await report("timeout");
        return timeoutError(requestId, o.timeoutMs);
      case "exited":
      case "closed": {
        const reason = result.kind === "exited" ? describeExit(result.status) : "signal: killed";
        const failure = exitError(requestId, reason);
        await report("error", failure.errorType);
        return failure;
      }
    }
  }

  #timedOut(sandbox: FunctionSandbox, requestId: string): void {
    const seconds = (this.#options.timeoutMs / 1000).toFixed(2);
    this.#log(
      `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`,
      requestId,
    );
    // Classic Lambda resets the environment of a timed-out invocation before it runs another;
    // it runs only this one, so nothing else is cut short.
    if (this.#options.concurrency === undefined) this.#pool.reset(sandbox);
  }
}
