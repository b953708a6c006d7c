/**
 * Runs the real bootstrap (`deno run -A src/main.ts`) as a child process against a
 * {@linkcode RuntimeApiServer}, with handlers written into a temporary directory, and collects
 * its stdout line by line so tests can wait for a line instead of sleeping.
 *
 * @module
 */

import { RuntimeApiServer } from "../src/emulator/runtime_api_server.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const ROOT = new URL("../", import.meta.url).pathname;

/** The `src/mod.ts` URL, for handlers that import the public API. */
export const MOD_URL: string = new URL("../src/mod.ts", import.meta.url).href;

/** Options for {@linkcode startBootstrap}. */
export interface BootstrapOptions {
  /** Handler modules by file name (`"h.ts"`), written to a fresh directory. */
  readonly handlers: Record<string, string>;
  /** `_HANDLER`. */
  readonly handler: string;
  /** More environment variables. */
  readonly env?: Record<string, string>;
  /** The server's default invocation timeout. Defaults to 30 s. */
  readonly timeoutMs?: number;
  /** Whether the server records requests (default true). */
  readonly recordRequests?: boolean;
  /** Keep every stdout line (default true); when false, only count them. */
  readonly keepLines?: boolean;
  /** Sees every stdout line as it arrives (for counting without keeping). */
  readonly onLine?: (line: string) => void;
}

/** A running bootstrap and its server. */
export class Bootstrap implements AsyncDisposable {
  readonly server: RuntimeApiServer;
  readonly process: Deno.ChildProcess;
  readonly dir: string;
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
    dir: string,
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
    await Deno.remove(this.dir, { recursive: true });
  }

  async #readStdout(): Promise<void> {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of this.process.stdout) {
      rest += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = rest.indexOf("\n")) >= 0) {
        this.#line(rest.slice(0, end));
        rest = rest.slice(end + 1);
      }
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
 * @param options The handlers, `_HANDLER` and the environment.
 * @returns The running bootstrap.
 */
export async function startBootstrap(options: BootstrapOptions): Promise<Bootstrap> {
  const server = await RuntimeApiServer.start({
    timeoutMs: options.timeoutMs ?? 30_000,
    recordRequests: options.recordRequests ?? true,
  });
  const dir = await Deno.makeTempDir({ prefix: "lambdeno_handlers_" });
  for (const [name, source] of Object.entries(options.handlers)) {
    await Deno.writeTextFile(`${dir}/${name}`, source);
  }
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      AWS_LAMBDA_RUNTIME_API: server.address,
      _HANDLER: options.handler,
      LAMBDENO_HANDLERS_DIR: dir,
      NO_COLOR: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return new Bootstrap(server, process, dir, options.keepLines ?? true, options.onLine);
}
