/**
 * A function's answer as the HTTP response an API gives. Payload format 2.0 (HTTP APIs) takes
 * `{ statusCode, headers, cookies, body, isBase64Encoded }` and any other JSON as the body of a
 * `200`; payload format 1.0 takes only `{ statusCode, headers, multiValueHeaders, body,
 * isBase64Encoded }` — a REST API refuses any other key, an HTTP API ignores it — and anything
 * else is a malformed answer, which the API reports as its own failure.
 *
 * @module
 */

import { isRecord } from "../../http/event.ts";
import { bufferedResponse } from "../front/http_result.ts";

const decoder = new TextDecoder();
const V1_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);

/** The response, or why the answer cannot be one. */
export type IntegrationResult =
  | { readonly ok: true; readonly response: Response }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a function's answer as its API would.
 *
 * @example A REST API refuses an answer without a status code; an HTTP API takes it as JSON
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { integrationResponse } from "./integration_result.ts";
 *
 * const answer = new TextEncoder().encode('{"hello":"world"}');
 * equal(integrationResponse(answer, "1.0", "rest").ok, false);
 * const http = integrationResponse(answer, "2.0", "http");
 * equal(http.ok && http.response.status, 200);
 * ```
 *
 * @param body The function's answer, as it sent it.
 * @param format The route's payload format.
 * @param api Which API reads it.
 * @returns The HTTP response, or the reason the API cannot make one.
 */
export function integrationResponse(
  body: Uint8Array,
  format: "1.0" | "2.0",
  api: "http" | "rest",
): IntegrationResult {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
  } catch {
    return { ok: false, reason: "the answer is not JSON" };
  }
  if (format === "2.0") {
    if (isRecord(value) && "statusCode" in value && !_status(value.statusCode)) {
      return {
        ok: false,
        reason: `statusCode ${JSON.stringify(value.statusCode)} is not an HTTP status`,
      };
    }
    return { ok: true, response: bufferedResponse(body) };
  }
  if (!isRecord(value)) {
    return { ok: false, reason: "payload format 1.0 needs an object with a statusCode" };
  }
  const extra = Object.keys(value).filter((key) => !V1_KEYS.has(key));
  if (api === "rest" && extra.length > 0) {
    return {
      ok: false,
      reason: `a REST API takes only ${[...V1_KEYS].join(", ")}; the answer also has ${
        extra.join(", ")
      }`,
    };
  }
  const { statusCode, headers, multiValueHeaders, body: text, isBase64Encoded } = value;
  if (!_status(statusCode)) {
    return { ok: false, reason: `statusCode ${JSON.stringify(statusCode)} is not an HTTP status` };
  }
  if (text !== undefined && text !== null && typeof text !== "string") {
    return { ok: false, reason: "body must be a string (JSON.stringify it)" };
  }
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== "boolean") {
    return { ok: false, reason: "isBase64Encoded must be a boolean" };
  }
  const merged = new Headers();
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isRecord(multiValueHeaders)) {
      return { ok: false, reason: "multiValueHeaders must be an object" };
    }
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(_scalar)) {
        return { ok: false, reason: `multiValueHeaders.${name} must be a list of strings` };
      }
      for (const v of values) merged.append(name, String(v));
    }
  }
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return { ok: false, reason: "headers must be an object" };
    for (const [name, v] of Object.entries(headers)) {
      if (!_scalar(v)) return { ok: false, reason: `headers.${name} must be a string` };
      // A pair given in both is sent once: multiValueHeaders has it already.
      const known = isRecord(multiValueHeaders) ? multiValueHeaders[name] : undefined;
      if (Array.isArray(known) && known.map(String).includes(String(v))) continue;
      merged.append(name, String(v));
    }
  }
  if (!merged.has("content-type")) merged.set("content-type", "application/json");
  const payload = typeof text === "string"
    ? (isBase64Encoded === true ? Uint8Array.fromBase64(text) : text)
    : null;
  const empty = statusCode === 204 || statusCode === 205 || statusCode === 304;
  return {
    ok: true,
    response: new Response(empty ? null : payload, { status: statusCode, headers: merged }),
  };
}

function _status(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599;
}

function _scalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
