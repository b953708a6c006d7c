/**
 * The Lambda Invoke API, as the emulator serves it:
 * `POST /2015-03-31/functions/{name}/invocations` (buffered, like AWS's own emulator and the
 * `Invoke` operation) and `POST /2021-11-15/functions/{name}/response-streaming-invocations`
 * (`InvokeWithResponseStream`, answered as an AWS event stream).
 *
 * @module
 */

import { invokeComplete, payloadChunk } from "./event_stream.ts";
import type { InvokeMetadata, LambdaFunction, Outcome } from "../sandbox/lambda_function.ts";
import { TooManyRequestsError } from "../sandbox/lambda_errors.ts";
import { awsError, readBody, throttled, tooLarge } from "./request_body.ts";
import type { LogCapture } from "./log_tail.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Options for {@linkcode invokeApi}. */
export interface InvokeApiOptions {
  /** `true` for `InvokeWithResponseStream`. */
  readonly streaming: boolean;
  /** Starts collecting an invocation's log, for `X-Amz-Log-Type: Tail`. */
  readonly captureLog?: (requestId: string) => LogCapture;
}

/**
 * Serves one Invoke API request for a function. The answer is Lambda's: `200` with the payload,
 * or `200` with `X-Amz-Function-Error: Unhandled` and the error JSON when the function failed
 * (threw, timed out, or its runtime exited); `X-Amz-Executed-Version` and `X-Amzn-RequestId`
 * always. A streamed answer on the buffered endpoint is returned whole.
 *
 * Request headers honoured: `X-Amz-Client-Context` (base64 JSON), `X-Amz-Tenant-Id`,
 * `X-Amzn-Trace-Id`, `X-Amz-Invocation-Type` (`RequestResponse`, `Event` → `202`,
 * `DryRun` → `204`), and `X-Amz-Log-Type: Tail` (the last 4 KB of the invocation's log, base64,
 * in `X-Amz-Log-Result`, or in the stream's `InvokeComplete` as `LogResult`). A synchronous
 * invocation that finds every environment the function may have busy is throttled, as Lambda
 * throttles it: `429 TooManyRequestsException`, its `Reason` naming the limit.
 *
 * @param request The request.
 * @param fn The function.
 * @param options Which endpoint.
 * @returns The response.
 */
export async function invokeApi(
  request: Request,
  fn: LambdaFunction,
  options: InvokeApiOptions,
): Promise<Response> {
  if (request.method !== "POST") {
    return awsError(405, "MethodNotAllowedException", `Cannot ${request.method} an invocation`);
  }
  const body = await readBody(request);
  if (body === undefined) return tooLarge();
  let event: string;
  try {
    event = body.length === 0 ? "{}" : decoder.decode(body);
    JSON.parse(event);
  } catch (error) {
    return awsError(
      400,
      "InvalidRequestContentException",
      `Could not parse request body into json: ${error instanceof Error ? error.message : error}`,
    );
  }
  const metadata = _metadata(request.headers);
  if (metadata === undefined) {
    return awsError(
      400,
      "InvalidRequestContentException",
      "Client context must be a valid Base64-encoded JSON object.",
    );
  }
  const type = request.headers.get("x-amz-invocation-type") ?? "RequestResponse";
  if (type === "DryRun") return new Response(null, { status: 204 });
  if (type === "Event" && !options.streaming) {
    const requestId = crypto.randomUUID();
    let queued: boolean;
    try {
      queued = fn.invokeEvent(event, { ...metadata, requestId });
    } catch (error) {
      if (error instanceof TooManyRequestsError) return throttled(error);
      throw error;
    }
    if (!queued) {
      const refused = awsError(
        429,
        "TooManyRequestsException",
        `Rate exceeded: ${fn.name}'s queue of Event invocations is full; retry later`,
        { Reason: "FunctionInvocationRateLimitExceeded", retryAfterSeconds: "1" },
      );
      refused.headers.set("retry-after", "1");
      return refused;
    }
    return new Response(null, { status: 202, headers: { "x-amzn-requestid": requestId } });
  }
  const tail = request.headers.get("x-amz-log-type") === "Tail" ? options.captureLog : undefined;
  const requestId = tail === undefined ? undefined : crypto.randomUUID();
  const log = requestId === undefined ? undefined : tail?.(requestId);
  let outcome: Outcome;
  try {
    outcome = await fn.invoke(
      event,
      requestId === undefined ? metadata : { ...metadata, requestId },
    );
  } catch (error) {
    // Throttled, or the function was closed or retired while the request waited: no answer
    // will finish the capture.
    log?.finish();
    if (error instanceof TooManyRequestsError) return throttled(error);
    throw error;
  }
  if (options.streaming) return _streamed(outcome, log);
  const response = await _buffered(outcome);
  if (log !== undefined) response.headers.set("x-amz-log-result", log.finish());
  return response;
}

function _metadata(headers: Headers): InvokeMetadata | undefined {
  const metadata: { -readonly [K in keyof InvokeMetadata]: InvokeMetadata[K] } = {};
  const context = headers.get("x-amz-client-context");
  if (context !== null && context !== "") {
    try {
      const json = decoder.decode(Uint8Array.fromBase64(context));
      const parsed: unknown = JSON.parse(json);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
      metadata.clientContext = json;
    } catch {
      return undefined;
    }
  }
  const tenant = headers.get("x-amz-tenant-id");
  if (tenant !== null && tenant !== "") metadata.tenantId = tenant;
  const trace = headers.get("x-amzn-trace-id");
  if (trace !== null && trace !== "") metadata.traceId = trace;
  return metadata;
}

function _headers(outcome: Outcome, contentType = "application/json"): Headers {
  const headers = new Headers({
    "content-type": contentType,
    "x-amz-executed-version": "$LATEST",
    "x-amzn-requestid": outcome.requestId,
  });
  if (outcome.kind === "error") headers.set("x-amz-function-error", "Unhandled");
  return headers;
}

async function _buffered(outcome: Outcome): Promise<Response> {
  switch (outcome.kind) {
    case "response":
      return new Response(outcome.body.slice(), { headers: _headers(outcome) });
    case "error":
      return new Response(JSON.stringify(outcome.error), { headers: _headers(outcome) });
    case "stream": {
      const chunks: Uint8Array[] = [];
      for await (const chunk of outcome.chunks) chunks.push(chunk);
      const end = await outcome.done;
      if (end.errorType !== undefined || !end.complete) {
        const headers = _headers(outcome);
        headers.set("x-amz-function-error", "Unhandled");
        return new Response(JSON.stringify(_streamError(end.errorType, end.errorBody)), {
          headers,
        });
      }
      return new Response(new Blob(chunks.map((chunk) => chunk.slice())), {
        headers: _headers(outcome, outcome.contentType),
      });
    }
  }
}

function _streamed(outcome: Outcome, log: LogCapture | undefined): Response {
  const contentType = outcome.kind === "error"
    ? "application/json"
    : outcome.contentType ?? "application/octet-stream";
  const headers = _headers(outcome, contentType);
  headers.delete("x-amz-function-error");
  let chunks: AsyncIterator<Uint8Array> | undefined;
  const logResult = () => log === undefined ? {} : { LogResult: log.finish() };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (outcome.kind === "error") {
        controller.enqueue(
          invokeComplete({ ..._complete(outcome.errorType, outcome.error), ...logResult() }),
        );
        return controller.close();
      }
      if (outcome.kind === "response") {
        if (outcome.body.length > 0) controller.enqueue(payloadChunk(outcome.body));
        controller.enqueue(invokeComplete(logResult()));
        return controller.close();
      }
      chunks ??= outcome.chunks[Symbol.asyncIterator]();
      const { done, value } = await chunks.next();
      if (!done) return controller.enqueue(payloadChunk(value));
      const end = await outcome.done;
      const failed = end.errorType !== undefined || !end.complete;
      controller.enqueue(
        invokeComplete({
          ...(failed ? _complete(end.errorType, _streamError(end.errorType, end.errorBody)) : {}),
          ...logResult(),
        }),
      );
      controller.close();
    },
    async cancel() {
      log?.finish();
      await chunks?.return?.();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers });
}

function _complete(errorType: string | undefined, error: unknown) {
  return { ErrorCode: errorType ?? "Runtime.ExitError", ErrorDetails: JSON.stringify(error) };
}

function _streamError(errorType: string | undefined, errorBody: unknown): unknown {
  if (typeof errorBody === "object" && errorBody !== null) return errorBody;
  const type = errorType ?? "Runtime.ExitError";
  return {
    errorType: type,
    errorMessage: typeof errorBody === "string" ? errorBody : `The response stream failed: ${type}`,
    trace: [],
  };
}
