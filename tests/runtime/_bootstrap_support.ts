/**
 * Runs the real bootstrap (`deno run -A src/main.ts`) as a child process against a strict
 * {@linkcode RuntimeApiServer}, and collects what it prints line by line, so tests can wait for
 * a line instead of sleeping.
 *
 * @module
 */

import {
  type InvocationResult,
  type InvokeOptions,
  RuntimeApiServer,
} from "../../src/emulator/runtime_api_server/server.ts";
import { passedThrough } from "../../src/emulator/sandbox/function_env.ts";
import { scratchDir } from "../_scratch.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** The runtime's modules as `file:` URLs, for handlers written into a temporary directory. */
export const SRC: URL = new URL("../../src/", import.meta.url);

/** The `src/mod.ts` URL, for handlers that import the public API. */
export const MOD_URL: string = new URL("mod.ts", SRC).href;

/** Options for {@linkcode startBootstrap}. */
export interface BootstrapOptions {
  /** `_HANDLER`; left unset when `undefined`. */
  readonly handler: string | undefined;
  /** Handler modules by file name (`"h.ts"`), written to a fresh directory for this run. */
  readonly handlers?: Record<string, string>;
  /** A handlers directory (`LAMBDENO_HANDLERS_DIR`); defaults to `handlers/`. */
  readonly handlersDir?: string;
  /** More environment variables. */
  readonly env?: Record<string, string>;
  /** `AWS_LAMBDA_RUNTIME_API`; defaults to the server's address. */
  readonly runtimeApi?: string;
  /** The server's default invocation timeout. Defaults to 30 s. */
  readonly timeoutMs?: number;
  /** Whether the server records requests (default true). */
  readonly recordRequests?: boolean;
  /** Keep every stdout line (default true); when false, only count them. */
  readonly keepLines?: boolean;
  /** Sees every stdout line as it arrives (for counting without keeping). */
  readonly onLine?: (line: string) => void;
  /** The entry module to run; defaults to `src/main.ts` (tests of the bundle pass its path). */
  readonly main?: string;
  /** A `deno.json` for the child (`--config`), in place of the project's. */
  readonly config?: string;
}

/** A running bootstrap and its server. */
export class Bootstrap implements AsyncDisposable {
  readonly server: RuntimeApiServer;
  readonly process: Deno.ChildProcess;
  /** The temporary handlers directory, removed at disposal, if one was written. */
  readonly dir: string | undefined;
  /** Every stdout line so far (without the `\n`). */
  readonly lines: string[] = [];
  /** How many stdout lines so far. */
  lineCount = 0;
  /** Every stderr byte so far, as text. */
  stderr = "";
  readonly #keep: boolean;
  readonly #onLine: ((line: string) => void) | undefined;
  #waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  readonly #reading: Promise<void>;
  #status: Promise<Deno.CommandStatus> | undefined;

  constructor(
    server: RuntimeApiServer,
    process: Deno.ChildProcess,
    dir: string | undefined,
    keep: boolean,
    onLine?: (line: string) => void,
  ) {
    this.server = server;
    this.process = process;
    this.dir = dir;
    this.#keep = keep;
    this.#onLine = onLine;
    this.#reading = Promise.all([this.#readStdout(), this.#readStderr()]).then(() => {});
  }

  /** The child's pid. */
  get pid(): number {
    return this.process.pid;
  }

  /** Resolves with the exit code once the process has exited and its output is read. */
  get exited(): Promise<number> {
    return this.status().then((status) => status.code);
  }

  /** Everything printed so far: the kept stdout lines, then stderr. */
  output(): string {
    return `${this.lines.join("\n")}\n${this.stderr}`;
  }

  /**
   * Waits for a stdout line (already seen or still to come).
   *
   * @param test Which line.
   * @returns The line.
   */
  waitForLine(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  /**
   * Invokes the function and waits for its answer, or fails at once, with everything the
   * bootstrap printed, if it exits first: a handler that cannot load (an import missing from
   * `deno.json`, say) reports its init error and exits, and nothing would ever take the
   * invocation.
   *
   * @param event The event.
   * @param options The request id, trace header and so on.
   * @returns How the invocation ended.
   * @throws {Error} If the bootstrap exits before answering.
   */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
    const exited = this.exited.then((code): never => {
      throw new Error(`The bootstrap exited with ${code} instead of answering:\n${this.output()}`);
    });
    return await Promise.race([this.server.invoke(event, options).result, exited]);
  }

  /** @returns The exit status, once stdout and stderr are drained. */
  async status(): Promise<Deno.CommandStatus> {
    this.#status ??= this.process.status;
    const status = await this.#status;
    await this.#reading;
    return status;
  }

  /** Kills the child if it still runs, closes the server, removes the handlers. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await this.status();
    await this.server.close();
    if (this.dir !== undefined) await Deno.remove(this.dir, { recursive: true });
  }

  async #readStdout(): Promise<void> {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of this.process.stdout) {
      // Only the new text is searched: a line of many megabytes arrives in many chunks.
      const text = decoder.decode(chunk, { stream: true });
      let start = 0;
      let end: number;
      while ((end = text.indexOf("\n", start)) >= 0) {
        this.#line(rest + text.slice(start, end));
        rest = "";
        start = end + 1;
      }
      rest += text.slice(start);
    }
    if (rest !== "") this.#line(rest);
  }

  async #readStderr(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of this.process.stderr) this.stderr += decoder.decode(chunk);
  }

  #line(line: string): void {
    this.lineCount++;
    this.#onLine?.(line);
    if (!this.#keep) return;
    this.lines.push(line);
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.test(line)) waiter.resolve(line);
      else this.#waiters.push(waiter);
    }
  }
}

/**
 * Starts a server and a bootstrap connected to it.
 *
 * @param options The handler, where handlers come from, and the environment.
 * @returns The running bootstrap.
 */
export async function startBootstrap(options: BootstrapOptions): Promise<Bootstrap> {
  const server = await RuntimeApiServer.start({
    timeoutMs: options.timeoutMs ?? 30_000,
    recordRequests: options.recordRequests ?? true,
  });
  const written = options.handlers === undefined ? undefined : await handlersDir(options.handlers);
  const dir = written ?? options.handlersDir;
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    // Deno's cache, CA store and proxies, as the emulator passes them: a handler's npm imports
    // may still need downloading, behind the same proxy as the test run.
    ...passedThrough(Deno.env.toObject()),
    AWS_LAMBDA_RUNTIME_API: options.runtimeApi ?? server.address,
    AWS_LAMBDA_FUNCTION_NAME: "test-function",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    NO_COLOR: "1",
    ...(options.handler === undefined ? {} : { _HANDLER: options.handler }),
    ...(dir === undefined ? {} : { LAMBDENO_HANDLERS_DIR: dir }),
    ...options.env,
  };
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(options.config === undefined ? [] : ["--config", options.config]),
      options.main ?? MAIN,
    ],
    cwd: ROOT,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return new Bootstrap(server, process, written, options.keepLines ?? true, options.onLine);
}

/**
 * Writes handler modules into a fresh directory, so handlers that fail on purpose never sit in
 * `handlers/`. It is removed at the end of the test run at the latest.
 *
 * @param files Source text by file name (may include subdirectories).
 * @returns The directory's path.
 */
export async function handlersDir(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir("lambdeno-handlers-");
  for (const [name, source] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, source);
  }
  return dir;
}
