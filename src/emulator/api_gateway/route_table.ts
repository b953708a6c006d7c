/**
 * Which route of an API a request takes, by API Gateway's rules. An HTTP API picks, among the
 * routes whose method (or `ANY`) and path fit, the most specific path (a literal segment over a
 * `{variable}` over a greedy `{variable+}`), a named method over `ANY`, and `$default` when none
 * fits. A REST API picks the most specific resource first, then its method or `ANY`; a resource
 * without either answers as if there were no route at all.
 *
 * @module
 */

import type { ApiKind, ApiRoute } from "../../builder/functions/api_routes.ts";

/** A route and the function behind it. */
export interface FunctionRoute {
  /** The function's name in the emulator: `users`, or `users.update`. */
  readonly function: string;
  /** The route. */
  readonly route: ApiRoute;
}

/** The route a request takes, and what its path variables hold. */
export interface RouteMatch extends FunctionRoute {
  /** Each `{variable}`'s segment, decoded; `undefined` when the route has none. */
  readonly pathParameters: Record<string, string> | undefined;
  /** `GET /users/{id}`, or `$default`. */
  readonly routeKey: string;
}

interface _Compiled extends FunctionRoute {
  readonly segments: readonly string[];
}

/**
 * The routes of one API, ready to match requests.
 *
 * @example An HTTP API: the literal route wins, `ANY` catches other methods
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { RouteTable } from "./route_table.ts";
 *
 * const route = (method: string, path: string) =>
 *   ({ api: "http", event: "E", method, path, payloadFormatVersion: "2.0" }) as const;
 * const table = new RouteTable("http", [
 *   { function: "me", route: route("GET", "/users/me") },
 *   { function: "user", route: route("GET", "/users/{id}") },
 *   { function: "any", route: route("ANY", "/{proxy+}") },
 * ]);
 * equal(table.match("GET", "/users/me")?.function, "me");
 * equal(table.match("GET", "/users/7")?.pathParameters?.id, "7");
 * equal(table.match("POST", "/users/7")?.routeKey, "ANY /{proxy+}");
 * ```
 */
export class RouteTable {
  readonly #api: ApiKind;
  readonly #routes: readonly _Compiled[];

  /**
   * @param api Which kind of API the routes are of, for its matching rules.
   * @param routes The routes of that API (others are left out).
   */
  constructor(api: ApiKind, routes: readonly FunctionRoute[]) {
    this.#api = api;
    this.#routes = routes.filter(({ route }) => route.api === api).map((r) => ({
      ...r,
      segments: r.route.path === "/" || r.route.path === "$default"
        ? []
        : r.route.path.slice(1).split("/"),
    }));
  }

  /** The routes, in the order given. */
  get routes(): readonly FunctionRoute[] {
    return this.#routes.map(({ function: fn, route }) => ({ function: fn, route }));
  }

  /**
   * Finds the route a request takes.
   *
   * @param method The request's method.
   * @param path The request's path, as sent (percent-encoded), below the stage for a REST API.
   * @returns The route, or `undefined` when API Gateway would answer that there is none.
   */
  match(method: string, path: string): RouteMatch | undefined {
    const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
    const segments = trimmed === "/" ? [] : trimmed.slice(1).split("/");
    let best: { route: _Compiled; score: number[]; params: Record<string, string> } | undefined;
    for (const route of this.#routes) {
      if (route.route.path === "$default") continue;
      // An HTTP API routes by method and path together; a REST API by resource first.
      if (this.#api === "http" && route.route.method !== "ANY" && route.route.method !== method) {
        continue;
      }
      const fit = _fit(route.segments, segments);
      if (fit === undefined) continue;
      const order = best === undefined ? 1 : _compare(fit.score, best.score);
      const better = order > 0 ||
        (order === 0 && best !== undefined &&
          _methodRank(route, method) > _methodRank(best.route, method));
      if (better) best = { route, ...fit };
    }
    if (this.#api === "rest" && best !== undefined) {
      // The resource is chosen; now its method, else ANY, else nothing.
      const resource = best.route.route.path;
      const same = this.#routes.filter((r) => r.route.path === resource);
      const chosen = same.find((r) => r.route.method === method) ??
        same.find((r) => r.route.method === "ANY");
      if (chosen === undefined) return undefined;
      best = { ...best, route: chosen };
    }
    if (best === undefined) {
      const fallback = this.#routes.find((r) => r.route.path === "$default");
      return fallback === undefined ? undefined : {
        function: fallback.function,
        route: fallback.route,
        pathParameters: undefined,
        routeKey: "$default",
      };
    }
    const { route, params } = best;
    return {
      function: route.function,
      route: route.route,
      pathParameters: Object.keys(params).length === 0 ? undefined : params,
      routeKey: `${route.route.method} ${route.route.path}`,
    };
  }
}

/** How a route's segments fit a path's: its variables, and how specific each segment was. */
function _fit(
  pattern: readonly string[],
  segments: readonly string[],
): { score: number[]; params: Record<string, string> } | undefined {
  const score: number[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part.endsWith("+}")) {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.every((s) => s === "")) return undefined;
      params[part.slice(1, -2)] = rest.map(_decode).join("/");
      score.push(0);
      return { score, params };
    }
    const segment = segments[i];
    if (segment === undefined || segment === "") return undefined;
    if (part.startsWith("{")) {
      params[part.slice(1, -1)] = _decode(segment);
      score.push(1);
    } else {
      if (_decode(segment) !== part) return undefined;
      score.push(2);
    }
  }
  return segments.length === pattern.length ? { score, params } : undefined;
}

function _compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function _methodRank(route: _Compiled, method: string): number {
  return route.route.method === method ? 1 : 0;
}

function _decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
