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

/** A Lambda authorizer, as API Gateway runs it. */
export interface ApiAuthorizer {
  /** The deciding function's name: `auth`, or `auth.token`. */
  readonly function: string;
  /** `TOKEN` (REST only) or `REQUEST`. */
  readonly type: "TOKEN" | "REQUEST";
  /** The shape of its event: always `"1.0"` for a REST API. */
  readonly payloadFormatVersion: "1.0" | "2.0";
  /** Whether it answers `{ isAuthorized, context }` rather than an IAM policy. */
  readonly simpleResponses: boolean;
  /** Headers it needs (a `TOKEN` authorizer's one token header). */
  readonly headers: readonly string[];
  /** Query string parameters it needs. */
  readonly queryStrings: readonly string[];
  /** Context variables it needs. */
  readonly context: readonly string[];
  /** What a `TOKEN` must match. */
  readonly validationExpression?: string;
  /** How long an answer is kept for the same identity values, in seconds. */
  readonly ttlSeconds: number;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*,;=:@-]+|\{[A-Za-z0-9._-]+\}|\{[A-Za-z0-9._-]+\+\})$/;
const IDENTITY_KEYS = [
  "headers",
  "queryStrings",
  "context",
  "validationExpression",
  "reauthorizeEvery",
];

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
      : _authorizer(`${where}.authorizer`, api, fields.authorizer);
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

function _authorizer(where: string, api: ApiKind, value: unknown): ApiAuthorizer {
  const fields = _record(where, value);
  const known = api === "rest"
    ? ["function", "type", "identity"]
    : ["function", "payloadFormatVersion", "simpleResponses", "identity"];
  _known(where, fields, known);
  if (
    typeof fields.function !== "string" ||
    !/^[A-Za-z0-9_-]+(\.[A-Za-z_$][\w$]*)?$/.test(fields.function)
  ) {
    throw new TypeError(
      `${where}.function must name one of the project's functions (auth, or auth.export), got ` +
        JSON.stringify(fields.function),
    );
  }
  const type = fields.type ?? (api === "rest" ? "TOKEN" : "REQUEST");
  if (type !== "TOKEN" && type !== "REQUEST") {
    throw new TypeError(`${where}.type must be "TOKEN" or "REQUEST", got ${JSON.stringify(type)}`);
  }
  const format = fields.payloadFormatVersion ?? (api === "rest" ? "1.0" : "2.0");
  if (format !== "1.0" && format !== "2.0") {
    throw new TypeError(`${where}.payloadFormatVersion must be "1.0" or "2.0"`);
  }
  const simple = fields.simpleResponses ?? false;
  if (typeof simple !== "boolean" || (simple && format !== "2.0")) {
    throw new TypeError(
      `${where}.simpleResponses must be a boolean, and true only with format 2.0`,
    );
  }
  const identity = fields.identity === undefined
    ? {}
    : _record(`${where}.identity`, fields.identity);
  _known(`${where}.identity`, identity, IDENTITY_KEYS);
  const lists = {
    headers: _names(`${where}.identity.headers`, identity.headers),
    queryStrings: _names(`${where}.identity.queryStrings`, identity.queryStrings),
    context: _names(`${where}.identity.context`, identity.context),
  };
  const { validationExpression, reauthorizeEvery } = identity;
  if (type === "TOKEN") {
    if (lists.headers.length > 1 || lists.queryStrings.length + lists.context.length > 0) {
      throw new TypeError(`${where}.identity of a TOKEN authorizer is one header, no more`);
    }
    if (lists.headers.length === 0) lists.headers = ["Authorization"];
  }
  if (validationExpression !== undefined) {
    if (type !== "TOKEN" || typeof validationExpression !== "string") {
      throw new TypeError(`${where}.identity.validationExpression is a string, for TOKEN only`);
    }
    try {
      new RegExp(validationExpression);
    } catch (error) {
      throw new TypeError(`${where}.identity.validationExpression: ${(error as Error).message}`);
    }
  }
  const ttl = reauthorizeEvery ?? (api === "rest" ? 300 : 0);
  if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new TypeError(`${where}.identity.reauthorizeEvery must be an integer from 0 to 3600`);
  }
  const sources = lists.headers.length + lists.queryStrings.length + lists.context.length;
  if (ttl > 0 && sources === 0) {
    throw new TypeError(
      `${where}.identity needs a header, query string or context variable to keep answers by ` +
        "(or reauthorizeEvery: 0)",
    );
  }
  return {
    function: fields.function,
    type,
    payloadFormatVersion: format,
    simpleResponses: simple,
    ...lists,
    ...(typeof validationExpression === "string" ? { validationExpression } : {}),
    ttlSeconds: ttl,
  };
}

function _names(where: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && /^[\w.-]+$/.test(v))) {
    throw new TypeError(`${where} must be a list of names`);
  }
  return value.map(String);
}

function _known(where: string, fields: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where} has an unknown key "${key}" (known: ${known.join(", ")})`);
    }
  }
}

function _record(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object`);
  }
  return { ...value };
}
