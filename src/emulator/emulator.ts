/**
 * The local emulator: one HTTP server on loopback serving every function in a handlers
 * directory, each in runtime processes of its own: one per execution environment, as many as
 * its concurrent invocations need, up to its cap.
 *
 * - `POST /2015-03-31/functions/{name}/invocations`: the Invoke API (buffered);
 * - `POST /2021-11-15/functions/{name}/response-streaming-invocations`: the
 *   `InvokeWithResponseStream` API;
 * - `/{name}/{path}`: the function behind a Function URL;
 * - `/`: the list of functions.
 *
 * `function` names the default function, so scripts written for AWS's emulator work unchanged.
 * The functions' API Gateway routes are served apart, each API on its own port (see
 * `api_gateway/api_gateway.ts`), where they cannot collide with these paths.
 *
 * @module
 */

import type { ApiKind } from "../builder/functions/api_routes.ts";
import { ApiSet, type ServedApi } from "./api_gateway/api_set.ts";
import { routesOf } from "./api_gateway/routes_of.ts";
import type { FunctionSpec } from "./front/function_catalog.ts";
import { functionUrlResponse } from "./front/function_url.ts";
import { indexPage } from "./front/index_page.ts";
import { invokeApi } from "./front/invoke_api.ts";
import { invokeTarget } from "./front/invoke_target.ts";
import { LogTails } from "./front/log_tail.ts";
import { type BoundAddress, guardRequest } from "./front/request_guard.ts";
import { awsError } from "./front/request_body.ts";
import type { FunctionSettings } from "./front/function_configs.ts";
import { FunctionRegistry, type FunctionRegistryOptions } from "./function_registry.ts";
import { LambdaFunction } from "./sandbox/lambda_function.ts";

const INVOKE = new URLPattern({ pathname: "/2015-03-31/functions/:name/invocations" });
const STREAM = new URLPattern({
  pathname: "/2021-11-15/functions/:name/response-streaming-invocations",
});

/** Options for {@linkcode Emulator.start}: where to listen, and the functions to serve. */
export interface EmulatorOptions extends FunctionRegistryOptions {
  /**
   * The address to bind. Defaults to `127.0.0.1`: nothing beyond this machine. On loopback, a
   * request must name a loopback address in `Host`, and come from the emulator's own origin if
   * it has an `Origin`; elsewhere, any is served.
   */
  readonly hostname?: string;
  /** The port; `0` picks a free one. Defaults to `3000`. */
  readonly port?: number;
  /**
   * The HTTP API's port, when a function declares `HttpApi` routes: the front's port plus one by
   * default (a free one when the front's is `0`).
   */
  readonly httpApiPort?: number;
  /** The REST API's port, when a function declares `Api` routes: the front's plus two by default. */
  readonly restApiPort?: number;
}

export type { ServedApi } from "./api_gateway/api_set.ts";

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
  readonly #functions: FunctionRegistry;
  readonly #tails = new LogTails();
  readonly #apis: ApiSet;
  #closing: Promise<void> | undefined;

  private constructor(options: EmulatorOptions, functions: FunctionRegistry) {
    this.#options = options;
    this.#functions = functions;
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
    this.#apis = new ApiSet({
      hostname: this.#bound.hostname,
      port: options.port ?? 3000,
      httpApiPort: options.httpApiPort,
      restApiPort: options.restApiPort,
      region: functions.region,
      resolve: (name) => this.#function(name),
      log: options.log,
    });
    try {
      this.#apis.serve(routesOf(options.settings));
    } catch (error) {
      this.#stopping.abort();
      throw error;
    }
  }

  /**
   * Finds the functions and starts listening. No runtime starts until its first invocation.
   *
   * @param options Where to listen, the functions, the command, limits and log.
   * @returns The running emulator.
   * @throws {Deno.errors.AddrInUse} If the port, or that of an API with routes, is taken (the
   * message names which).
   * @throws {Deno.errors.NotFound} If the handlers directory does not exist.
   */
  static async start(options: EmulatorOptions): Promise<Emulator> {
    const functions = await FunctionRegistry.open(options);
    try {
      return new Emulator(options, functions);
    } catch (error) {
      await functions.close();
      throw error;
    }
  }

  /** The APIs served (those some function has routes in), by kind. */
  get apis(): ReadonlyMap<ApiKind, ServedApi> {
    return this.#apis.served;
  }

  /** The functions served, in order, the default one first among equals. */
  get functions(): readonly FunctionSpec[] {
    return this.#functions.specs;
  }

  /** The name `function` stands for, if there is any function. */
  get defaultFunction(): string | undefined {
    return this.#functions.defaultFunction;
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
      const target = invokeTarget(
        decoded,
        url.searchParams.get("Qualifier"),
        this.#functions.region,
      );
      if (!target.ok) return target.response;
      const fn = await this.#function(target.name);
      if (!(fn instanceof LambdaFunction)) return fn;
      return await invokeApi(request, fn, {
        streaming: url.pathname.startsWith("/2021-11-15/"),
        captureLog: (requestId) => this.#tails.capture(fn.name, requestId),
      });
    }
    if (url.pathname === "/") {
      return indexPage(request, this.url, this.#functions.specs, this.defaultFunction);
    }
    const slash = url.pathname.indexOf("/", 1);
    const raw = url.pathname.slice(1, slash < 0 ? undefined : slash);
    const name = _decode(raw);
    if (name === undefined) return _malformed(raw);
    const fn = await this.#function(name);
    if (!(fn instanceof LambdaFunction)) return fn;
    const rawPath = slash < 0 ? "/" : url.pathname.slice(slash);
    return await functionUrlResponse(
      request,
      fn,
      rawPath,
      sourceIp,
      this.#functions.region,
      this.#options.log,
    );
  }

  /**
   * Restarts every function's runtime on its next invocation (after a source change), once its
   * invocations in progress have ended, and finds the handler modules again.
   *
   * @param settings The functions' settings from now on (after a change of their `config`);
   *   the current ones when left out.
   * @param functions The declared functions from now on (after a new build of an artifact);
   *   the current ones when left out.
   * @returns Resolves once the functions served are known again.
   */
  async restart(
    settings?: ReadonlyMap<string, FunctionSettings>,
    functions?: readonly FunctionSpec[],
  ): Promise<void> {
    await this.#functions.restart(settings, functions);
    if (settings === undefined) {
      // The authorizers' code may have changed: their kept answers go.
      this.#apis.refresh();
      return;
    }
    try {
      this.#apis.serve(routesOf(settings));
    } catch (error) {
      this.#options.log(`${error instanceof Error ? error.message : error}`);
    }
  }

  /**
   * Stops listening and kills every runtime process.
   *
   * @returns Resolves once everything has stopped.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#apis.close();
      await this.#functions.close();
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
  #function(name: string): Promise<LambdaFunction | Response> {
    return this.#functions.get(name, (line, requestId) => this.#tails.feed(line, requestId));
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
