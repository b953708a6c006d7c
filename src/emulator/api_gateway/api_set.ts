/**
 * The emulator's APIs: its HTTP API and its REST API, each started on its own port the first
 * time some function declares a route in it, and given new routes when the functions' configs
 * change.
 *
 * @module
 */

import type { ApiKind } from "../../builder/functions/api_routes.ts";
import { ApiGateway, type Invocable } from "./api_gateway.ts";
import type { FunctionRoute } from "./route_table.ts";

/** Where the APIs listen and how they reach the functions. */
export interface ApiSetOptions {
  /** The address to bind: the front's. */
  readonly hostname: string;
  /** The front's port: each API's default port follows it (`0`: free ports). */
  readonly port: number;
  /** The HTTP API's port; the front's plus one by default. */
  readonly httpApiPort?: number | undefined;
  /** The REST API's port; the front's plus two by default. */
  readonly restApiPort?: number | undefined;
  /** The region, for domain names and ARNs. */
  readonly region: string;
  /** The function a name refers to, or the response saying there is none. */
  readonly resolve: (name: string) => Promise<Invocable | Response>;
  /** Where the APIs' own lines go. */
  readonly log: (line: string) => void;
}

/** An API being served: where, and its routes. */
export interface ServedApi {
  /** Its base URL, stage included. */
  readonly url: string;
  /** Its routes and their functions. */
  readonly routes: readonly FunctionRoute[];
}

/** The HTTP API and the REST API, those with routes running. */
export class ApiSet {
  readonly #options: ApiSetOptions;
  readonly #apis = new Map<ApiKind, ApiGateway>();

  /** @param options Where to listen and how to reach the functions. */
  constructor(options: ApiSetOptions) {
    this.#options = options;
  }

  /** The APIs running, by kind, HTTP first. */
  get served(): ReadonlyMap<ApiKind, ServedApi> {
    return new Map(
      [...this.#apis].map(([kind, api]) => [kind, { url: api.url, routes: api.routes }]),
    );
  }

  /**
   * Serves these routes from now on, starting each API the first time it has routes.
   *
   * @param routes Every function's routes.
   * @throws {Deno.errors.AddrInUse} If an API's port is taken (the message names the flag that
   * moves it); the APIs started by this call are stopped.
   */
  serve(routes: readonly FunctionRoute[]): void {
    const o = this.#options;
    const ports: Record<ApiKind, number> = {
      http: o.httpApiPort ?? (o.port === 0 ? 0 : o.port + 1),
      rest: o.restApiPort ?? (o.port === 0 ? 0 : o.port + 2),
    };
    const started: ApiGateway[] = [];
    for (const kind of ["http", "rest"] as const) {
      const running = this.#apis.get(kind);
      if (running !== undefined) {
        running.setRoutes(routes);
        continue;
      }
      if (!routes.some(({ route }) => route.api === kind)) continue;
      try {
        const api = ApiGateway.listen({ ...o, api: kind, port: ports[kind] }, routes);
        this.#apis.set(kind, api);
        started.push(api);
      } catch (error) {
        if (!(error instanceof Deno.errors.AddrInUse)) throw error;
        for (const api of started) {
          for (const [k, a] of this.#apis) if (a === api) this.#apis.delete(k);
          void api.close();
        }
        throw new Deno.errors.AddrInUse(
          `Cannot serve the ${kind === "http" ? "HTTP" : "REST"} API: ${o.hostname}:` +
            `${ports[kind]} is in use; pick another port with --${kind}-api-port`,
        );
      }
    }
  }

  /** Forgets what the authorizers' answers kept (their code may have changed). */
  refresh(): void {
    for (const api of this.#apis.values()) api.setRoutes(api.routes);
  }

  /**
   * Stops every API.
   *
   * @returns Resolves once they have stopped.
   */
  async close(): Promise<void> {
    await Promise.all([...this.#apis.values()].map((api) => api.close()));
  }
}

/**
 * The lines that say where the APIs listen and what each route runs, for a banner.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { describeApis } from "./api_set.ts";
 *
 * const route = { api: "http", event: "E", method: "GET", path: "/users/{id}", payloadFormatVersion: "2.0" } as const;
 * deepEqual(
 *   describeApis(new Map([["http", { url: "http://127.0.0.1:3001/", routes: [{ function: "users", route }] }]])),
 *   ["HTTP API: http://127.0.0.1:3001/", "  GET /users/{id}  users"],
 * );
 * ```
 *
 * @param apis The APIs served.
 * @returns One line per API, then one per route.
 */
export function describeApis(apis: ReadonlyMap<ApiKind, ServedApi>): string[] {
  const lines: string[] = [];
  for (const [kind, api] of apis) {
    lines.push(`${kind === "http" ? "HTTP API" : "REST API"}: ${api.url}`);
    const keys = api.routes.map(({ route }) =>
      route.path === "$default" ? "$default" : `${route.method} ${route.path}`
    );
    const width = Math.max(...keys.map((key) => key.length));
    api.routes.forEach(({ function: fn, route }, i) => {
      const format = kind === "http" && route.payloadFormatVersion === "1.0"
        ? "  (payload 1.0)"
        : "";
      const auth = route.authorizer === undefined
        ? ""
        : `  (authorizer ${route.authorizer.function}, ${route.authorizer.type})`;
      lines.push(`  ${keys[i]!.padEnd(width)}  ${fn}${format}${auth}`);
    });
  }
  return lines;
}
