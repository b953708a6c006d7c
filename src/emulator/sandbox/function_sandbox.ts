/**
 * The runtime process behind one function, kept the way Lambda keeps a sandbox: started on
 * demand (a cold start, announced by `INIT_START`), reused while it lives, forgotten when its
 * init fails or it exits, and replaced after a timeout or a source change.
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
  "name" | "command" | "cwd" | "env" | "timeoutMs" | "initTimeoutMs" | "log" | "runtimeVersion"
>;

/** The function's current runtime process, or the one being started. */
export class FunctionSandbox {
  readonly #options: FunctionSandboxOptions;
  readonly #log: (line: string) => void;
  /** The process being started or in use, or why its init failed. */
  #process: Promise<FunctionProcess | InitFailure> | undefined;
  readonly #initDurations = new WeakMap<FunctionProcess, number>();

  /**
   * @param options The command, environment and limits; `log` gets the process's output.
   * @param log Where the platform's own lines go, already naming the function.
   */
  constructor(options: FunctionSandboxOptions, log: (line: string) => void) {
    this.#options = options;
    this.#log = log;
  }

  /** @returns The process in use, or a new one once its init has ended, or why that init failed. */
  start(): Promise<FunctionProcess | InitFailure> {
    if (this.#process !== undefined) return this.#process;
    const starting = this.#spawn();
    this.#process = starting;
    void starting.then((result) => {
      // A failed init leaves nothing to reuse: the next invocation tries again.
      if (!(result instanceof FunctionProcess)) this.#forget(starting);
      else void result.exited.then(() => this.#forget(starting));
    });
    return starting;
  }

  /**
   * @param process A process this sandbox started.
   * @returns How long its init took.
   */
  initDurationMs(process: FunctionProcess): number | undefined {
    return this.#initDurations.get(process);
  }

  /** Retires the current process once its invocations have ended; the next one cold-starts. */
  restart(): void {
    const current = this.#process;
    this.#process = undefined;
    void current?.then((process) => {
      if (process instanceof FunctionProcess) process.retire();
    });
  }

  /**
   * Kills `process`, the current one, without waiting: the next invocation cold-starts.
   *
   * @param process The process to kill.
   */
  reset(process: FunctionProcess): void {
    this.#process = undefined;
    void process.close();
  }

  /**
   * Kills the current process; unfinished invocations end.
   *
   * @returns Resolves once the process has exited.
   */
  async close(): Promise<void> {
    const current = this.#process;
    this.#process = undefined;
    const process = await current;
    if (process instanceof FunctionProcess) await process.close();
  }

  #forget(starting: Promise<FunctionProcess | InitFailure>): void {
    if (this.#process === starting) this.#process = undefined;
  }

  async #spawn(): Promise<FunctionProcess | InitFailure> {
    const o = this.#options;
    this.#log(initStartLine(o.runtimeVersion ?? "lambdeno"));
    const process = await FunctionProcess.start({
      functionName: o.name,
      command: o.command,
      cwd: o.cwd,
      env: o.env,
      timeoutMs: o.timeoutMs,
      log: o.log,
    });
    const init = await process.init(o.initTimeoutMs ?? INIT_TIMEOUT_MS);
    if (init.kind === "ready") {
      this.#initDurations.set(process, init.initDurationMs);
      return process;
    }
    await process.close();
    return init;
  }
}
