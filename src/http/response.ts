/**
 * Turns a `Response` into the result API Gateway, a Function URL or an ALB expects: status,
 * headers in the source's shape (cookies apart where the source wants them apart), and the body
 * as text or, when it is not text, as base64.
 *
 * @module
 */

import type { ResultShape } from "./event.ts";
import { fromByteString } from "./header_value.ts";

/**
 * The result of an HTTP invocation. Which fields are set depends on the source:
 * - v2 (HTTP API, Function URL): `headers`, and `cookies` for `Set-Cookie`;
 * - v1 (REST API): `headers`, and `multiValueHeaders` for `Set-Cookie`;
 * - ALB with multi-value headers: `multiValueHeaders` only, plus `statusDescription`;
 * - ALB without: `headers` only, plus `statusDescription`.
 */
export interface HttpResult {
  /** The HTTP status. */
  readonly statusCode: number;
  /** ALB only: the status line's text, such as `"200 OK"`. */
  readonly statusDescription?: string;
  /** The headers, one value each. */
  readonly headers?: Record<string, string>;
  /** The headers, every value of each (`Set-Cookie` for v1). */
  readonly multiValueHeaders?: Record<string, string[]>;
  /** v2 only: one `Set-Cookie` value per entry. */
  readonly cookies?: string[];
  /** The body: text, or base64 when {@linkcode HttpResult.isBase64Encoded} is `true`. */
  readonly body: string;
  /** Whether `body` is base64 (a body that is not text). */
  readonly isBase64Encoded: boolean;
}

/** Response headers laid out the way one source wants them. */
export interface ResultHeaders {
  /** The headers, one value each. */
  readonly headers?: Record<string, string>;
  /** The headers, every value of each. */
  readonly multiValueHeaders?: Record<string, string[]>;
  /** v2 only: one `Set-Cookie` value per entry. */
  readonly cookies?: string[];
}

/**
 * Lays out response headers for a source. `Set-Cookie` cannot be folded into one comma-joined
 * value (cookie dates hold commas), so each cookie travels apart: in `cookies` for v2, in
 * `multiValueHeaders` for v1 and a multi-value ALB. An ALB without multi-value headers has
 * only a flat map, so each further cookie goes under another spelling of `Set-Cookie` — header
 * names are case-insensitive, and each spelling is a key of its own.
 *
 * @example Cookies apart for v2
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { splitHeaders } from "./response.ts";
 *
 * const headers = new Headers([["content-type", "text/plain"], ["set-cookie", "a=1"]]);
 * deepEqual(splitHeaders(headers, { source: "v2", multiValue: false }), {
 *   headers: { "content-type": "text/plain" },
 *   cookies: ["a=1"],
 * });
 * ```
 *
 * @param headers The response's headers.
 * @param shape The source and whether it takes multi-value headers.
 * @returns The headers in that source's shape.
 */
export function splitHeaders(headers: Headers, shape: ResultShape): ResultHeaders {
  const cookies = headers.getSetCookie().map(fromByteString);
  // forEach rather than for…of: Deno's Headers iterator costs over a microsecond per header,
  // forEach a tenth of that, and this runs on every answer.
  if (shape.source === "alb" && shape.multiValue) {
    const multiValueHeaders: Record<string, string[]> = {};
    headers.forEach((value, name) => {
      if (name !== "set-cookie") multiValueHeaders[name] = [fromByteString(value)];
    });
    if (cookies.length > 0) multiValueHeaders["set-cookie"] = cookies;
    return { multiValueHeaders };
  }
  const flat: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== "set-cookie") flat[name] = fromByteString(value);
  });
  if (cookies.length === 0) return { headers: flat };
  if (shape.source === "v2") return { headers: flat, cookies };
  if (shape.source === "v1") return { headers: flat, multiValueHeaders: { "set-cookie": cookies } };
  cookies.forEach((cookie, i) => flat[_setCookieSpelling(i)] = cookie);
  return { headers: flat };
}

/**
 * Whether a body of this type and encoding can travel as text. Anything with a
 * `Content-Encoding` (gzip, br, deflate…) is bytes whatever its type.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isTextContent } from "./response.ts";
 *
 * equal(isTextContent("application/problem+json", null), true);
 * equal(isTextContent("text/html", "gzip"), false);
 * equal(isTextContent("image/png", null), false);
 * equal(isTextContent(null, null), undefined);
 * ```
 *
 * @param contentType The `Content-Type` header, if any.
 * @param contentEncoding The `Content-Encoding` header, if any.
 * @returns `true` for text, `false` for bytes, `undefined` when there is no type to tell by.
 */
export function isTextContent(
  contentType: string | null,
  contentEncoding: string | null,
): boolean | undefined {
  if (contentEncoding !== null) {
    const encoding = contentEncoding.trim().toLowerCase();
    if (encoding !== "" && encoding !== "identity") return false;
  }
  if (contentType === null) return undefined;
  return TEXT_TYPE.test(contentType);
}

const TEXT_TYPE = new RegExp(
  "^\\s*(?:text/|application/(?:json|xml|javascript|ecmascript|x-javascript|" +
    "x-www-form-urlencoded|x-ndjson|graphql|yaml|x-yaml)\\b|[\\w.-]+/[^;]*\\+(?:json|xml)\\b)",
  "i",
);
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a `Response` whole into the result its source expects. A body goes as text when its
 * type says text (or says nothing) and its bytes are valid UTF-8, and as base64 otherwise, so
 * no byte is ever lost.
 *
 * @example A JSON response for a Function URL
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { toResult } from "./response.ts";
 *
 * const result = await toResult(Response.json({ ok: true }), { source: "v2", multiValue: false });
 * deepEqual(result, {
 *   statusCode: 200,
 *   headers: { "content-type": "application/json" },
 *   body: '{"ok":true}',
 *   isBase64Encoded: false,
 * });
 * ```
 *
 * @param response What the handler answered.
 * @param shape The source and whether it takes multi-value headers.
 * @returns The result, in that source's shape.
 * @throws {TypeError} When the response body cannot be read (it was already used, or failed).
 */
export async function toResult(response: Response, shape: ResultShape): Promise<HttpResult> {
  const bytes = response.body === null
    ? new Uint8Array()
    : new Uint8Array(await response.arrayBuffer());
  let body = "";
  let isBase64Encoded = false;
  if (bytes.length > 0) {
    const headers = response.headers;
    const text = isTextContent(headers.get("content-type"), headers.get("content-encoding"));
    const decoded = text === false ? undefined : _decode(bytes);
    if (decoded === undefined) {
      body = bytes.toBase64();
      isBase64Encoded = true;
    } else {
      body = decoded;
    }
  }
  const statusDescription = shape.source === "alb"
    ? { statusDescription: statusLine(response) }
    : undefined;
  return {
    statusCode: response.status,
    ...statusDescription,
    ...splitHeaders(response.headers, shape),
    body,
    isBase64Encoded,
  };
}

/**
 * The text of a status line, such as `"404 Not Found"`: the response's own `statusText`, or the
 * standard reason phrase, or the bare code.
 *
 * @param response The response.
 * @returns The status code and its reason phrase.
 */
export function statusLine(response: Response): string {
  const reason = response.statusText || REASONS[response.status];
  return reason ? `${response.status} ${reason}` : String(response.status);
}

const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function _decode(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function _setCookieSpelling(index: number): string {
  // The first cookie keeps the usual lower-case name; the i-th further one flips the case of
  // the letters picked by the bits of i, which gives 512 distinct spellings.
  let name = "";
  let bit = 0;
  for (const char of "set-cookie") {
    if (char === "-") {
      name += char;
      continue;
    }
    name += (index >> bit) & 1 ? char.toUpperCase() : char;
    bit++;
  }
  return name;
}
