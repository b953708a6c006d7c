/**
 * Runs the real bootstrap (`deno run -A src/main.ts`) as a child process against a strict
 * Runtime API server, capturing what it prints, for tests that must see the whole product.
 *
 * @module
 */

import { RuntimeApiServer } from "../src/emulator/runtime_api_server.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

/** A running bootstrap and the server it talks to. */
export interface Bootstrap extends AsyncDisposable {
  readonly server: RuntimeApiServer;
  readonly child: Deno.ChildProcess;
  /** Everything printed so far on stdout and stderr, interleaved in arrival order. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number>;
  /** Stops the process (if still running) and the server. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startBootstrap}. */
export interface BootstrapOptions {
  /** `_HANDLER`; omitted from the environment when `undefined`. */
  readonly handler: string | undefined;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Where to resolve handlers (`LAMBDENO_HANDLERS_DIR`); defaults to `handlers/`. */
  readonly handlersDir?: string;
  /** `AWS_LAMBDA_RUNTIME_API`; defaults to the server's address. */
  readonly runtimeApi?: string;
  /** The server's default invocation timeout. */
  readonly timeoutMs?: number;
}

/**
 * Starts a Runtime API server and a bootstrap process pointed at it.
 *
 * @param options The handler and environment.
 * @returns The running pair.
 */
export async function startBootstrap(options: BootstrapOptions): Promise<Bootstrap> {
  const server = await RuntimeApiServer.start({ timeoutMs: options.timeoutMs ?? 10_000 });
  const env: Record<string, string> = {
    AWS_LAMBDA_RUNTIME_API: options.runtimeApi ?? server.address,
    AWS_LAMBDA_FUNCTION_NAME: "test-function",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    NO_COLOR: "1",
    ..._passThrough("HOME", "PATH", "DENO_DIR", "TMPDIR"),
    ...options.env,
  };
  if (options.handler !== undefined) env._HANDLER = options.handler;
  if (options.handlersDir !== undefined) env.LAMBDENO_HANDLERS_DIR = options.handlersDir;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const exited = child.status.then(async (status) => {
    await drained;
    return status.code;
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await exited;
    await server.close();
  };
  return {
    server,
    child,
    output: () => text,
    exited,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function _passThrough(...names: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Writes handler modules into a fresh directory, so handlers that fail on purpose never sit in
 * `handlers/`.
 *
 * @param files Source text by file name.
 * @returns The directory's path.
 */
export async function handlersDir(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-handlers-" });
  for (const [name, source] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, source);
  }
  return dir;
}

/** The runtime's modules as `file:` URLs, for handlers written into a temporary directory. */
export const SRC: URL = new URL("../src/", import.meta.url);
