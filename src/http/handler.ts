/**
 * Runs a handler written for `Deno.serve` — `(request) => Response` — as a Lambda handler
 * behind API Gateway (REST or HTTP API), a Function URL or an ALB, answering each event in the
 * shape of the source it came from.
 *
 * @module
 */

import type { Context, Handler } from "../runtime/context.ts";
import type { StreamingResponse } from "../runtime/streaming.ts";
import { type ResultShape, resultShape } from "./event.ts";
import { setRequestInfo } from "./info.ts";
import { type EventRequest, HttpEventError, toRequest, type ToRequestOptions } from "./request.ts";
import { type HttpResult, toResult } from "./response.ts";
import { toStreamingResponse } from "./stream.ts";

/**
 * A handler in the shape `Deno.serve` takes, given the invocation context as its second
 * argument. A handler that ignores the second argument runs unchanged under `Deno.serve`.
 */
export type FetchHandler = (request: Request, context: Context) => Response | Promise<Response>;

/** Options for {@linkcode httpHandler} and {@linkcode streamingHttpHandler}. */
export interface HttpHandlerOptions extends ToRequestOptions {}

/**
 * Wraps a fetch handler as a Lambda handler that answers with a buffered HTTP result.
 *
 * An event that is not an HTTP event, or lacks its method or path, is answered 400 without
 * calling the handler; a handler that throws (or returns something other than a `Response`) is
 * answered 500 and the error is logged with its stack through `console.error`.
 *
 * @example Answer a Function URL event
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import type { Context } from "../runtime/context.ts";
 * import { httpHandler } from "./handler.ts";
 *
 * const handler = httpHandler((request) => {
 *   const name = new URL(request.url).searchParams.get("name") ?? "world";
 *   return new Response(`Hello, ${name}!`);
 * });
 * const event = {
 *   version: "2.0",
 *   rawPath: "/",
 *   rawQueryString: "name=Ada",
 *   headers: { host: "example.lambda-url.eu-west-1.on.aws" },
 *   requestContext: { http: { method: "GET" } },
 * };
 * const result = await handler(event, {} as Context);
 * equal(result.statusCode, 200);
 * equal(result.body, "Hello, Ada!");
 * deepEqual(result.headers, { "content-type": "text/plain;charset=UTF-8" });
 * ```
 *
 * @param fetch The handler, as written for `Deno.serve`.
 * @param options Whether to strip the API Gateway stage from the path.
 * @returns A Lambda handler.
 */
export function httpHandler(
  fetch: FetchHandler,
  options: HttpHandlerOptions = {},
): Handler<unknown, HttpResult> {
  return async (event, context) => {
    const { shape, response } = await _respond(fetch, options, event, context);
    return await _buffered(response, shape);
  };
}

/**
 * Wraps a fetch handler as a Lambda handler whose answer is streamed: for a function behind a
 * Function URL or API Gateway with response streaming turned on. The status and headers go out
 * first, then the body chunk by chunk as the handler produces it. An ALB cannot stream, so ALB
 * events get a buffered result.
 *
 * Errors before the response exists are answered as {@linkcode httpHandler} answers them; an
 * error in the body once streaming has started ends the stream with that error, which the
 * runtime reports to Lambda.
 *
 * @example Stream a body
 * ```ts
 * import { equal } from "node:assert/strict";
 * import type { Context } from "../runtime/context.ts";
 * import { StreamingResponse } from "../runtime/streaming.ts";
 * import { streamingHttpHandler } from "./handler.ts";
 *
 * const handler = streamingHttpHandler(() => new Response("streamed"));
 * const event = {
 *   version: "2.0",
 *   rawPath: "/",
 *   requestContext: { http: { method: "GET" } },
 * };
 * const result = await handler(event, {} as Context);
 * if (!(result instanceof StreamingResponse)) throw new Error("expected a stream");
 * const text = await new Response(result.body).text();
 * equal(text.endsWith("\0".repeat(8) + "streamed"), true);
 * ```
 *
 * @param fetch The handler, as written for `Deno.serve`.
 * @param options Whether to strip the API Gateway stage from the path.
 * @returns A Lambda handler whose result is streamed (buffered for an ALB).
 */
export function streamingHttpHandler(
  fetch: FetchHandler,
  options: HttpHandlerOptions = {},
): Handler<unknown, StreamingResponse | HttpResult> {
  return async (event, context) => {
    const { shape, response } = await _respond(fetch, options, event, context);
    return shape.source === "alb"
      ? await _buffered(response, shape)
      : toStreamingResponse(response, shape);
  };
}

async function _respond(
  fetch: FetchHandler,
  options: HttpHandlerOptions,
  event: unknown,
  context: Context,
): Promise<{ shape: ResultShape; response: Response }> {
  const shape = resultShape(event);
  let made: EventRequest;
  try {
    made = toRequest(event, options);
  } catch (error) {
    if (!(error instanceof HttpEventError)) throw error;
    return { shape, response: _plain(400, error.message) };
  }
  const { request, source, sourceIp, requestId } = made;
  setRequestInfo(request, { source, sourceIp, requestId, event, context });
  try {
    const response: unknown = await fetch(request, context);
    if (response instanceof Response) return { shape, response };
    throw new TypeError(
      `Cannot answer ${request.method} ${_path(request)}: the handler returned ${
        _describe(response)
      }, not a Response`,
    );
  } catch (error) {
    console.error(`Cannot answer ${request.method} ${_path(request)}:`, error);
    return { shape, response: _plain(500, "Internal Server Error") };
  }
}

async function _buffered(response: Response, shape: ResultShape): Promise<HttpResult> {
  try {
    return await toResult(response, shape);
  } catch (error) {
    // The body failed while being read: nothing has been sent yet, so it can still be a 500.
    console.error("Cannot read the response body:", error);
    return await toResult(_plain(500, "Internal Server Error"), shape);
  }
}

/** The path alone: a query string often carries keys and tokens that logs must not keep. */
function _path(request: Request): string {
  return new URL(request.url).pathname;
}

function _plain(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function _describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ?? "an object";
}
