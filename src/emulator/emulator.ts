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
import { moduleExports } from "./front/module_exports.ts";
import { type BoundAddress, guardRequest } from "./front/request_guard.ts";
import { awsError, readBody, tooLarge } from "./front/request_body.ts";
import type { FunctionSettings } from "./front/function_configs.ts";
import { functionEnv } from "./sandbox/function_env.ts";

const INVOKE = new URLPattern({ pathname: "/2015-03-31/functions/:name/invocations" });
const STREAM = new URLPattern({
  pathname: "/2021-11-15/functions/:name/response-streaming-invocations",
});

/** Options for {@linkcode Emulator.start}. */
export interface EmulatorOptions {
  /**
   * The address to bind. Defaults to `127.0.0.1`: nothing beyond this machine. On loopback, a
   * request must name a loopback address in `Host`, and come from the emulator's own origin if
   * it has an `Origin`; elsewhere, any is served.
   */
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
  /** `Event` invocations that may wait per function before `429`. Defaults to 1000. */
  readonly maxQueuedEvents?: number;
  /** Variables given to every runtime process, before Lambda's own. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Each function's own settings by `file.export` (its `config`, see `readFunctionSettings`):
   * they win over `timeoutSeconds` and `memoryMb`, and its environment defaults give way to `env`.
   */
  readonly settings?: ReadonlyMap<string, FunctionSettings>;
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
  readonly #bound: BoundAddress;
  /** Aborted at close: ends the server and its connections without waiting for them. */
  readonly #stopping = new AbortController();
  readonly #running = new Map<string, LambdaFunction>();
  // Functions replaced by a restart with new settings: closed with the emulator.
  readonly #retired = new Set<LambdaFunction>();
  #settings: ReadonlyMap<string, FunctionSettings>;
  readonly #tails = new LogTails();
  #specs: readonly FunctionSpec[];
  #closing: Promise<void> | undefined;

  private constructor(options: EmulatorOptions, specs: readonly FunctionSpec[]) {
    this.#options = options;
    this.#settings = options.settings ?? new Map();
    this.#specs = specs;
    this.#server = Deno.serve({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 3000,
      signal: this.#stopping.signal,
      onListen: () => {},
    }, (request, info) => this.fetch(request, info.remoteAddr.hostname));
    const { hostname, port } = this.#server.addr;
    this.port = port;
    this.#bound = { hostname: options.hostname ?? "127.0.0.1", port };
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
    const refused = guardRequest(request, this.#bound);
    if (refused !== undefined) return refused;
    const url = new URL(request.url);
    const invoke = INVOKE.exec(url) ?? STREAM.exec(url);
    if (invoke !== null) {
      const raw = invoke.pathname.groups.name ?? "";
      const decoded = _decode(raw);
      if (decoded === undefined) return _malformed(raw);
      const target = invokeTarget(decoded, url.searchParams.get("Qualifier"), this.#region);
      if (!target.ok) return target.response;
      const fn = await this.#function(target.name);
      if (!(fn instanceof LambdaFunction)) return fn;
      return await invokeApi(request, fn, {
        streaming: url.pathname.startsWith("/2021-11-15/"),
        captureLog: (requestId) => this.#tails.capture(fn.name, requestId),
      });
    }
    if (url.pathname === "/") return this.#index(request);
    const slash = url.pathname.indexOf("/", 1);
    const raw = url.pathname.slice(1, slash < 0 ? undefined : slash);
    const name = _decode(raw);
    if (name === undefined) return _malformed(raw);
    const fn = await this.#function(name);
    if (!(fn instanceof LambdaFunction)) return fn;
    return await this.#http(request, fn, slash < 0 ? "/" : url.pathname.slice(slash), sourceIp);
  }

  /**
   * Restarts every function's runtime on its next invocation (after a source change), once its
   * invocations in progress have ended.
   *
   * @param settings The functions' settings from now on (after a change of their `config`);
   * the current ones when left out.
   */
  restart(settings?: ReadonlyMap<string, FunctionSettings>): void {
    for (const fn of this.#running.values()) fn.restart();
    if (settings === undefined) return;
    // A function's settings are fixed when it is made: it is made again, with the new ones.
    this.#settings = settings;
    for (const fn of this.#running.values()) this.#retired.add(fn);
    this.#running.clear();
  }

  /**
   * Stops listening and kills every runtime process.
   *
   * @returns Resolves once everything has stopped.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#running.values(), ...this.#retired].map((fn) => fn.close()));
      // Not shutdown(), which waits for every response to end: a client that does not read
      // would keep its streamed one, and the emulator, open for ever.
      this.#stopping.abort();
      await this.#server.finished;
    })();
    return this.#closing;
  }

  /**
   * Closes it, for `await using`.
   *
   * @returns The same as {@linkcode close}.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @returns The function, or the 404 saying there is none by that name. */
  async #function(name: string): Promise<LambdaFunction | Response> {
    const wanted = name === "function" ? this.defaultFunction ?? name : name;
    let spec = resolveFunction(wanted, this.#specs);
    if (spec === undefined) {
      // A module added since start-up is a function too.
      this.#specs = await _specs(this.#options).catch(() => this.#specs);
      spec = resolveFunction(wanted, this.#specs);
      if (spec === undefined) return this.#notFound(name);
    }
    let fn = this.#running.get(spec.name);
    if (fn === undefined) {
      // A made-up `file.export` would start a runtime only to fail its init: refuse it here.
      if (!this.#specs.includes(spec)) {
        const missing = await this.#missingExport(spec);
        if (missing !== undefined) return missing;
      }
      const o = this.#options;
      const settings = this.#settings.get(spec.handler);
      fn = new LambdaFunction({
        name: spec.name,
        command: o.command,
        cwd: o.taskRoot,
        // A function's own config wins over the emulator-wide defaults; the user's variables
        // win over its environment defaults.
        env: functionEnv(spec, {
          ...o,
          memoryMb: settings?.memoryMb ?? o.memoryMb ?? 128,
          env: { ...settings?.env, ...o.env },
        }),
        timeoutMs: (settings?.timeoutSeconds ?? o.timeoutSeconds ?? 3) * 1000,
        memoryMb: settings?.memoryMb ?? o.memoryMb ?? 128,
        concurrency: o.concurrency,
        maxQueuedEvents: o.maxQueuedEvents,
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
        try {
          return await streamedResponse(outcome);
        } catch (error) {
          // A prelude that is not JSON is the function's fault: 502, as a Function URL answers.
          this.#options.log(`[${fn.name}] Cannot read the stream's HTTP prelude: ${error}`);
          return new Response("Bad Gateway", { status: 502 });
        }
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

  async #missingExport(spec: FunctionSpec): Promise<Response | undefined> {
    const dot = spec.handler.lastIndexOf(".");
    const file = spec.handler.slice(0, dot);
    const wanted = spec.handler.slice(dot + 1);
    const exports = await moduleExports(this.#options.handlersDir, file);
    if (exports === undefined || exports.has(wanted)) return undefined;
    const names = [...exports].sort();
    return awsError(
      404,
      "ResourceNotFoundException",
      `Cannot invoke ${spec.name}: the module ${file} has no export "${wanted}"; ` +
        `it exports ${names.length === 0 ? "nothing" : names.join(", ")}`,
      { exports: names },
    );
  }
}

/** @returns The percent-decoded segment, or `undefined` when its encoding is malformed. */
function _decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function _malformed(segment: string): Response {
  return awsError(
    400,
    "InvalidParameterValueException",
    `Cannot find the function "${segment}": its percent-encoding is malformed`,
  );
}

async function _specs(options: EmulatorOptions): Promise<FunctionSpec[]> {
  const declared = options.functions ?? [];
  const found = await discoverFunctions(options.handlersDir);
  return [...declared, ...found.filter((spec) => !declared.some((d) => d.name === spec.name))];
}
