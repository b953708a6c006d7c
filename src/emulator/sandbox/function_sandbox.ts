/**
 * One execution environment of a function, as Lambda keeps one: a runtime process started once
 * (a cold start, announced by `INIT_START`) and reused while it lives, with its slots (one
 * invocation at a time, or N in Managed Instances mode), the time it became idle, and which
 * invocation each line of its output belongs to. Which environment runs an invocation is
 * `sandbox_pool.ts`'s business.
 *
 * @module
 */

import { FunctionProcess, type InitOutcome } from "./function_process.ts";
import type { LambdaFunctionOptions } from "./function_types.ts";
import { initStartLine } from "./report.ts";

/** Lambda's limit on init, before it gives up on a sandbox. */
export const INIT_TIMEOUT_MS = 10_000;

/** Why there is no process to use: its init reported an error, timed out, or it exited. */
export type InitFailure = Exclude<InitOutcome, { kind: "ready" }>;

/** What starting the function's runtime process takes. */
export type FunctionSandboxOptions = Pick<
  LambdaFunctionOptions,
  "name" | "command" | "cwd" | "env" | "timeoutMs" | "initTimeoutMs" | "runtimeVersion"
>;

/** Where a sandbox reports. */
export interface SandboxEvents {
  /** Gets each line of output and the platform's `INIT_START`, with the invocation it belongs to. */
  readonly log: (line: string, requestId: string | undefined) => void;
  /** Told once, when the sandbox can take no more invocations: its init failed or it exited. */
  readonly gone: (sandbox: FunctionSandbox) => void;
}

/**
 * An execution environment: its process starts when the sandbox is made.
 *
 * @example Start one, wait for its init, stop it
 * ```ts ignore
 * const sandbox = new FunctionSandbox(options, 1, { log: console.log, gone: () => {} });
 * const process = await sandbox.ready;
 * await sandbox.close();
 * ```
 */
export class FunctionSandbox {
  /** How many invocations it runs at once. */
  readonly capacity: number;
  /** Resolves with the process once its init has ended, or with why that init failed. */
  readonly ready: Promise<FunctionProcess | InitFailure>;
  /** Slots taken, the one of the invocation that started it included. */
  busy = 0;
  /** When it last became idle, on its pool's clock. */
  idleSince = 0;
  readonly #events: SandboxEvents;
  /** Invocations between their `START` and `REPORT`: its output belongs to them. */
  readonly #open = new Set<string>();
  #initDurationMs: number | undefined;
  #gone = false;
  #closing: Promise<void> | undefined;

  /**
   * Starts the runtime process.
   *
   * @param options The command, environment and limits.
   * @param capacity How many invocations it runs at once.
   * @param events Where its lines go, and who hears that it is gone.
   */
  constructor(options: FunctionSandboxOptions, capacity: number, events: SandboxEvents) {
    this.capacity = capacity;
    this.#events = events;
    this.ready = this.#spawn(options);
    void this.ready.then((result) => {
      if (result instanceof FunctionProcess) void result.exited.then(() => this.#leave());
      else this.#leave();
    }, () => this.#leave());
  }

  /**
   * The init duration to report, on the first invocation only (a cold start).
   *
   * @returns Milliseconds, the first time it is asked after a successful init; else `undefined`.
   */
  takeInitDuration(): number | undefined {
    const duration = this.#initDurationMs;
    this.#initDurationMs = undefined;
    return duration;
  }

  /**
   * Marks the start of an invocation's log, after its `START` line.
   *
   * @param requestId The invocation.
   */
  begin(requestId: string): void {
    this.#open.add(requestId);
  }

  /**
   * Marks the end of an invocation's log, after its `REPORT` line.
   *
   * @param requestId The invocation.
   */
  end(requestId: string): void {
    this.#open.delete(requestId);
  }

  /**
   * Ends the environment as Lambda reclaims one (see `FunctionProcess.shutdown`).
   *
   * @returns Resolves once its process has exited.
   */
  shutdown(): Promise<void> {
    this.#closing ??= this.ready.then((process) => {
      if (process instanceof FunctionProcess) return process.shutdown();
    }, _nothing);
    return this.#closing;
  }

  /**
   * Kills the process; unfinished invocations end.
   *
   * @returns Resolves once it has exited.
   */
  close(): Promise<void> {
    return this.ready.then((process) => {
      if (process instanceof FunctionProcess) return process.close();
    }, _nothing);
  }

  /**
   * Which invocation a line of output belongs to: the one running, when the environment runs
   * one at a time; under concurrency, the one whose request id the line carries (the runtime
   * tags its log lines with it), if exactly one does. Others belong to none.
   */
  #owner(line: string): string | undefined {
    if (this.#open.size === 0) return undefined;
    let owner: string | undefined;
    for (const requestId of this.#open) {
      if (this.capacity === 1) return requestId;
      if (!line.includes(requestId)) continue;
      if (owner !== undefined) return undefined;
      owner = requestId;
    }
    return owner;
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#events.gone(this);
  }

  async #spawn(o: FunctionSandboxOptions): Promise<FunctionProcess | InitFailure> {
    this.#events.log(initStartLine(o.runtimeVersion ?? "lambdeno"), undefined);
    const process = await FunctionProcess.start({
      functionName: o.name,
      command: o.command,
      cwd: o.cwd,
      env: o.env,
      timeoutMs: o.timeoutMs,
      log: (line) => this.#events.log(line, this.#owner(line)),
    });
    const init = await process.init(o.initTimeoutMs ?? INIT_TIMEOUT_MS);
    if (init.kind === "ready") {
      this.#initDurationMs = init.initDurationMs;
      return process;
    }
    await process.close();
    return init;
  }
}

/** A process that could not even start has nothing to stop; its invocation has the error. */
function _nothing(): void {}
