/**
 * One API of the project (its REST API, or its HTTP API) served on its own loopback port, as
 * `sam local start-api` serves a template's: each request is matched to a route, passed by the
 * route's authorizer if it has one, sent to the route's function as the event API Gateway sends,
 * and the function's answer returned as that API returns it. What API Gateway answers itself (no
 * route, refused, a failed function) it answers here with its own status and body, and the
 * emulator's log says why.
 *
 * @module
 */

import type { ApiKind } from "../../builder/functions/api_routes.ts";
import { type BoundAddress, guardRequest } from "../front/request_guard.ts";
import { readBody } from "../front/request_body.ts";
import { type AuthorizerAnswer, Authorizers } from "./authorizers.ts";
import { type Called, callFunction, type Invocable } from "./function_call.ts";
import { type GatewayFailure, gatewayHeaders, gatewayResponse } from "./gateway_responses.ts";
import { integrationResponse } from "./integration_result.ts";
import { type ApiIdentity, type GatewayRequest, httpApiEvent, proxyEvent } from "./proxy_events.ts";
import { type FunctionRoute, type RouteMatch, RouteTable } from "./route_table.ts";

export type { Invocable } from "./function_call.ts";

/** How to run one API. */
export interface ApiGatewayOptions {
  /** `http` or `rest`. */
  readonly api: ApiKind;
  /** The address to bind; the front's. */
  readonly hostname: string;
  /** The port; `0` picks a free one. */
  readonly port: number;
  /** The region, for domain names and ARNs. */
  readonly region: string;
  /** The function a name refers to, or the response saying there is none. */
  readonly resolve: (name: string) => Promise<Invocable | Response>;
  /** Where the gateway's own lines go. */
  readonly log: (line: string) => void;
  /** How long the API waits for a function: 29 s for a REST API, 30 s for an HTTP API. */
  readonly integrationTimeoutMs?: number;
  /** The clock, epoch milliseconds. */
  readonly now?: () => number;
}

/** API Gateway's limit on a request's payload: 10 MB. */
const MAX_PAYLOAD_BYTES = 10_485_760;
const ACCOUNT = "123456789012";
const IDS: Record<ApiKind, string> = { http: "localhttp0", rest: "localrest0" };

/**
 * One API on its own port.
 *
 * @example An HTTP API with one route, answered without a socket
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGateway } from "./api_gateway.ts";
 *
 * const body = new TextEncoder().encode('{"statusCode":200,"body":"hi"}');
 * await using api = ApiGateway.listen({
 *   api: "http", hostname: "127.0.0.1", port: 0, region: "us-east-1", log: () => {},
 *   resolve: () => Promise.resolve({
 *     invoke: () => Promise.resolve({ kind: "response", requestId: "r", contentType: undefined, body }),
 *   }),
 * }, [{ function: "hi", route: { api: "http", event: "Hi", method: "GET", path: "/hi", payloadFormatVersion: "2.0" } }]);
 * const response = await api.fetch(new Request(`${api.url}hi`));
 * equal(await response.text(), "hi");
 * equal((await api.fetch(new Request(`${api.url}nope`))).status, 404);
 * ```
 */
export class ApiGateway implements AsyncDisposable {
  /** Where it listens: `http://127.0.0.1:3001/`, with the stage for a REST API. */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  readonly #options: ApiGatewayOptions;
  readonly #identity: ApiIdentity;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #stopping = new AbortController();
  readonly #bound: BoundAddress;
  readonly #authorizers: Authorizers;
  #table: RouteTable;

  private constructor(options: ApiGatewayOptions, routes: readonly FunctionRoute[]) {
    this.#options = options;
    this.#table = new RouteTable(options.api, routes);
    this.#identity = {
      api: options.api,
      id: IDS[options.api],
      stage: options.api === "rest" ? "Prod" : "$default",
      region: options.region,
      accountId: ACCOUNT,
    };
    this.#authorizers = new Authorizers({
      api: this.#identity,
      call: (name, event) => this.#callAuthorizer(name, event),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.#server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      signal: this.#stopping.signal,
      onListen: () => {},
    }, (request, info) => this.fetch(request, info.remoteAddr.hostname));
    const { hostname, port } = this.#server.addr;
    this.port = port;
    this.#bound = { hostname: options.hostname, port };
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    this.url = `http://${host}:${port}/${options.api === "rest" ? `${this.#identity.stage}/` : ""}`;
  }

  /**
   * Starts listening.
   *
   * @param options The API, where to listen, and how to reach its functions.
   * @param routes Its routes.
   * @returns The running API.
   * @throws {Deno.errors.AddrInUse} If the port is taken.
   */
  static listen(options: ApiGatewayOptions, routes: readonly FunctionRoute[]): ApiGateway {
    return new ApiGateway(options, routes);
  }

  /** The routes it serves. */
  get routes(): readonly FunctionRoute[] {
    return this.#table.routes;
  }

  /**
   * Serves other routes from now on, and forgets the authorizers' kept answers.
   *
   * @param routes The routes (those of other APIs are left out).
   */
  setRoutes(routes: readonly FunctionRoute[]): void {
    this.#table = new RouteTable(this.#options.api, routes);
    this.#authorizers.clear();
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
    const now = this.#options.now ?? Date.now;
    const requestId = crypto.randomUUID();
    const api = this.#options.api;
    const url = new URL(request.url);
    const path = this.#belowStage(url.pathname);
    const match = path === undefined ? undefined : this.#table.match(request.method, path);
    if (path === undefined || match === undefined) {
      this.#log(`no route for ${request.method} ${url.pathname}${this.#hint(url.pathname)}`);
      await request.body?.cancel();
      return gatewayResponse(api, "noRoute", requestId);
    }
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    if (body === undefined) return gatewayResponse(api, "tooLarge", requestId);
    const gateway: GatewayRequest = {
      request,
      body,
      path,
      sourceIp,
      port: this.port,
      requestId,
      traceId: _traceId(now()),
      timeEpoch: now(),
    };
    const events = new Map<string, Record<string, unknown>>();
    const eventOf = (format: "1.0" | "2.0") => {
      let event = events.get(format);
      if (event === undefined) {
        event = format === "2.0"
          ? httpApiEvent(gateway, match, this.#identity)
          : proxyEvent(gateway, match, this.#identity);
        events.set(format, event);
      }
      return event;
    };
    const event = eventOf(match.route.payloadFormatVersion);
    if (match.route.authorizer !== undefined) {
      const decision = await this.#authorizers.decide(gateway, match, eventOf);
      if (!decision.allow) {
        this.#log(
          `${match.routeKey}: authorizer ${match.route.authorizer.function} refused the request ` +
            `(${decision.reason})`,
        );
        return gatewayResponse(api, decision.failure, requestId);
      }
      (event.requestContext as Record<string, unknown>).authorizer = decision.authorizer;
    }
    return await this.#integrate(match, event, requestId);
  }

  /**
   * Stops listening.
   *
   * @returns Resolves once the server has stopped.
   */
  async close(): Promise<void> {
    this.#stopping.abort();
    await this.#server.finished;
  }

  /**
   * Closes it, for `await using`.
   *
   * @returns The same as {@linkcode close}.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #integrate(
    match: RouteMatch,
    event: Record<string, unknown>,
    requestId: string,
  ): Promise<Response> {
    const api = this.#options.api;
    const fail = (failure: GatewayFailure, why: string) => {
      this.#log(`${match.routeKey}: ${match.function} ${why}`);
      return gatewayResponse(api, failure, requestId);
    };
    const answer = await this.#call(match.function, event);
    if (answer === "timeout") {
      return fail("timeout", "took longer than the API waits for an integration");
    }
    if (answer.kind === "failed") return fail("integrationFailed", answer.reason);
    let result;
    try {
      result = integrationResponse(answer.body, match.route.payloadFormatVersion, api);
    } catch (error) {
      result = { ok: false as const, reason: String(error) };
    }
    if (!result.ok) {
      return fail("integrationFailed", `answered in a shape the API cannot read: ${result.reason}`);
    }
    for (const [name, value] of gatewayHeaders(api, requestId)) {
      result.response.headers.set(name, value);
    }
    return result.response;
  }

  #call(name: string, event: Record<string, unknown>): Promise<Called> {
    const o = this.#options;
    const limit = o.integrationTimeoutMs ?? (o.api === "rest" ? 29_000 : 30_000);
    return callFunction(o.resolve, name, event, limit);
  }

  async #callAuthorizer(name: string, event: Record<string, unknown>): Promise<AuthorizerAnswer> {
    const answer = await this.#call(name, event);
    if (answer === "timeout") return { ok: false, errorMessage: "", reason: "it timed out" };
    if (answer.kind === "failed") {
      return { ok: false, errorMessage: answer.errorMessage, reason: answer.reason };
    }
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(answer.body)) };
    } catch {
      return { ok: false, errorMessage: "", reason: "its answer is not JSON" };
    }
  }

  /** The path below the stage (a REST API's URLs start with it), or `undefined` if elsewhere. */
  #belowStage(pathname: string): string | undefined {
    if (this.#options.api === "http") return pathname;
    const prefix = `/${this.#identity.stage}`;
    if (pathname === prefix) return "/";
    return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : undefined;
  }

  #hint(pathname: string): string {
    if (this.#options.api === "rest" && this.#belowStage(pathname) === undefined) {
      return ` (the REST API's routes are under its stage, ${this.url})`;
    }
    const routes = this.#table.routes;
    return routes.length === 0 ? " (this API has no routes)" : "";
  }

  #log(line: string): void {
    this.#options.log(`[${this.#options.api === "rest" ? "REST API" : "HTTP API"}] ${line}`);
  }
}

/** An X-Ray trace header, `Root=1-<time>-<random>`, as API Gateway adds to each request. */
function _traceId(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(12));
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${hex}`;
}
