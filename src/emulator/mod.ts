/**
 * The local emulator: every handler module in a directory served as its own Lambda function,
 * each in runtime processes of its own (the real bootstrap, one per execution environment,
 * scaling out and reclaimed as Lambda's are), behind the Lambda Invoke API and a Function
 * URL-style HTTP front. `deno task dev` runs it; this module is for tools and tests
 * that run it in-process.
 *
 * Also the strict Runtime API server the emulator is built on, for testing runtimes.
 *
 * @example Run the emulator on a free port and call the hello function over HTTP
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Emulator } from "./mod.ts";
 *
 * await using emulator = await Emulator.start({
 *   port: 0,
 *   handlersDir: "handlers",
 *   command: [Deno.execPath(), "run", "-A", "src/main.ts"],
 *   taskRoot: Deno.cwd(),
 *   env: { PATH: Deno.env.get("PATH") ?? "" },
 *   log: () => {},
 * });
 * const response = await fetch(`${emulator.url}hello/?name=Ada`);
 * equal(await response.text(), "Hello, Ada!\n");
 * ```
 *
 * @module
 */

export { Emulator, type EmulatorOptions, type ServedApi } from "./emulator.ts";
export type { FunctionRegistryOptions } from "./function_registry.ts";
export {
  type ErrorOutcome,
  type InvokeMetadata,
  LambdaFunction,
  type LambdaFunctionOptions,
  type Outcome,
  type ResponseOutcome,
  type StreamOutcome,
} from "./sandbox/lambda_function.ts";
export {
  discoverFunctions,
  type FunctionSpec,
  parseFunctionSpec,
  resolveFunction,
} from "./front/function_catalog.ts";
export { functionEnv, type FunctionEnvOptions } from "./sandbox/function_env.ts";
export {
  type Clock,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_ENVIRONMENTS,
} from "./sandbox/sandbox_pool.ts";
export { type ThrottleReason, TooManyRequestsError } from "./sandbox/lambda_errors.ts";
export { type HttpEventOptions, toHttpEvent } from "./front/http_event.ts";
export { bufferedResponse, streamedResponse } from "./front/http_result.ts";
export { invokeApi, type InvokeApiOptions } from "./front/invoke_api.ts";
export {
  decodeMessages,
  type EventStreamMessage,
  type InvokeComplete,
  invokeComplete,
  payloadChunk,
} from "./front/event_stream.ts";
export { MAX_REQUEST_BYTES } from "./front/request_body.ts";
export { endLine, type ReportFields, reportLine, startLine } from "./sandbox/report.ts";
export {
  type FailNextOptions,
  RuntimeApiServer,
  type RuntimeApiServerOptions,
} from "./runtime_api_server/server.ts";
export { type WatchOptions, watchSources } from "./sandbox/watch.ts";
// Types the exports above name in their signatures.
export type { FunctionRoute } from "./api_gateway/route_table.ts";
export type { ApiAuthorizer, ApiKind, ApiRoute } from "../builder/functions/api_routes.ts";
export type { LogCapture } from "./front/log_tail.ts";
export type { FunctionSettings } from "./front/function_configs.ts";
export type { ApiGatewayV2Event, ApiGatewayV2RequestContext } from "../http/event.ts";
export type {
  BufferedResult,
  ClosedResult,
  ErrorResult,
  InitErrorReport,
  InvocationResult,
  LambdaErrorBody,
  StreamEnd,
  StreamResult,
  TimeoutResult,
} from "./runtime_api_server/invocation_result.ts";
export type { InvocationHandle, InvokeOptions } from "./runtime_api_server/pending_invocation.ts";
export type {
  RecordedRequest,
  RegisteredExtension,
  RuntimeApiRoute,
} from "./runtime_api_server/state.ts";
