/**
 * The HTTP integration prelude of a streamed response, as Lambda reads it: a JSON object with the
 * status and headers, then eight NUL bytes, then the body. Shared by the HTTP adapter and the
 * Node.js-style `awslambda.HttpResponseStream`, so it lives with the runtime.
 *
 * @module
 */

/** The content type that tells Lambda a stream starts with an HTTP prelude. */
export const HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

/** The status and headers sent ahead of a streamed body. */
export interface Prelude {
  /** The HTTP status. */
  readonly statusCode: number;
  /** The headers, one value each. */
  readonly headers?: Record<string, string>;
  /** API Gateway REST APIs only. */
  readonly multiValueHeaders?: Record<string, string[]>;
  /** One `Set-Cookie` value per entry. */
  readonly cookies?: string[];
}

const encoder = new TextEncoder();
const SEPARATOR_LENGTH = 8;

/**
 * Encodes a prelude followed by the eight NUL bytes that end it. JSON escapes a NUL inside a
 * string as `\u0000`, so the separator is the first NUL in the stream.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { encodePrelude } from "./prelude.ts";
 *
 * const bytes = encodePrelude({ statusCode: 200, headers: { "x-a": "1" }, cookies: [] });
 * const end = bytes.indexOf(0);
 * deepEqual(JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))), {
 *   statusCode: 200, headers: { "x-a": "1" }, cookies: [],
 * });
 * equal(bytes.length - end, 8);
 * ```
 *
 * @param prelude The status and headers.
 * @returns The JSON prelude's UTF-8 bytes, then eight zero bytes.
 */
export function encodePrelude(prelude: Prelude): Uint8Array<ArrayBuffer> {
  const json = encoder.encode(JSON.stringify(prelude));
  const bytes = new Uint8Array(json.length + SEPARATOR_LENGTH);
  bytes.set(json);
  return bytes;
}
