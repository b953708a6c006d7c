/**
 * A function's answer as the HTTP response a Function URL would send: an HTTP-shaped result
 * (`statusCode`, `headers`, `cookies`, base64 `body`) becomes that response; any other JSON
 * becomes a `200` with that JSON; a stream with an HTTP prelude becomes a response whose body
 * flows as the function produces it.
 *
 * @module
 */

import { isRecord } from "../../http/event.ts";
import { HTTP_INTEGRATION_CONTENT_TYPE } from "../../http/stream.ts";
import type { StreamOutcome } from "../sandbox/lambda_function.ts";

const decoder = new TextDecoder();
const SEPARATOR = 8;

/**
 * Turns a buffered answer into the response, following the Function URL rules: a JSON object
 * with a `statusCode` is an HTTP result; anything else is the body of a `200` response typed
 * `application/json` (a JSON string is sent as its text).
 *
 * @example An HTTP result with a cookie, and a plain one
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { bufferedResponse } from "./http_result.ts";
 *
 * const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
 * const http = bufferedResponse(encode({
 *   statusCode: 201, headers: { "x-a": "1" }, cookies: ["a=1"], body: "hi",
 * }));
 * equal(http.status, 201);
 * deepEqual(http.headers.getSetCookie(), ["a=1"]);
 * equal(await http.text(), "hi");
 *
 * const plain = bufferedResponse(encode({ hello: "world" }));
 * equal(plain.headers.get("content-type"), "application/json");
 * equal(await plain.text(), '{"hello":"world"}');
 * ```
 *
 * @param body The function's answer, as sent.
 * @returns The HTTP response.
 */
export function bufferedResponse(body: Uint8Array): Response {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
  } catch {
    return new Response(body.slice(), { headers: { "content-type": "application/json" } });
  }
  if (!isRecord(value) || typeof value.statusCode !== "number") {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return new Response(text, { headers: { "content-type": "application/json" } });
  }
  const headers = _headers(value);
  const raw = value.body;
  const text = typeof raw === "string"
    ? raw
    : raw === undefined || raw === null
    ? ""
    : JSON.stringify(raw);
  const payload = value.isBase64Encoded === true ? Uint8Array.fromBase64(text) : text;
  return new Response(_nullBody(value.statusCode) ? null : payload, {
    status: value.statusCode,
    headers,
  });
}

/**
 * Turns a streamed answer into the response. A stream typed
 * `application/vnd.awslambda.http-integration-response` starts with a JSON prelude (status,
 * headers, cookies) ended by eight NUL bytes; any other stream is the body of a `200`. If the
 * function fails part way, the body errors, and the connection is cut before its end, as a
 * Function URL does.
 *
 * @param outcome The stream.
 * @returns The HTTP response, once its prelude has arrived.
 * @throws {SyntaxError} If the prelude is not JSON.
 */
export async function streamedResponse(outcome: StreamOutcome): Promise<Response> {
  const iterator = outcome.chunks[Symbol.asyncIterator]();
  if (outcome.contentType !== HTTP_INTEGRATION_CONTENT_TYPE) {
    const headers = { "content-type": outcome.contentType ?? "application/octet-stream" };
    return new Response(_body(iterator, [], outcome), { headers });
  }
  let head: Uint8Array = new Uint8Array();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    head = _concat(head, value);
    const end = _separator(head);
    if (end < 0) continue;
    let prelude: unknown;
    try {
      prelude = JSON.parse(decoder.decode(head.subarray(0, end)));
    } catch (error) {
      // Nobody will read the rest: let the function go on instead of holding it back.
      void iterator.return?.();
      throw error;
    }
    const rest = head.subarray(end + SEPARATOR);
    const status = isRecord(prelude) && typeof prelude.statusCode === "number"
      ? prelude.statusCode
      : 200;
    const headers = isRecord(prelude) ? _headers(prelude) : new Headers();
    // A status without a body drops the rest, which would otherwise hold the function back.
    if (_nullBody(status)) void iterator.return?.();
    const body = _nullBody(status) ? null : _body(iterator, rest.length > 0 ? [rest] : [], outcome);
    return new Response(body, { status, headers });
  }
  // The stream ended before its prelude did: what came is all there is.
  const end = await outcome.done;
  if (end.errorType !== undefined) throw new Error(`Cannot stream the response: ${end.errorType}`);
  return new Response(head.slice());
}

/** Headers from a result or prelude: `headers`, `multiValueHeaders`, and `cookies`. */
function _headers(result: Record<string, unknown>): Headers {
  const headers = new Headers();
  if (isRecord(result.multiValueHeaders)) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (Array.isArray(values)) {
        for (const value of values) headers.append(name, String(value));
      }
    }
  }
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) {
      if (name.toLowerCase() === "set-cookie") headers.append(name, String(value));
      else headers.set(name, String(value));
    }
  }
  if (Array.isArray(result.cookies)) {
    for (const cookie of result.cookies) headers.append("set-cookie", String(cookie));
  }
  return headers;
}

function _body(
  iterator: AsyncIterator<Uint8Array>,
  first: Uint8Array[],
  outcome: StreamOutcome,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const pending = first.shift();
      if (pending !== undefined) return controller.enqueue(pending);
      const { done, value } = await iterator.next();
      if (!done) return controller.enqueue(value);
      const end = await outcome.done;
      if (end.errorType === undefined && end.complete) return controller.close();
      // Cutting the connection is how the caller learns the body is incomplete.
      controller.error(
        `Lambda stream ${outcome.requestId} ended early: ${end.errorType ?? "connection lost"}`,
      );
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });
}

function _separator(bytes: Uint8Array): number {
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    run = bytes[i] === 0 ? run + 1 : 0;
    if (run === SEPARATOR) return i - SEPARATOR + 1;
  }
  return -1;
}

function _concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function _nullBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
