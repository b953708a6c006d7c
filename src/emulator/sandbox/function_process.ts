/**
 * One runtime process of a function: the bootstrap as a child process, the Runtime API server
 * it polls, and its output, line by line. It knows how its init went and when it exited; what
 * to do about either is the caller's business.
 *
 * @module
 */

import type { InitErrorReport } from "../runtime_api_server/invocation_result.ts";
import { LineSplitter } from "./log_lines.ts";
import { maxMemoryUsedMb } from "./report.ts";
import type { InvocationHandle, InvokeOptions } from "../runtime_api_server/pending_invocation.ts";
import { RuntimeApiServer } from "../runtime_api_server/server.ts";

/** How to start one runtime process. */
export interface FunctionProcessOptions {
  /** The function's name, for the Runtime API server. */
  readonly functionName: string;
  /** The bootstrap command and its arguments, e.g. `[deno, "run", "-A", "src/main.ts"]`. */
  readonly command: readonly string[];
  /** The working directory of the process. */
  readonly cwd: string;
  /** The whole environment of the process, except `AWS_LAMBDA_RUNTIME_API`, added here. */
  readonly env: Readonly<Record<string, string>>;
  /** Default milliseconds from delivery to deadline. */
  readonly timeoutMs: number;
  /** Where each line of the process's output goes, as the process wrote it. */
  readonly log: (line: string) => void;
}

/** How long a runtime that asked to hear of shutdown has to exit, as Lambda gives it. */
export const SHUTDOWN_GRACE_MS = 500;

/** How a process's init ended. */
export type InitOutcome =
  | { readonly kind: "ready"; readonly initDurationMs: number }
  | {
    readonly kind: "initError";
    readonly initDurationMs: number;
    readonly report: InitErrorReport;
  }
  | {
    readonly kind: "exited";
    readonly initDurationMs: number;
    readonly status: Deno.CommandStatus;
  }
  | { readonly kind: "timeout"; readonly initDurationMs: number };

/**
 * A bootstrap process and its own Runtime API server.
 *
 * @example Start echo, invoke it once, stop it
 * ```ts ignore
 * const process = await FunctionProcess.start({ functionName: "echo", ... });
 * if ((await process.init(10_000)).kind === "ready") {
 *   const handle = process.invoke({ rawBody: "{}" });
 *   console.log(await handle.result);
 * }
 * await process.close();
 * ```
 */
export class FunctionProcess implements AsyncDisposable {
  /** The process id. */
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Deno.CommandStatus>;
  #server: RuntimeApiServer;
  #child: Deno.ChildProcess;
  #startedAt: number;
  #output: Promise<void>;
  #maxMemoryMb: number | undefined;
  #closing: Promise<void> | undefined;
  #status: Deno.CommandStatus | undefined;
  readonly #exitListeners = new Set<(status: Deno.CommandStatus) => void>();

  private constructor(
    server: RuntimeApiServer,
    child: Deno.ChildProcess,
    startedAt: number,
    log: (line: string) => void,
  ) {
    this.#server = server;
    this.#child = child;
    this.#startedAt = startedAt;
    this.pid = child.pid;
    this.exited = child.status;
    void this.exited.then((status) => {
      this.#status = status;
      for (const listener of this.#exitListeners) listener(status);
      this.#exitListeners.clear();
    });
    this.#output = Promise.all([_lines(child.stdout, log), _lines(child.stderr, log)]).then(
      () => {},
    );
  }

  /**
   * Starts a Runtime API server and the bootstrap polling it.
   *
   * @param options The command, environment and timeout.
   * @returns The started process; see {@linkcode init} for how its init goes.
   * @throws {Deno.errors.NotFound} If the command does not exist.
   */
  static async start(options: FunctionProcessOptions): Promise<FunctionProcess> {
    const server = await RuntimeApiServer.start({
      functionName: options.functionName,
      timeoutMs: options.timeoutMs,
      recordRequests: false,
    });
    const [program, ...args] = options.command;
    if (program === undefined) {
      await server.close();
      throw new TypeError("Cannot start the runtime: the bootstrap command is empty");
    }
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(program, {
        args,
        cwd: options.cwd,
        clearEnv: true,
        env: { ...options.env, AWS_LAMBDA_RUNTIME_API: server.address },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      await server.close();
      throw error;
    }
    return new FunctionProcess(server, child, performance.now(), options.log);
  }

  /**
   * Waits for init to end: the first `/next` poll, an `/init/error` report, the process
   * exiting, or `timeoutMs` passing.
   *
   * @param timeoutMs The longest init may take.
   * @returns How init ended, and how long it took.
   */
  async init(timeoutMs: number): Promise<InitOutcome> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      this.#server.waitForPolls(1).then(() => ({ kind: "ready" as const })),
      this.#server.initError.then((report) => ({ kind: "initError" as const, report })),
      this.exited.then((status) => ({ kind: "exited" as const, status })),
      new Promise<{ kind: "timeout" }>((resolve) => {
        timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
      }),
    ]).catch(() => this.exited.then((status) => ({ kind: "exited" as const, status })));
    clearTimeout(timer);
    if (outcome.kind === "ready") await this.maxMemoryUsedMb();
    return { ...outcome, initDurationMs: performance.now() - this.#startedAt };
  }

  /**
   * Waits for `work`, or for the process to exit first. Unlike a race against
   * {@linkcode exited}, which would leave a reaction, and so `work`'s result, on a promise that
   * lives as long as the process, this lets go of everything once `work` settles: memory stays
   * flat however many invocations a process runs.
   *
   * @param work What to wait for, e.g. an invocation's result.
   * @returns Its value, or the exit status if the process exited first.
   */
  async untilExit<T>(
    work: Promise<T>,
  ): Promise<T | { readonly kind: "exited"; readonly status: Deno.CommandStatus }> {
    if (this.#status !== undefined) return { kind: "exited", status: this.#status };
    const exited = Promise.withResolvers<{ kind: "exited"; status: Deno.CommandStatus }>();
    const listener = (status: Deno.CommandStatus) => exited.resolve({ kind: "exited", status });
    this.#exitListeners.add(listener);
    try {
      return await Promise.race([work, exited.promise]);
    } finally {
      this.#exitListeners.delete(listener);
    }
  }

  /**
   * Queues an invocation for the process to take with `/next`.
   *
   * @param options The raw event and its metadata.
   * @returns The server's handle for it.
   * @throws {TypeError} If the process has been closed.
   */
  invoke(options: InvokeOptions): InvocationHandle {
    return this.#server.invoke(undefined, options);
  }

  /**
   * The process's peak memory, or the last value read if it has exited.
   *
   * @returns Megabytes, or `undefined` if never known.
   */
  async maxMemoryUsedMb(): Promise<number | undefined> {
    this.#maxMemoryMb = (await maxMemoryUsedMb(this.pid)) ?? this.#maxMemoryMb;
    return this.#maxMemoryMb;
  }

  /**
   * Ends the process as Lambda ends an environment it reclaims: a runtime that registered an
   * extension (to hear of shutdown) gets `SIGTERM` and {@linkcode SHUTDOWN_GRACE_MS} to exit;
   * then, or at once for any other, {@linkcode close}.
   *
   * @returns Resolves once the process has exited and its output is drained.
   */
  async shutdown(): Promise<void> {
    if (this.#closing === undefined && this.#status === undefined) {
      if (this.#server.extensions.length > 0) {
        try {
          this.#child.kill("SIGTERM");
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            this.exited,
            new Promise((resolve) => timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)),
          ]);
          clearTimeout(timer);
        } catch {
          // Already exited.
        }
      }
    }
    await this.close();
  }

  /**
   * Kills the process (SIGKILL, as Lambda does to a timed-out sandbox) and closes its server;
   * unfinished invocations end as `closed`.
   *
   * @returns Resolves once the process has exited and its output is drained.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** @returns The same as {@linkcode close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await this.exited;
    await this.#server.close();
    await this.#output;
  }
}

/**
 * How Lambda words a runtime's exit, after Go's `os.ProcessState`: `exit status 1`,
 * `signal: killed`.
 *
 * @param status The exit status.
 * @returns The description.
 */
export function describeExit(status: Deno.CommandStatus): string {
  if (status.signal !== null) return `signal: ${SIGNAL_NAMES[status.signal] ?? status.signal}`;
  return `exit status ${status.code}`;
}

const SIGNAL_NAMES: Partial<Record<Deno.Signal, string>> = {
  SIGKILL: "killed",
  SIGTERM: "terminated",
  SIGSEGV: "segmentation fault",
  SIGABRT: "aborted",
  SIGINT: "interrupt",
};

async function _lines(stream: ReadableStream<Uint8Array>, emit: (line: string) => void) {
  const splitter = new LineSplitter(emit);
  try {
    for await (const chunk of stream) splitter.push(chunk);
  } catch {
    // The pipe broke with the process; what arrived has been shown.
  }
  splitter.end();
}
