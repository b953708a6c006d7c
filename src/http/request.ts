/**
 * Turns an HTTP event into the `Request` a `Deno.serve` handler expects: full URL, method,
 * headers, cookies and body, each read where its source keeps it.
 *
 * @module
 */

import { detectSource, type HttpEventSource, isRecord } from "./event.ts";
import { toByteString } from "./header_value.ts";

/** Options for {@linkcode toRequest}. */
export interface ToRequestOptions {
  /**
   * Removes a leading `/{stage}` segment from the path. API Gateway keeps it in a v2 `rawPath`
   * for any stage but `$default`, and in a v1 `path` when a custom domain maps to the API without
   * naming a stage; the default endpoint of a REST API already leaves it out. Defaults to
   * `false`: the path is the one API Gateway sends.
   */
  readonly stripStage?: boolean;
}

/** A request made from an event, with what the event told about its origin. */
export interface EventRequest {
  /** The request, ready for a fetch handler. */
  readonly request: Request;
  /** The source the event came from. */
  readonly source: HttpEventSource;
  /** The caller's IP address, when the event says it. */
  readonly sourceIp: string | undefined;
  /** API Gateway's id for the request (not the Lambda request id); ALB events have none. */
  readonly requestId: string | undefined;
}

/** Thrown when an event is not an HTTP event this adapter can read. */
export class HttpEventError extends Error {
  /**
   * Makes the error; its name is `HttpEventError`.
   *
   * @param message What is wrong with the event.
   * @param options The underlying error, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HttpEventError";
  }
}

const encoder = new TextEncoder();

/**
 * Builds a `Request` from an API Gateway (v1 or v2), Function URL or ALB event.
 *
 * @example A Function URL event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { toRequest } from "./request.ts";
 *
 * const { request, source } = toRequest({
 *   version: "2.0",
 *   rawPath: "/hello",
 *   rawQueryString: "name=Ada%20L",
 *   cookies: ["a=1", "b=2"],
 *   headers: { host: "abc.lambda-url.eu-west-1.on.aws" },
 *   requestContext: { http: { method: "GET", sourceIp: "203.0.113.9" } },
 * });
 * equal(source, "v2");
 * equal(request.url, "https://abc.lambda-url.eu-west-1.on.aws/hello?name=Ada%20L");
 * equal(request.headers.get("cookie"), "a=1; b=2");
 * ```
 *
 * @param event The event, as received.
 * @param options Whether to strip the stage from the path.
 * @returns The request and what the event said about its origin.
 * @throws {HttpEventError} When the event is not one of the known shapes, lacks its method or
 * path, or carries a URL, method or body that cannot be read.
 */
export function toRequest(event: unknown, options: ToRequestOptions = {}): EventRequest {
  const source = detectSource(event);
  if (source === undefined || !isRecord(event)) {
    throw new HttpEventError(
      "Cannot read the HTTP event: it is not an API Gateway, Function URL or ALB event",
    );
  }
  const context = event.requestContext as Record<string, unknown>;
  const http = source === "v2" && isRecord(context.http) ? context.http : undefined;

  const method = source === "v2" ? http?.method : event.httpMethod;
  if (typeof method !== "string" || method === "") {
    throw new HttpEventError("Cannot read the HTTP event: it has no method");
  }
  const rawPath = source === "v2" ? event.rawPath : event.path;
  if (typeof rawPath !== "string" || rawPath === "") {
    throw new HttpEventError("Cannot read the HTTP event: it has no path");
  }
  const path = options.stripStage === true ? _stripStage(rawPath, context.stage) : rawPath;

  const headers = _headerPairs(event);
  if (source === "v2" && Array.isArray(event.cookies) && event.cookies.length > 0) {
    const cookies = toByteString(
      event.cookies.filter((c): c is string => typeof c === "string").join("; "),
    );
    const existing = headers.cookie;
    if (existing === undefined) headers.pairs.push(["cookie", cookies]);
    else existing[1] = `${existing[1]}; ${cookies}`;
  }

  const query = source === "v2"
    ? (typeof event.rawQueryString === "string" ? event.rawQueryString : "")
    : _queryString(event, source === "v1");
  const url = _url(headers, context.domainName, path, query);

  let request: Request;
  try {
    const body = _body(event, method);
    // Pairs, not a `Headers` object: `Request` copies an iterable `Headers` several times
    // slower than plain pairs, and this runs on every invocation.
    try {
      request = new Request(url, { method, headers: headers.pairs, body });
    } catch (error) {
      // A header name no HTTP server would have let through is dropped rather than failing
      // the request. Checked only now, since `Request` checks every name anyway.
      const valid = headers.pairs.filter(([name]) => TOKEN.test(name));
      if (valid.length === headers.pairs.length) throw error;
      request = new Request(url, { method, headers: valid, body });
    }
  } catch (error) {
    if (error instanceof HttpEventError) throw error;
    throw new HttpEventError(`Cannot read the HTTP event: ${_message(error)}`, { cause: error });
  }

  const sourceIp = source === "v2"
    ? _string(http?.sourceIp)
    : source === "v1"
    ? _string(isRecord(context.identity) ? context.identity.sourceIp : undefined)
    : _lastForwardedFor(request.headers);
  return { request, source, sourceIp, requestId: _string(context.requestId) };
}

type _Pair = [name: string, value: string];

/** The event's headers as pairs, and the few the adapter reads itself, found on the way. */
interface _Headers {
  readonly pairs: _Pair[];
  host?: string;
  forwardedProto?: string;
  cookie?: _Pair;
}

// What `Headers` would refuse: names that are not HTTP tokens, values with NUL, CR or LF.
const TOKEN = /^[!#$%&'*+\-.^`|~\w]+$/;
const BAD_VALUE = /[\0\r\n]/;

function _headerPairs(event: Record<string, unknown>): _Headers {
  const headers: _Headers = { pairs: [] };
  // Every v1 event and an ALB with multi-value headers on carry the complete lists here; the
  // single-value map then holds only the last value of each.
  if (isRecord(event.multiValueHeaders)) {
    for (const [name, values] of Object.entries(event.multiValueHeaders)) {
      if (!Array.isArray(values)) continue;
      for (const value of values) {
        if (typeof value === "string") _push(headers, name, value);
      }
    }
  } else if (isRecord(event.headers)) {
    for (const [name, value] of Object.entries(event.headers)) {
      if (typeof value === "string") _push(headers, name, value);
    }
  }
  return headers;
}

function _push(headers: _Headers, name: string, value: string): void {
  // A value with NUL, CR or LF is dropped (`Request` would refuse some and trim others).
  if (BAD_VALUE.test(value)) return;
  const pair: _Pair = [name, toByteString(value)];
  headers.pairs.push(pair);
  switch (name.toLowerCase()) {
    case "host":
      headers.host ??= pair[1];
      break;
    case "x-forwarded-proto":
      headers.forwardedProto ??= pair[1];
      break;
    case "cookie":
      headers.cookie ??= pair;
  }
}

function _queryString(event: Record<string, unknown>, decoded: boolean): string {
  // API Gateway hands over decoded values, which must be encoded again; an ALB passes them on
  // exactly as the client sent them, already encoded.
  const encode = decoded ? encodeURIComponent : (text: string) => text;
  const parts: string[] = [];
  if (isRecord(event.multiValueQueryStringParameters)) {
    for (const [key, values] of Object.entries(event.multiValueQueryStringParameters)) {
      if (!Array.isArray(values)) continue;
      for (const value of values) {
        if (typeof value === "string") parts.push(`${encode(key)}=${encode(value)}`);
      }
    }
  } else if (isRecord(event.queryStringParameters)) {
    for (const [key, value] of Object.entries(event.queryStringParameters)) {
      if (typeof value === "string") parts.push(`${encode(key)}=${encode(value)}`);
    }
  }
  return parts.join("&");
}

function _url(headers: _Headers, domainName: unknown, path: string, query: string): string {
  const host = headers.host?.trim() || _string(domainName) || "localhost";
  const forwarded = headers.forwardedProto?.split(",")[0]?.trim().toLowerCase();
  const protocol = forwarded === "http" || forwarded === "https"
    ? forwarded
    : host === "localhost"
    ? "http"
    : "https";
  // A decoded path may hold a literal "?" or "#", which must not start the query or fragment.
  const safePath = (path.startsWith("/") ? path : `/${path}`).replace(/[?#]/g, encodeURIComponent);
  // An unparsable URL (a bad Host, say) makes `new Request` throw, reported as a bad event.
  return `${protocol}://${host}${safePath}${query === "" ? "" : `?${query}`}`;
}

function _body(event: Record<string, unknown>, method: string): Uint8Array<ArrayBuffer> | null {
  const body = event.body;
  if (typeof body !== "string" || body === "") return null;
  // API Gateway may send an empty or even a non-empty body with a GET, which `Request` refuses.
  const upper = method.toUpperCase();
  if (upper === "GET" || upper === "HEAD") return null;
  if (event.isBase64Encoded !== true) return encoder.encode(body);
  try {
    return Uint8Array.fromBase64(body);
  } catch (error) {
    throw new HttpEventError(
      `Cannot read the HTTP event: its body is not valid base64 (${_message(error)})`,
      { cause: error },
    );
  }
}

function _stripStage(path: string, stage: unknown): string {
  if (typeof stage !== "string" || stage === "" || stage === "$default") return path;
  const prefix = `/${stage}`;
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function _lastForwardedFor(headers: Headers): string | undefined {
  // An ALB appends the address it saw to whatever the client claimed: the last entry is the
  // only one it vouches for.
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded === null) return undefined;
  return _string(forwarded.slice(forwarded.lastIndexOf(",") + 1).trim());
}

function _string(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
