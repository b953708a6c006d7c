/**
 * The local emulator: one HTTP server on loopback serving every function in a handlers
 * directory, each in its own runtime process.
 *
 * - `POST /2015-03-31/functions/{name}/invocations`: the Invoke API (buffered);
 * - `POST /2021-11-15/functions/{name}/response-streaming-invocations`: the
 *   `InvokeWithResponseStream` API;
 * - `/{name}/{path}`: the function behind a Function URL;
 * - `/`: the list of functions.
 *
 * `function` names the default function, so scripts written for AWS's emulator work unchanged.
 *
 * @module
 */

import { discoverFunctions, type FunctionSpec, resolveFunction } from "./front/function_catalog.ts";
import { toHttpEvent } from "./front/http_event.ts";
import { bufferedResponse, streamedResponse } from "./front/http_result.ts";
import { invokeApi } from "./front/invoke_api.ts";
import { invokeTarget } from "./front/invoke_target.ts";
import { LogTails } from "./front/log_tail.ts";
import { LambdaFunction } from "./sandbox/lambda_function.ts";
import { awsError, readBody, tooLarge } from "./front/request_body.ts";
import { functionEnv } from "./sandbox/function_env.ts";

const INVOKE = new URLPattern({ pathname: "/2015-03-31/functions/:name/invocations" });
const STREAM = new URLPattern({
  pathname: "/2021-11-15/functions/:name/response-streaming-invocations",
});

/** Options for {@linkcode Emulator.start}. */
export interface EmulatorOptions {
  /** The address to bind. Defaults to `127.0.0.1`: nothing beyond this machine. */
  readonly hostname?: string;
  /** The port; `0` picks a free one. Defaults to `3000`. */
  readonly port?: number;
  /** The directory of handler modules, one function each. */
  readonly handlersDir: string;
  /** Functions declared beyond (or instead of) the discovered ones. */
  readonly functions?: readonly FunctionSpec[];
  /** The function `function` stands for. Defaults to the first declared, else the first found. */
  readonly defaultFunction?: string;
  /** The bootstrap command, e.g. `[deno, "run", "-A", "/abs/src/main.ts"]`. */
  readonly command: readonly string[];
  /** The runtime's working directory, `LAMBDA_TASK_ROOT`. */
  readonly taskRoot: string;
  /** Seconds per invocation. Defaults to 3, as Lambda. */
  readonly timeoutSeconds?: number;
  /** Memory in MB. Defaults to 128, as Lambda. */
  readonly memoryMb?: number;
  /** Managed Instances mode with this many concurrent invocations per process. */
  readonly concurrency?: number | undefined;
  /** The region. Defaults to `us-east-1`. */
  readonly region?: string;
  /** Variables given to every runtime process, before Lambda's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where log lines go. */
  readonly log: (line: string) => void;
}

/**
 * The emulator's HTTP server and its functions.
 *
 * @example Start on a free port, invoke echo, stop
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Emulator } from "./emulator.ts";
 *
 * await using emulator = await Emulator.start({
 *   port: 0,
 *   handlersDir: "handlers",
 *   command: [Deno.execPath(), "run", "-A", "src/main.ts"],
 *   taskRoot: Deno.cwd(),
 *   env: { PATH: Deno.env.get("PATH") ?? "" },
 *   log: () => {},
 * });
 * const response = await fetch(`${emulator.url}2015-03-31/functions/echo/invocations`, {
 *   method: "POST",
 *   body: '{"hi":1}',
 * });
 * equal(await response.text(), '{"hi":1}');
 * ```
 */
export class Emulator implements AsyncDisposable {
  /** The base URL, ending in `/`. */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  readonly #options: EmulatorOptions;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #running = new Map<string, LambdaFunction>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #tails = new LogTails();
  #specs: readonly FunctionSpec[];
  #closing: Promise<void> | undefined;

  private constructor(options: EmulatorOptions, specs: readonly FunctionSpec[]) {
    this.#options = options;
    this.#specs = specs;
    this.#server = Deno.serve({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 3000,
      onListen: () => {},
    }, (request, info) => this.fetch(request, info.remoteAddr.hostname));
    const { hostname, port } = this.#server.addr;
    this.port = port;
    this.url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`;
  }

  /**
   * Finds the functions and starts listening. No runtime starts until its first invocation.
   *
   * @param options Where to listen, the functions, the command, limits and log.
   * @returns The running emulator.
   * @throws {Deno.errors.AddrInUse} If the port is taken.
   * @throws {Deno.errors.NotFound} If the handlers directory does not exist.
   */
  static async start(options: EmulatorOptions): Promise<Emulator> {
    return new Emulator(options, await _specs(options));
  }

  /** The functions served, in order, the default one first among equals. */
  get functions(): readonly FunctionSpec[] {
    return this.#specs;
  }

  /** The name `function` stands for, if there is any function. */
  get defaultFunction(): string | undefined {
    return this.#options.defaultFunction ?? this.#specs[0]?.name;
  }

  /**
   * Serves one request, without a socket (the server calls this for each request).
   *
   * @param request The request.
   * @param sourceIp The caller's address.
   * @returns The response.
   */
  async fetch(request: Request, sourceIp = "127.0.0.1"): Promise<Response> {
    const url = new URL(request.url);
    const invoke = INVOKE.exec(url) ?? STREAM.exec(url);
    if (invoke !== null) {
      const raw = decodeURIComponent(invoke.pathname.groups.name ?? "");
      const target = invokeTarget(raw, url.searchParams.get("Qualifier"), this.#region);
      if (!target.ok) return target.response;
      const fn = await this.#function(target.name);
      if (fn === undefined) return this.#notFound(target.name);
      return await invokeApi(request, fn, {
        streaming: url.pathname.startsWith("/2021-11-15/"),
        background: (work) => this.#keep(work),
        captureLog: (requestId) => this.#tails.capture(fn.name, requestId),
      });
    }
    if (url.pathname === "/") return this.#index(request);
    const slash = url.pathname.indexOf("/", 1);
    const name = decodeURIComponent(url.pathname.slice(1, slash < 0 ? undefined : slash));
    const fn = await this.#function(name);
    if (fn === undefined) return this.#notFound(name);
    return await this.#http(request, fn, slash < 0 ? "/" : url.pathname.slice(slash), sourceIp);
  }

  /**
   * Restarts every function's runtime on its next invocation (after a source change).
   */
  restart(): void {
    for (const fn of this.#running.values()) fn.restart();
  }

  /**
   * Stops listening and kills every runtime process.
   *
   * @returns Resolves once everything has stopped.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#running.values()].map((fn) => fn.close()));
      await this.#server.shutdown();
      await Promise.allSettled(this.#background);
    })();
    return this.#closing;
  }

  /** @returns The same as {@linkcode close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #function(name: string): Promise<LambdaFunction | undefined> {
    const wanted = name === "function" ? this.defaultFunction ?? name : name;
    let spec = resolveFunction(wanted, this.#specs);
    if (spec === undefined) {
      // A module added since start-up is a function too.
      this.#specs = await _specs(this.#options).catch(() => this.#specs);
      spec = resolveFunction(wanted, this.#specs);
      if (spec === undefined) return undefined;
    }
    let fn = this.#running.get(spec.name);
    if (fn === undefined) {
      const o = this.#options;
      fn = new LambdaFunction({
        name: spec.name,
        command: o.command,
        cwd: o.taskRoot,
        env: functionEnv(spec, { ...o, memoryMb: o.memoryMb ?? 128 }),
        timeoutMs: (o.timeoutSeconds ?? 3) * 1000,
        memoryMb: o.memoryMb ?? 128,
        concurrency: o.concurrency,
        log: (line) => {
          o.log(line);
          this.#tails.feed(line);
        },
      });
      this.#running.set(spec.name, fn);
    }
    return fn;
  }

  async #http(
    request: Request,
    fn: LambdaFunction,
    rawPath: string,
    sourceIp: string,
  ): Promise<Response> {
    const body = await readBody(request);
    if (body === undefined) return tooLarge();
    const requestId = crypto.randomUUID();
    const event = toHttpEvent(request, { rawPath, body, sourceIp, requestId });
    const outcome = await fn.invoke(JSON.stringify(event));
    switch (outcome.kind) {
      case "response":
        return bufferedResponse(outcome.body);
      case "stream":
        return await streamedResponse(outcome);
      case "error":
        // A Function URL answers a failed invocation with 502; the details are in the log.
        this.#options.log(`[${fn.name}] Invoke Error: ${JSON.stringify(outcome.error)}`);
        return new Response("Internal Server Error", {
          status: 502,
          headers: {
            "content-type": "text/plain; charset=utf-8",
            "x-amz-function-error": "Unhandled",
            "x-amzn-requestid": outcome.requestId,
          },
        });
    }
  }

  #index(request: Request): Response {
    const list = this.#specs.map((spec) => ({
      name: spec.name,
      handler: spec.handler,
      url: `${this.url}${spec.name}/`,
      invoke: `${this.url}2015-03-31/functions/${spec.name}/invocations`,
    }));
    if (request.headers.get("accept")?.includes("application/json")) {
      return Response.json({ functions: list, default: this.defaultFunction ?? null });
    }
    const lines = list.map((fn) => `${fn.name.padEnd(16)} ${fn.url}  (${fn.handler})`);
    return new Response(`Lambdeno emulator: ${list.length} functions\n\n${lines.join("\n")}\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }

  get #region(): string {
    return this.#options.region ?? "us-east-1";
  }

  #notFound(name: string): Response {
    const region = this.#region;
    return awsError(
      404,
      "ResourceNotFoundException",
      `Function not found: arn:aws:lambda:${region}:123456789012:function:${name}`,
      { functions: this.#specs.map((spec) => spec.name) },
    );
  }

  #keep(work: Promise<unknown>): void {
    const settled = work.catch(() => {}).finally(() => this.#background.delete(settled));
    this.#background.add(settled);
  }
}

async function _specs(options: EmulatorOptions): Promise<FunctionSpec[]> {
  const declared = options.functions ?? [];
  const found = await discoverFunctions(options.handlersDir);
  return [...declared, ...found.filter((spec) => !declared.some((d) => d.name === spec.name))];
}
