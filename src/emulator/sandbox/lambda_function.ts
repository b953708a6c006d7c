/**
 * One function as Lambda runs it: a runtime process started on the first invocation (a cold
 * start) and reused after, one invocation at a time (or N at once in Managed Instances mode),
 * a deadline per invocation, and Lambda's answers when the code gives none — a timeout, an
 * init failure, a runtime that exited. Each invocation is framed by `START`, `END` and
 * `REPORT` lines. Keeping the process itself is `function_sandbox.ts`'s job.
 *
 * @module
 */

import { describeExit, FunctionProcess } from "./function_process.ts";
import { FunctionSandbox, INIT_TIMEOUT_MS, type InitFailure } from "./function_sandbox.ts";
import type {
  ErrorOutcome,
  InvokeMetadata,
  LambdaFunctionOptions,
  Outcome,
} from "./function_types.ts";
import { exitError, plainError, plainValue, timeoutError } from "./lambda_errors.ts";
import { DEFAULT_MAX_QUEUED_EVENTS, eventFailure, EventQueue } from "./event_queue.ts";
import { Slots } from "./slots.ts";
import { endLine, reportLine, startLine } from "./report.ts";

export type {
  ErrorOutcome,
  InvokeMetadata,
  LambdaFunctionOptions,
  Outcome,
  ResponseOutcome,
  StreamOutcome,
} from "./function_types.ts";

/**
 * A function: its current runtime process, and Lambda's rules for starting, reusing and
 * replacing it.
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
  readonly #slots: Slots;
  readonly #sandbox: FunctionSandbox;
  readonly #events: EventQueue;
  #closed = false;

  /**
   * Makes the function; no process starts until the first invocation.
   *
   * @param options The command, environment, limits and log.
   */
  constructor(options: LambdaFunctionOptions) {
    this.#options = options;
    this.#slots = new Slots(options.concurrency ?? 1);
    this.#events = new EventQueue(
      options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
      options.concurrency ?? 1,
    );
    this.#sandbox = new FunctionSandbox(options, (line) => this.#log(line));
  }

  /** The function's name. */
  get name(): string {
    return this.#options.name;
  }

  /**
   * Invokes the function: waits for a free slot, starts a runtime process if there is none,
   * hands it the event, and waits for the answer or the deadline.
   *
   * @param event The event as JSON text.
   * @param metadata Request id, trace id, client context, tenant.
   * @returns How the invocation ended; a stream keeps its slot until it ends.
   * @throws {TypeError} If the function has been closed.
   */
  async invoke(event: string, metadata: InvokeMetadata = {}): Promise<Outcome> {
    if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
    const requestId = metadata.requestId ?? crypto.randomUUID();
    await this.#slots.take();
    let keepSlot = false;
    try {
      // Closed while waiting for the slot: starting a runtime now would outlive the function.
      if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
      const started = await this.#sandbox.start();
      if (!(started instanceof FunctionProcess)) return this.#initFailed(requestId, started);
      const outcome = await this.#run(started, event, { ...metadata, requestId });
      keepSlot = outcome.kind === "stream";
      return outcome;
    } finally {
      if (!keepSlot) this.#slots.give();
    }
  }

  /**
   * Queues an asynchronous (`Event`) invocation. Events run in arrival order, no more at once
   * than the function's concurrency, so a synchronous invocation waits for the events running,
   * not for the whole backlog. Nobody waits for an event's answer, so a failure is written to
   * the log, labelled with the request id, as Lambda records it.
   *
   * @param event The event as JSON text.
   * @param metadata The request id, and trace id, tenant and client context if any.
   * @returns `false` when the queue is full and the event was refused.
   * @throws {TypeError} If the function has been closed.
   */
  invokeEvent(event: string, metadata: InvokeMetadata & { readonly requestId: string }): boolean {
    if (this.#closed) throw new TypeError(`Cannot invoke ${this.name}: it has been closed`);
    return this.#events.offer(() =>
      this.#runEvent(event, metadata)
        .catch((error) => this.#log(`Event invocation ${metadata.requestId} failed: ${error}`))
    );
  }

  /**
   * Retires the current runtime process once its invocations have ended; the next invocation
   * cold-starts a new one (after a source change, say).
   */
  restart(): void {
    this.#sandbox.restart();
  }

  /**
   * Kills the runtime process; unfinished invocations end.
   *
   * @returns Resolves once the process has exited.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const events = this.#events.close();
    await this.#sandbox.close();
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

  async #runEvent(event: string, metadata: InvokeMetadata & { requestId: string }): Promise<void> {
    let failure: string | undefined;
    try {
      failure = await eventFailure(await this.invoke(event, metadata));
    } catch (error) {
      if (this.#closed) return;
      throw error;
    }
    // Killed at shutdown is not the function's failure.
    if (failure === undefined || this.#closed) return;
    this.#log(`Event invocation ${metadata.requestId} failed: ${failure}`);
  }

  #log(line: string): void {
    this.#options.log(`[${this.name}] ${line}`);
  }

  #initFailed(requestId: string, init: InitFailure): ErrorOutcome {
    const outcome = init.kind === "initError"
      ? {
        kind: "error" as const,
        requestId,
        errorType: init.report.errorType,
        error: plainError(init.report.error),
      }
      : init.kind === "exited"
      ? exitError(requestId, describeExit(init.status))
      : timeoutError(requestId, this.#options.initTimeoutMs ?? INIT_TIMEOUT_MS);
    const status = init.kind === "timeout" ? "timeout" : "error";
    this.#log(startLine(requestId));
    this.#log(
      `INIT_REPORT Init Duration: ${init.initDurationMs.toFixed(2)} ms\tPhase: init\t` +
        `Status: ${status}${status === "error" ? `\tError Type: ${outcome.errorType}` : ""}`,
    );
    this.#log(endLine(requestId));
    this.#log(reportLine({
      requestId,
      durationMs: 0,
      memoryMb: this.#options.memoryMb,
      maxMemoryUsedMb: undefined,
      initDurationMs: init.initDurationMs,
      status,
      errorType: status === "error" ? outcome.errorType : undefined,
    }));
    return outcome;
  }

  async #run(
    process: FunctionProcess,
    event: string,
    metadata: InvokeMetadata & { readonly requestId: string },
  ): Promise<Outcome> {
    const o = this.#options;
    const { requestId } = metadata;
    const initDurationMs = process.initReported ? undefined : this.#sandbox.initDurationMs(process);
    process.initReported = true;
    this.#log(startLine(requestId));
    process.inFlight++;
    const startedAt = performance.now();
    const handle = process.invoke({ ...metadata, rawBody: event, timeoutMs: o.timeoutMs });
    const result = await process.untilExit(handle.result);
    const report = async (status?: "timeout" | "error", errorType?: string) => {
      const durationMs = performance.now() - startedAt;
      const maxMemoryUsedMb = await process.maxMemoryUsedMb();
      if (status === "timeout") this.#timedOut(process, requestId);
      this.#log(endLine(requestId));
      this.#log(reportLine({
        requestId,
        durationMs,
        memoryMb: o.memoryMb,
        maxMemoryUsedMb,
        initDurationMs,
        status,
        errorType,
      }));
      process.finished();
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
          this.#slots.give();
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

  #timedOut(process: FunctionProcess, requestId: string): void {
    const seconds = (this.#options.timeoutMs / 1000).toFixed(2);
    this.#log(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`);
    if (this.#options.concurrency !== undefined) return;
    // Classic Lambda resets the sandbox of a timed-out invocation before the next one runs;
    // only this invocation holds a slot, so the current process is the timed-out one.
    this.#sandbox.reset(process);
  }
}
