/**
 * HTTP response streaming for Function URLs and API Gateway: the status and headers go first,
 * as a JSON prelude, then eight NUL bytes, then the body as the handler produces it.
 *
 * @module
 */

import { encodePrelude, HTTP_INTEGRATION_CONTENT_TYPE, type Prelude } from "./prelude.ts";
import { StreamingResponse } from "../runtime/streaming.ts";
import type { ResultShape } from "./event.ts";
import { splitHeaders } from "./response.ts";

export { encodePrelude, HTTP_INTEGRATION_CONTENT_TYPE, type Prelude } from "./prelude.ts";

/**
 * The prelude for a response: for a Function URL or HTTP API, `headers` and `cookies`; for a
 * REST API, `headers` and `multiValueHeaders` (which carries `Set-Cookie`).
 *
 * @param response The handler's response.
 * @param shape The source of the event.
 * @returns The prelude to send ahead of the body.
 */
export function preludeOf(response: Response, shape: ResultShape): Prelude {
  const split = splitHeaders(response.headers, { source: shape.source, multiValue: false });
  return shape.source === "v2"
    ? { statusCode: response.status, headers: split.headers ?? {}, cookies: split.cookies ?? [] }
    : { statusCode: response.status, ...split };
}

/**
 * Streams a `Response` as an HTTP integration response: prelude, separator, then each chunk of
 * the body as soon as the handler produces it. Nothing is read from the body before the runtime
 * asks for it, and cancelling the stream cancels the body.
 *
 * @example Prelude, separator, body
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { toStreamingResponse } from "./stream.ts";
 *
 * const streamed = toStreamingResponse(
 *   new Response("hi", { status: 201 }),
 *   { source: "v2", multiValue: false },
 * );
 * equal(streamed.contentType, "application/vnd.awslambda.http-integration-response");
 * const bytes = new Uint8Array(await new Response(streamed.body).arrayBuffer());
 * const text = new TextDecoder().decode(bytes);
 * equal(text.slice(0, text.indexOf("\0")), '{"statusCode":201,"headers":{"content-type":"text/plain;charset=UTF-8"},"cookies":[]}');
 * equal(text.slice(text.indexOf("\0")), "\0".repeat(8) + "hi");
 * ```
 *
 * @param response The handler's response.
 * @param shape The source of the event (v2 for a Function URL, v1 for a REST API).
 * @returns The streaming result for the runtime to send.
 */
export function toStreamingResponse(response: Response, shape: ResultShape): StreamingResponse {
  const prelude = encodePrelude(preludeOf(response, shape));
  return new StreamingResponse(_frames(prelude, response.body), {
    contentType: HTTP_INTEGRATION_CONTENT_TYPE,
  });
}

function _frames(
  prelude: Uint8Array,
  body: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  const reader = body?.getReader();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(prelude);
        if (reader === undefined) controller.close();
        return;
      }
      for (;;) {
        const { done, value } = await reader!.read();
        if (done) return controller.close();
        if (value.length > 0) return controller.enqueue(value);
      }
    },
    // The runtime cancels when the caller goes away: stop the handler's body too, with the reason.
    cancel: (reason) => reader?.cancel(reason),
  }, { highWaterMark: 0 });
}
