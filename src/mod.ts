/**
 * Lambdeno: a custom AWS Lambda runtime for TypeScript on Deno. The types a handler is written
 * against, the current invocation, shutdown hooks, response streaming, how a handler module
 * says it is deployed, and the HTTP adapter (also available on its own as `./http`). Typed
 * events are in `./events`, the local emulator in `./emulator`.
 *
 * @module
 */

export type {
  ClientContext,
  CognitoIdentity,
  Context,
  FunctionInfo,
  Handler,
} from "./runtime/context.ts";
export { currentContext } from "./process/scope.ts";
export type {
  ApiEventSource,
  AuthorizerIdentity,
  EnvironmentParameter,
  EventBridgeRuleEventSource,
  EventSource,
  FunctionConfig,
  FunctionPermissions,
  FunctionResponseTypes,
  HandlerConfig,
  HttpApiAuthorizer,
  HttpApiEventSource,
  Intrinsic,
  PermissionGrant,
  Policy,
  RestAuthorizer,
  S3EventSource,
  ScheduleEventSource,
  SnsEventSource,
  SqsEventSource,
  StreamEventSource,
  TemplateJson,
  TemplateValue,
  UrlMode,
} from "./handler_config.ts";
export { hmacSha256, hmacSha256Key, timingSafeEqual, verifyHmacSha256Hex } from "./crypto.ts";
export { onShutdown, type ShutdownHook } from "./process/shutdown.ts";
export {
  type StreamChunk,
  StreamingResponse,
  type StreamingResponseInit,
  type StreamSource,
} from "./runtime/streaming.ts";
export {
  type FetchHandler,
  type HttpEventSource,
  httpHandler,
  type HttpHandlerOptions,
  type HttpRequestInfo,
  type HttpResult,
  requestInfo,
  streamingHttpHandler,
  type ToRequestOptions,
} from "./http/mod.ts";
