/**
 * The events API Gateway sends a function for a request: payload format 2.0 (HTTP APIs), and
 * payload format 1.0 (REST APIs, and HTTP APIs asked for it), with `requestContext` filled as
 * AWS fills it. The authorizer events are made from these (see `authorizer_events.ts`).
 *
 * @module
 */

import { queryParameters } from "../../events/samples/options.ts";
import { toHttpEvent } from "../front/http_event.ts";
import type { RouteMatch } from "./route_table.ts";

/** The API a request came to. */
export interface ApiIdentity {
  /** `http` or `rest`. */
  readonly api: "http" | "rest";
  /** Its id: the first label of its domain name. */
  readonly id: string;
  /** `Prod` for the REST API, `$default` for the HTTP API. */
  readonly stage: string;
  /** The region, for its domain name and ARNs. */
  readonly region: string;
  /** The account, for ARNs and `accountId`. */
  readonly accountId: string;
}

/** One request as API Gateway received it. */
export interface GatewayRequest {
  /** The request, its body already read. */
  readonly request: Request;
  /** Its body. */
  readonly body: Uint8Array;
  /** Its path, as sent, below the stage for a REST API. */
  readonly path: string;
  /** The caller's address. */
  readonly sourceIp: string;
  /** The port it came to, for `X-Forwarded-Port`. */
  readonly port: number;
  /** API Gateway's id for it. */
  readonly requestId: string;
  /** Its `X-Amzn-Trace-Id`. */
  readonly traceId: string;
  /** When it arrived, epoch milliseconds. */
  readonly timeEpoch: number;
}

/** The headers API Gateway adds on its way to the function. */
function _forwarded(request: GatewayRequest): [string, string][] {
  const forwarded = request.request.headers.get("x-forwarded-for");
  return [
    [
      "x-forwarded-for",
      forwarded === null ? request.sourceIp : `${forwarded}, ${request.sourceIp}`,
    ],
    ["x-forwarded-port", String(request.port)],
    ["x-forwarded-proto", new URL(request.request.url).protocol.slice(0, -1)],
    ["x-amzn-trace-id", request.traceId],
  ];
}

/**
 * The domain name a function sees in `requestContext.domainName`.
 *
 * @param api The API.
 * @returns `<id>.execute-api.<region>.amazonaws.com`.
 */
export function domainName(api: ApiIdentity): string {
  return `${api.id}.execute-api.${api.region}.amazonaws.com`;
}

/**
 * The payload format 2.0 event of an HTTP API route.
 *
 * @param request The request.
 * @param match The route it takes.
 * @param api The API.
 * @returns The event.
 */
export function httpApiEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiIdentity,
): Record<string, unknown> {
  const url = new URL(request.request.url);
  const base = toHttpEvent(request.request, {
    rawPath: url.pathname,
    body: request.body,
    sourceIp: request.sourceIp,
    requestId: request.requestId,
    timeEpoch: request.timeEpoch,
  }) as unknown as Record<string, unknown>;
  const headers = base.headers as Record<string, string>;
  for (const [name, value] of _forwarded(request)) headers[name] = value;
  const context = base.requestContext as Record<string, unknown>;
  return {
    ...base,
    routeKey: match.routeKey,
    headers,
    requestContext: {
      ...context,
      accountId: api.accountId,
      apiId: api.id,
      domainName: domainName(api),
      domainPrefix: api.id,
      routeKey: match.routeKey,
      stage: api.stage,
    },
    ...(match.pathParameters === undefined ? {} : { pathParameters: match.pathParameters }),
  };
}

/**
 * The payload format 1.0 event of a REST API route, or of an HTTP API route asking for it.
 *
 * @param request The request.
 * @param match The route it takes.
 * @param api The API.
 * @returns The event.
 */
export function proxyEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiIdentity,
): Record<string, unknown> {
  const url = new URL(request.request.url);
  const headers: Record<string, string> = {};
  const pairs: [string, string][] = [];
  request.request.headers.forEach((value, name) => pairs.push([name, value]));
  for (const [name, value] of [...pairs, ..._forwarded(request)]) {
    // REST APIs pass names as the client spelt them; HTTP/1.1 clients mostly spell them so.
    headers[api.api === "rest" ? _titleCase(name) : name] = value;
  }
  const { single, multi } = queryParameters(url.search.slice(1));
  // Body and its encoding as HTTP APIs decide them: text as text, anything else as base64.
  const v2 = toHttpEvent(request.request, {
    rawPath: url.pathname,
    body: request.body,
    sourceIp: request.sourceIp,
    requestId: request.requestId,
    timeEpoch: request.timeEpoch,
  });
  const path = _decodePath(request.path);
  const resource = match.route.path;
  const time = (v2.requestContext as unknown as { time: string }).time;
  return {
    ...(api.api === "http" ? { version: "1.0" } : {}),
    resource,
    path,
    httpMethod: request.request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: match.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.id,
      domainName: domainName(api),
      domainPrefix: api.id,
      extendedRequestId: _extendedId(request.requestId),
      httpMethod: request.request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.request.headers.get("user-agent") ?? "",
        userArn: null,
      },
      path: api.api === "rest" ? `/${api.stage}${path === "/" ? "" : path}` : path,
      protocol: "HTTP/1.1",
      requestId: request.requestId,
      requestTime: time,
      requestTimeEpoch: request.timeEpoch,
      resourceId: api.api === "rest" ? resourceId(resource) : null,
      resourcePath: resource,
      stage: api.stage,
    },
    body: v2.body ?? null,
    isBase64Encoded: v2.isBase64Encoded,
  };
}

/**
 * The id a REST API gives a resource: six characters, the same for the same path.
 *
 * @param path The resource's path.
 * @returns Its id.
 */
export function resourceId(path: string): string {
  let hash = 2166136261;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 16777619);
  return (hash >>> 0).toString(36).padStart(6, "0").slice(-6);
}

function _extendedId(requestId: string): string {
  return btoa(requestId.replaceAll("-", "").slice(0, 12)).slice(0, 16);
}

function _titleCase(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

function _decodePath(path: string): string {
  return path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }).join("/");
}
