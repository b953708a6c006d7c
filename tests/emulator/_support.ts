/** Shared set-up for the emulator tests: an in-process emulator on a free port, its log kept. */

import { Emulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { HANDLER_EXTENSIONS } from "../../src/runtime/handler_loader.ts";
import { scratchDir } from "../_scratch.ts";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const BOOTSTRAP = [Deno.execPath(), "run", "-A", `${ROOT}/src/main.ts`];

/** Log lines as they arrive, with a way to wait for one. */
export class LogCapture {
  readonly lines: string[] = [];
  #waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];

  readonly write = (line: string): void => {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.pattern.test(line)) return true;
      waiter.resolve(line);
      return false;
    });
  };

  /** Resolves with the first line, past or future, that matches. */
  waitFor(pattern: RegExp): Promise<string> {
    const line = this.lines.find((l) => pattern.test(l));
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.#waiters.push({ pattern, resolve }));
  }

  matching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line));
  }
}

/** Starts an emulator on a free port with the real bootstrap. */
export async function startEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<{ emulator: Emulator; log: LogCapture }> {
  const log = new LogCapture();
  const emulator = await Emulator.start({
    port: 0,
    handlersDir: `${ROOT}/handlers`,
    command: BOOTSTRAP,
    taskRoot: ROOT,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    ...options,
    log: log.write,
  });
  return { emulator, log };
}

/** Test handlers that misbehave in each way Lambda has an answer for. */
export const TEST_HANDLERS: Record<string, string> = {
  "context.ts": `export function handler(event, ctx) {
  return {
    event,
    pid: Deno.pid,
    clientContext: ctx.clientContext ?? null,
    tenantId: ctx.tenantId ?? null,
    traceId: ctx.traceId ?? null,
    env: {
      name: Deno.env.get("AWS_LAMBDA_FUNCTION_NAME"),
      version: Deno.env.get("AWS_LAMBDA_FUNCTION_VERSION"),
      memory: Deno.env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
      logGroup: Deno.env.get("AWS_LAMBDA_LOG_GROUP_NAME"),
      initType: Deno.env.get("AWS_LAMBDA_INITIALIZATION_TYPE"),
      maxConcurrency: Deno.env.get("AWS_LAMBDA_MAX_CONCURRENCY") ?? null,
      tz: Deno.env.get("TZ"),
      region: Deno.env.get("AWS_REGION"),
    },
  };
}
`,
  "slow.ts": `export async function handler(event) {
  if (typeof event.sleepMs === "number") await new Promise((r) => setTimeout(r, event.sleepMs));
  return { pid: Deno.pid };
}
`,
  "hang.ts": `export function handler() {
  // A timer keeps the event loop alive: a bare pending promise would let Deno exit instead.
  return new Promise(() => setInterval(() => {}, 60_000));
}
`,
  "broken.ts": `throw new Error("cannot load this module");
export function handler() {}
`,
  "crash.ts": `export function handler(event) {
  if (event.exit !== undefined) Deno.exit(event.exit);
  return { pid: Deno.pid };
}
`,
  "image.ts": `const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
export function handler(event) {
  if (event.requestContext?.http?.method === "POST") {
    return {
      statusCode: 200,
      headers: { "content-type": "application/octet-stream", "x-was-base64": String(event.isBase64Encoded) },
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
    };
  }
  return {
    statusCode: 200,
    headers: { "content-type": "image/png" },
    body: PNG.toBase64(),
    isBase64Encoded: true,
  };
}
`,
  "event.ts": `export function handler(event) {
  return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: ["seen=1; Path=/", "again=2"], body: JSON.stringify(event) };
}
`,
};

/** Writes {@linkcode TEST_HANDLERS} to a fresh temporary directory, removed at the end of the run. */
export async function testHandlersDir(): Promise<string> {
  const dir = await scratchDir("lambdeno-handlers-");
  for (const [name, source] of Object.entries(TEST_HANDLERS)) {
    await Deno.writeTextFile(`${dir}/${name}`, source);
  }
  return dir;
}

/** POSTs an event to the Invoke API. */
export function invoke(
  emulator: Emulator,
  name: string,
  body: BodyInit,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${emulator.url}2015-03-31/functions/${name}/invocations`, {
    method: "POST",
    body,
    headers,
  });
}

/**
 * The functions `handlers/` holds: its top-level modules with any extension the loader accepts
 * (so that a user's `.mjs` handler is counted too), not starting with `_`, not tests, sorted.
 */
export function shippedFunctions(): string[] {
  const dir = new URL("../../handlers/", import.meta.url);
  return [...Deno.readDirSync(dir)].flatMap((entry) => {
    const extension = HANDLER_EXTENSIONS.find((ext) => entry.name.endsWith(ext));
    if (!entry.isFile || extension === undefined || entry.name.startsWith("_")) return [];
    const name = entry.name.slice(0, -extension.length);
    return /[._]test$/.test(name) || name.endsWith(".d") ? [] : [name];
  }).sort();
}

/**
 * A barrier on loopback for functions in separate processes: each GET to `url` is held until
 * `count` have arrived (or {@linkcode open} is called), then all are answered. A function that
 * fetches it proves, by answering, that `count` invocations were inside it at once.
 */
export class Barrier implements AsyncDisposable {
  readonly url: string;
  #arrived = 0;
  readonly #opened = Promise.withResolvers<void>();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(count: number) {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
      this.#arrived++;
      this.#waiters = this.#waiters.filter((waiter) => {
        if (this.#arrived < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      if (this.#arrived >= count) this.open();
      await this.#opened.promise;
      return new Response(String(this.#arrived));
    });
    this.url = `http://127.0.0.1:${this.#server.addr.port}/`;
  }

  /** How many requests have arrived. */
  get arrived(): number {
    return this.#arrived;
  }

  /** Resolves once `count` requests have arrived. */
  arrivals(count: number): Promise<void> {
    if (this.#arrived >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Answers every request held, and every later one at once. */
  open(): void {
    this.#opened.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.open();
    await this.#server.shutdown();
  }
}

/** A handler that waits at the barrier named by `BARRIER_URL`, then answers with its pid. */
export const BARRIER_HANDLER = `export async function handler(event) {
  console.log("inside " + event.n);
  Deno.stderr.writeSync(new TextEncoder().encode("untagged " + event.n + "\\n"));
  await (await fetch(Deno.env.get("BARRIER_URL"))).text();
  console.log("leaving " + event.n);
  return { n: event.n, pid: Deno.pid };
}
`;

/** The environment every test function gets, and `extra`. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...extra };
}
