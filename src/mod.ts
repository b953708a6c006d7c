/**
 * Lambdeno: a custom AWS Lambda runtime for TypeScript on Deno. The types a handler is written
 * against, and the HTTP adapter (also available on its own as `./http`).
 *
 * @module
 */

export type { ClientContext, CognitoIdentity, Context, Handler } from "./context.ts";
export { hmacSha256, hmacSha256Key, timingSafeEqual, verifyHmacSha256Hex } from "./crypto.ts";
export { onShutdown, type ShutdownHook } from "./shutdown.ts";
export { StreamingResponse, type StreamingResponseInit } from "./streaming.ts";
export {
  type FetchHandler,
  httpHandler,
  type HttpHandlerOptions,
  type HttpRequestInfo,
  type HttpResult,
  requestInfo,
  streamingHttpHandler,
} from "./http/mod.ts";
