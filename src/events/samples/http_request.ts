/**
 * What the HTTP sources' samples share: the request the options describe (method, path, query,
 * headers, body) and the API Gateway route it matches, with its path parameters.
 *
 * @module
 */

import { ACCOUNT, all, one, queryParameters, type SampleOptions } from "./options.ts";

/** The options every HTTP sample takes. */
export const HTTP_OPTIONS = {
  method: "the HTTP method (GET, or POST with --body)",
  path: "the path, with an optional ?query (/)",
  body: "the request body, as text (none)",
  header: 'a header, "Name: value"; repeatable (none beyond the usual ones)',
  query: "a query parameter, name=value; repeatable, after the --path query (none)",
} as const;

/** The source IP, user agent and time every HTTP sample shows. */
export const SOURCE_IP = "198.51.100.7";
/** The user agent of every HTTP sample. */
export const USER_AGENT = "curl/8.5.0";
/** When every HTTP sample's request arrives, as API Gateway writes it. */
export const REQUEST_TIME = "02/Jan/2024:03:04:05 +0000";

/** The request the options describe. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Without `?`. */
  readonly query: string;
  readonly body: string | undefined;
  /** Lower-case names, as HTTP APIs and function URLs send them. */
  readonly headers: Record<string, string>;
}

/**
 * The request of the `--method`, `--path`, `--query`, `--header` and `--body` options.
 *
 * @param source The source, for error messages.
 * @param options The options.
 * @param host The `host` header.
 * @param defaultPath The path when `--path` is not given.
 * @returns The request.
 * @throws {TypeError} If a `--header` or `--query` is not `name: value` or `name=value`.
 */
export function httpRequest(
  source: string,
  options: SampleOptions,
  host: string,
  defaultPath = "/",
): HttpRequest {
  const body = options.body?.at(-1);
  const target = one(options, "path", defaultPath);
  const [path = "/", pathQuery = ""] = target.split("?", 2) as [string, string?];
  const query = new URLSearchParams(pathQuery);
  for (const pair of all(options, "query", [])) {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      throw new TypeError(`Cannot make a ${source} event: --query ${pair} is not name=value`);
    }
    query.append(pair.slice(0, equals), pair.slice(equals + 1));
  }
  const headers: Record<string, string> = {
    accept: "*/*",
    host,
    "user-agent": USER_AGENT,
    "x-forwarded-for": SOURCE_IP,
    "x-forwarded-proto": "https",
    ...(body === undefined ? {} : { "content-type": _contentType(body) }),
  };
  for (const line of all(options, "header", [])) {
    const colon = line.indexOf(":");
    if (colon <= 0) {
      throw new TypeError(`Cannot make a ${source} event: --header ${line} is not "Name: value"`);
    }
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    method: one(options, "method", body === undefined ? "GET" : "POST").toUpperCase(),
    path: path.startsWith("/") ? path : `/${path}`,
    query: query.toString(),
    body,
    headers,
  };
}

function _contentType(body: string): string {
  return /^\s*[[{]/.test(body) ? "application/json" : "text/plain; charset=utf-8";
}

/** A route (`/users/{id}`, `/{proxy+}`) and the parameters a path gives it. */
export interface MatchedRoute {
  /** The route's path template. */
  readonly template: string;
  /** The path, the template filled in. */
  readonly path: string;
  /** The parameters, or `null` when the template has none. */
  readonly parameters: Record<string, string> | null;
}

/**
 * Matches the request's path to a route's template or, when `--route` is given without
 * `--path`, fills the template in with the `--path-parameter` values. Explicit parameters win.
 *
 * @param source The source, for error messages.
 * @param options The options (`--route`, `--path`, `--path-parameter`).
 * @param template The route's path template.
 * @param path The request's path.
 * @returns The route, its path and parameters.
 * @throws {TypeError} If the path does not match the template, or a parameter has no value.
 */
export function matchRoute(
  source: string,
  options: SampleOptions,
  template: string,
  path: string,
): MatchedRoute {
  const given: Record<string, string> = {};
  for (const pair of all(options, "path-parameter", [])) {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      throw new TypeError(
        `Cannot make a ${source} event: --path-parameter ${pair} is not name=value`,
      );
    }
    given[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const names = [...template.matchAll(/\{([^}]+?)\+?\}/g)].map((m) => m[1]!);
  if (options.path === undefined && options.route !== undefined) {
    const filled = template.replace(/\{([^}]+?)(\+?)\}/g, (_, name: string) => {
      const value = given[name];
      if (value === undefined) {
        throw new TypeError(
          `Cannot make a ${source} event: --route ${template} needs --path or --path-parameter ${name}=…`,
        );
      }
      return value;
    });
    return { template, path: filled, parameters: names.length === 0 ? null : given };
  }
  const pattern = new RegExp(
    `^${
      template.split(/(\{[^}]+\})/).map((part) =>
        part.startsWith("{")
          ? part.endsWith("+}") ? "(.*)" : "([^/]+)"
          : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      ).join("")
    }$`,
  );
  const found = pattern.exec(path);
  if (found === null) {
    throw new TypeError(`Cannot make a ${source} event: --path ${path} does not match ${template}`);
  }
  const parameters = Object.fromEntries(names.map((name, i) => [name, found[i + 1] ?? ""]));
  return {
    template,
    path,
    parameters: names.length === 0 ? null : { ...parameters, ...given },
  };
}

/** The fields of a payload format 2.0 event (HTTP APIs, function URLs) that vary. */
export interface V2Route {
  /** `$default`, or `METHOD /path`. */
  readonly routeKey: string;
  readonly stage: string;
  readonly pathParameters: Record<string, string> | null;
}

/**
 * A payload format 2.0 event: an HTTP API's or a function URL's.
 *
 * @param request The request.
 * @param host The domain name.
 * @param route The route key, stage and path parameters.
 * @param now The request's time, in epoch milliseconds.
 * @returns The event.
 */
export function v2Event(
  request: HttpRequest,
  host: string,
  route: V2Route,
  now: number,
): Record<string, unknown> {
  const { joined } = queryParameters(request.query);
  const prefix = host.split(".")[0];
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: request.path,
    rawQueryString: request.query,
    headers: request.headers,
    ...(joined === null ? {} : { queryStringParameters: joined }),
    ...(route.pathParameters === null ? {} : { pathParameters: route.pathParameters }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: prefix,
      domainName: host,
      domainPrefix: prefix,
      http: {
        method: request.method,
        path: request.path,
        protocol: "HTTP/1.1",
        sourceIp: SOURCE_IP,
        userAgent: USER_AGENT,
      },
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      routeKey: route.routeKey,
      stage: route.stage,
      time: REQUEST_TIME,
      timeEpoch: now,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
}

/** The fields of a payload format 1.0 event (REST APIs, HTTP APIs) that vary. */
export interface V1Route {
  /** The resource (REST) or route (HTTP API) path template. */
  readonly resource: string;
  readonly stage: string;
  /** A REST API's resource id; an HTTP API's route key. */
  readonly resourceId: string | null;
  readonly pathParameters: Record<string, string> | null;
}

/**
 * A payload format 1.0 event: a REST API's, or an HTTP API's (which adds `version`).
 *
 * @param request The request.
 * @param host The domain name.
 * @param route The resource, stage, resource id and path parameters.
 * @param now The request's time, in epoch milliseconds.
 * @returns The event.
 */
export function v1Event(
  request: HttpRequest,
  host: string,
  route: V1Route,
  now: number,
): Record<string, unknown> {
  const { single, multi } = queryParameters(request.query);
  const stagePath = route.stage === "$default" ? "" : `/${route.stage}`;
  const prefix = host.split(".")[0];
  return {
    resource: route.resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [key, [value]]),
    ),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: prefix,
      domainName: host,
      domainPrefix: prefix,
      extendedRequestId: "BBcyMFR1IAMEbkA=",
      httpMethod: request.method,
      identity: { sourceIp: SOURCE_IP, userAgent: USER_AGENT },
      path: `${stagePath}${request.path}`,
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTime: REQUEST_TIME,
      requestTimeEpoch: now,
      resourceId: route.resourceId,
      resourcePath: route.resource,
      stage: route.stage,
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}
