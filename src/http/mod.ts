/**
 * HTTP handlers in the shape of `Deno.serve`, behind API Gateway (REST and HTTP APIs), Lambda
 * Function URLs and Application Load Balancers.
 *
 * Write `(request: Request, ctx: Context) => Response | Promise<Response>` and wrap it with
 * {@linkcode httpHandler} (or {@linkcode streamingHttpHandler} for response streaming). The
 * event becomes a `Request` with a full URL, the headers, cookies and body; the `Response`
 * becomes the result the event's source expects. {@linkcode requestInfo} gives the caller's IP,
 * API Gateway's request id, the raw event and the context.
 *
 * Paths are the ones AWS sends: an HTTP API on a named stage keeps `/{stage}` in the path
 * unless `stripStage: true` is given.
 *
 * @example A greeting behind a Function URL
 * ```ts
 * import { equal } from "node:assert/strict";
 * import type { Context } from "../runtime/context.ts";
 * import { httpHandler, requestInfo } from "./mod.ts";
 *
 * export const handler = httpHandler((request) => {
 *   const id = requestInfo(request)?.requestId ?? "local";
 *   return Response.json({ hello: new URL(request.url).pathname, id });
 * });
 *
 * const result = await handler({
 *   version: "2.0",
 *   rawPath: "/there",
 *   requestContext: { requestId: "abc=", http: { method: "GET" } },
 * }, {} as Context);
 * equal(result.body, '{"hello":"/there","id":"abc="}');
 * ```
 *
 * @module
 */

// The runtime's types that the adapter's signatures name, so that `./http` documents itself.
export type {
  ClientContext,
  CognitoIdentity,
  Context,
  FunctionInfo,
  Handler,
} from "../runtime/context.ts";
export {
  type StreamChunk,
  StreamingResponse,
  type StreamingResponseInit,
  type StreamSource,
} from "../runtime/streaming.ts";
export {
  type FetchHandler,
  httpHandler,
  type HttpHandlerOptions,
  streamingHttpHandler,
} from "./handler.ts";
export {
  type AlbEvent,
  type ApiGatewayV1Event,
  type ApiGatewayV1RequestContext,
  type ApiGatewayV2Event,
  type ApiGatewayV2RequestContext,
  detectSource,
  type HttpEvent,
  type HttpEventSource,
  type ResultShape,
} from "./event.ts";
export { type HttpRequestInfo, requestInfo } from "./info.ts";
export { type EventRequest, HttpEventError, toRequest, type ToRequestOptions } from "./request.ts";
export { type HttpResult, isTextContent, type ResultHeaders, toResult } from "./response.ts";
export {
  encodePrelude,
  HTTP_INTEGRATION_CONTENT_TYPE,
  type Prelude,
  toStreamingResponse,
} from "./stream.ts";
