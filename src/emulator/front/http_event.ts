/**
 * A web `Request` as a Lambda Function URL (API Gateway HTTP API, payload format 2.0) event:
 * the emulator's HTTP front turns each request into the event the function would get behind
 * a Function URL.
 *
 * @module
 */

import type { ApiGatewayV2Event } from "../../http/event.ts";
import { isTextContent } from "../../http/response.ts";

/** What the event says beyond the request itself. */
export interface HttpEventOptions {
  /** The path the function sees: the URL's path after `/{function}`, at least `/`. */
  readonly rawPath: string;
  /** The request body, already read. */
  readonly body: Uint8Array;
  /** The caller's address. */
  readonly sourceIp: string;
  /** `requestContext.requestId`. */
  readonly requestId: string;
  /** Epoch milliseconds of the request. Defaults to `Date.now()`. */
  readonly timeEpoch?: number;
  /** The function behind the URL, whose URL id the event names. Defaults to `function`. */
  readonly functionName?: string;
  /** The region in the URL's domain. Defaults to `us-east-1`. */
  readonly region?: string;
}

const decoder = new TextDecoder();
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Builds the Function URL event for a request. Header names are lower-cased and repeated
 * headers joined with commas; the `Cookie` header travels as the `cookies` array instead; the
 * body is text when its content type is text, base64 otherwise.
 *
 * @example A GET with a query string and a cookie
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { toHttpEvent } from "./http_event.ts";
 *
 * const request = new Request("http://127.0.0.1:3000/hello/there?name=Ada", {
 *   headers: { cookie: "a=1; b=2", "user-agent": "curl/8" },
 * });
 * const event = toHttpEvent(request, {
 *   rawPath: "/there", body: new Uint8Array(), sourceIp: "127.0.0.1", requestId: "r1",
 * });
 * equal(event.rawPath, "/there");
 * equal(event.rawQueryString, "name=Ada");
 * deepEqual(event.cookies, ["a=1", "b=2"]);
 * equal(event.requestContext.http.method, "GET");
 * equal(event.headers?.cookie, undefined);
 * ```
 *
 * @param request The request.
 * @param options The path, body, caller and ids.
 * @returns The event.
 */
export function toHttpEvent(request: Request, options: HttpEventOptions): ApiGatewayV2Event {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  // forEach rather than for…of, which costs ten times as much per header in Deno.
  request.headers.forEach((value, name) => {
    if (name === "cookie") {
      cookies = value.split(";").map((cookie) => cookie.trim()).filter((c) => c !== "");
    } else {
      headers[name] = value;
    }
  });
  const rawQueryString = url.search.slice(1);
  const query = _query(url.searchParams);
  const timeEpoch = options.timeEpoch ?? Date.now();
  const text = isTextContent(
    request.headers.get("content-type"),
    request.headers.get("content-encoding"),
  );
  const hasBody = options.body.length > 0;
  const isBase64Encoded = hasBody && text !== true &&
    !(text === undefined && _isUtf8(options.body));
  // The event names the Function URL's own domain, as AWS does; the Host header keeps the
  // address the request came to, so links the function makes still lead back to the emulator.
  const urlId = functionUrlId(options.functionName ?? "function");
  const domainName = `${urlId}.lambda-url.${options.region ?? "us-east-1"}.on.aws`;
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: "$default",
    rawPath: options.rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: "anonymous",
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: {
        method: request.method,
        path: options.rawPath,
        protocol: "HTTP/1.1",
        sourceIp: options.sourceIp,
        userAgent: request.headers.get("user-agent") ?? "",
      },
      requestId: options.requestId,
      routeKey: "$default",
      stage: "$default",
      time: _clf(new Date(timeEpoch)),
      timeEpoch,
    },
    ...(hasBody
      ? {
        body: isBase64Encoded ? options.body.toBase64() : decoder.decode(options.body),
      }
      : {}),
    isBase64Encoded,
  };
  return event as ApiGatewayV2Event;
}

/**
 * A function's URL id: 32 lower-case letters and digits, as AWS's are, always the same for the
 * same function name.
 *
 * @example
 * ```ts
 * import { equal, match, notEqual } from "node:assert/strict";
 * import { functionUrlId } from "./http_event.ts";
 *
 * match(functionUrlId("hello"), /^[a-z0-9]{32}$/);
 * equal(functionUrlId("hello"), functionUrlId("hello"));
 * notEqual(functionUrlId("hello"), functionUrlId("echo"));
 * ```
 *
 * @param functionName The function's name.
 * @returns Its URL id.
 */
export function functionUrlId(functionName: string): string {
  const bytes = new TextEncoder().encode(functionName);
  let id = "";
  // Four FNV-1a hashes with different seeds, eight base-36 digits each.
  for (let seed = 0; seed < 4; seed++) {
    let hash = (0x811c9dc5 ^ seed * 0x9e3779b9) >>> 0;
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    id += hash.toString(36).padStart(8, "0").slice(-8);
  }
  return id;
}

/** Query parameters as Function URLs send them: repeated keys joined with commas. */
function _query(params: URLSearchParams): Record<string, string> | undefined {
  let query: Record<string, string> | undefined;
  for (const [key, value] of params) {
    query ??= {};
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  return query;
}

/** Whether bytes are valid UTF-8, for a body sent without a content type. */
function _isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The time in Common Log Format, as `requestContext.time` carries it. */
function _clf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
