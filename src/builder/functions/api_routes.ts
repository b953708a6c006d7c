/**
 * The API Gateway routes a function's `config` declares (`Api` and `HttpApi` events), checked
 * and put in one plain shape that the template and the emulator share: each route's API, method,
 * path, payload format and authorizer, with the defaults API Gateway applies written out.
 *
 * @example The routes of a config, defaults filled in
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { apiRoutes } from "./api_routes.ts";
 *
 * deepEqual(apiRoutes({ events: { Get: { type: "HttpApi", method: "get", path: "/users/{id}" } } }), [
 *   { api: "http", event: "Get", method: "GET", path: "/users/{id}", payloadFormatVersion: "2.0" },
 * ]);
 * ```
 *
 * @module
 */

import type { FunctionConfig } from "../../handler_config.ts";
import { type ApiAuthorizer, checkAuthorizer } from "./api_authorizer.ts";

export type { ApiAuthorizer } from "./api_authorizer.ts";

/** Which API a route belongs to: the REST API (`Api`) or the HTTP API (`HttpApi`). */
export type ApiKind = "rest" | "http";

/** A route, as API Gateway runs it. */
export interface ApiRoute {
  /** Its API. */
  readonly api: ApiKind;
  /** The event's name in the config: `GetUser`. */
  readonly event: string;
  /** `GET`, `POST`…, or `ANY`. */
  readonly method: string;
  /** `/users/{id}`, or `$default` for an HTTP API's catch-all route. */
  readonly path: string;
  /** The event's shape: always `"1.0"` for a REST API. */
  readonly payloadFormatVersion: "1.0" | "2.0";
  /** The authorizer that decides first, if any. */
  readonly authorizer?: ApiAuthorizer;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*,;=:@-]+|\{[A-Za-z0-9._-]+\}|\{[A-Za-z0-9._-]+\+\})$/;

/**
 * The routes a function's config declares, checked.
 *
 * @param config The function's settings (already checked as a whole by `functionsOf`).
 * @param name The function, for messages: `users.handler`.
 * @returns Its routes, in the order of its events.
 * @throws {TypeError} If a route's path, method, payload format or authorizer is malformed.
 */
export function apiRoutes(config: FunctionConfig, name = "the function"): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const [event, source] of Object.entries(config.events ?? {})) {
    if (source.type !== "Api" && source.type !== "HttpApi") continue;
    const fields: Record<string, unknown> = { ...source };
    const where = `Cannot deploy ${name}: events.${event}`;
    const api: ApiKind = source.type === "Api" ? "rest" : "http";
    const catchAll = api === "http" && fields.path === undefined && fields.method === undefined;
    if (!catchAll && (fields.path === undefined || fields.method === undefined)) {
      throw new TypeError(
        `${where} needs both path and method (or, for the $default route, neither)`,
      );
    }
    const method = catchAll ? "ANY" : _method(where, fields.method);
    const path = catchAll ? "$default" : _path(where, fields.path);
    const format = fields.payloadFormatVersion ?? (api === "rest" ? "1.0" : "2.0");
    if (format !== "1.0" && format !== "2.0") {
      throw new TypeError(
        `${where}.payloadFormatVersion must be "1.0" or "2.0", got ${JSON.stringify(format)}`,
      );
    }
    const authorizer = fields.authorizer === undefined
      ? undefined
      : checkAuthorizer(`${where}.authorizer`, api, fields.authorizer);
    routes.push({
      api,
      event,
      method,
      path,
      payloadFormatVersion: format,
      ...(authorizer === undefined ? {} : { authorizer }),
    });
  }
  return routes;
}

/**
 * Checks the routes of every function together: no two alike, and one way to read each path.
 *
 * @example Two functions on one route
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkRouteSet } from "./api_routes.ts";
 *
 * const route = { api: "http", event: "Get", method: "GET", path: "/a", payloadFormatVersion: "2.0" } as const;
 * throws(() => checkRouteSet([{ name: "a", route }, { name: "b", route }]), /GET \/a/);
 * ```
 *
 * @param routes Each route with the function it belongs to.
 * @throws {TypeError} If two routes of one API have the same method and path, if two paths name
 * the same segment differently (`/users/{id}` and `/users/{name}/posts`), or if one function is
 * the authorizer of two routes in different ways.
 */
export function checkRouteSet(
  routes: readonly { readonly name: string; readonly route: ApiRoute }[],
): void {
  const seen = new Map<string, string>();
  const variables = new Map<string, { name: string; variable: string; path: string }>();
  const authorizers = new Map<string, { name: string; json: string }>();
  for (const { name, route } of routes) {
    const label = route.path === "$default" ? "$default" : `${route.method} ${route.path}`;
    const key = `${route.api} ${label}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new TypeError(
        `Cannot route ${_api(route.api)} ${label}: both ${other} and ${name} declare it`,
      );
    }
    seen.set(key, name);
    const segments = route.path === "$default" ? [] : route.path.split("/").slice(1);
    segments.forEach((segment, i) => {
      if (!segment.startsWith("{")) return;
      const at = `${route.api} /${segments.slice(0, i).join("/")}`;
      const variable = segment.replace(/[{}+]/g, "");
      const kind = segment.endsWith("+}") ? "+" : "";
      const known = variables.get(`${at} ${kind}`);
      if (known !== undefined && known.variable !== variable) {
        throw new TypeError(
          `Cannot route ${_api(route.api)} ${route.path} of ${name}: ${known.path} of ` +
            `${known.name} names the same path segment {${known.variable}${kind}}`,
        );
      }
      variables.set(`${at} ${kind}`, { name, variable, path: route.path });
    });
    if (route.authorizer !== undefined) {
      const json = JSON.stringify(route.authorizer);
      const key = `${route.api} ${route.authorizer.function}`;
      const known = authorizers.get(key);
      if (known !== undefined && known.json !== json) {
        throw new TypeError(
          `Cannot route ${_api(route.api)} ${label} of ${name}: it declares authorizer ` +
            `${route.authorizer.function} unlike ${known.name} does (one function, one authorizer ` +
            "per API)",
        );
      }
      authorizers.set(key, { name, json });
    }
  }
}

function _api(api: ApiKind): string {
  return api === "rest" ? "REST API" : "HTTP API";
}

function _method(where: string, value: unknown): string {
  const method = typeof value === "string" ? value.toUpperCase() : "";
  if (!METHODS.includes(method)) {
    throw new TypeError(
      `${where}.method must be one of ${METHODS.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return method;
}

function _path(where: string, value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw new TypeError(`${where}.path must start with /, got ${JSON.stringify(value)}`);
  }
  if (value === "/") return value;
  const segments = value.slice(1).split("/");
  const names = new Set<string>();
  segments.forEach((segment, i) => {
    if (!SEGMENT.test(segment)) {
      throw new TypeError(
        `${where}.path ${value}: "${segment}" is not a path segment (letters, digits and ` +
          "-._~!$&'()*,;=:@, or a {variable}, or a greedy {variable+} at the end)",
      );
    }
    if (segment.endsWith("+}") && i !== segments.length - 1) {
      throw new TypeError(`${where}.path ${value}: a greedy ${segment} must end the path`);
    }
    if (segment.startsWith("{")) {
      const name = segment.replace(/[{}+]/g, "");
      if (names.has(name)) {
        throw new TypeError(`${where}.path ${value}: {${name}} appears twice`);
      }
      names.add(name);
    }
  });
  return value;
}
