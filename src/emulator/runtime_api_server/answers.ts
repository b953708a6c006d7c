/**
 * The endpoints where a runtime answers: `/response` (buffered or streamed) and `/error` for an
 * invocation, `/init/error` for a failed init. Lambda's strict checks live here: an answer for
 * an unknown, stale or already answered invocation is refused, and bodies over the limits end
 * the invocation as `Function.ResponseSizeTooLarge`.
 *
 * @module
 */

import type { MessageHead } from "../../runtime_api/http1.ts";
import { BufferedResult } from "./invocation_result.ts";
import type { PendingInvocation } from "./pending_invocation.ts";
import { decodeErrorTrailer, errorBodyOf, errorTypeOf, tooLargeResult } from "./bodies.ts";
import type { RuntimeApiIo } from "./io.ts";
import type { RequestRecord, RuntimeApiState } from "./state.ts";
import {
  ACCEPTED,
  errorResponse,
  H_ERROR_BODY,
  H_ERROR_TYPE,
  H_INVOCATION_ID,
  H_RESPONSE_MODE,
  H_XRAY_CAUSE,
  INVALID_REQUEST_ID,
  INVOCATION_GONE,
  MAX_STREAMED_RESPONSE_BYTES,
  STREAM_TOO_LARGE,
  TOO_LARGE,
} from "./wire.ts";

const decoder = new TextDecoder();

/** Thrown from inside the chunk callback to stop reading a stream that grew too large. */
class _StreamTooLarge extends Error {}

/**
 * Serves `POST …/invocation/{id}/response` and `…/error`: hands the answer to its invocation.
 *
 * @param io The connection's reads and writes.
 * @param state The server's state.
 * @param route Which of the two endpoints.
 * @param requestId The `{id}` in the path.
 * @param head The request's head.
 * @param record Where to note the request, if the server records requests.
 * @returns Whether to keep the connection open.
 */
export async function answerInvocation(
  io: RuntimeApiIo,
  state: RuntimeApiState,
  route: "response" | "error",
  requestId: string,
  head: MessageHead,
  record: RequestRecord | undefined,
): Promise<boolean> {
  const invocation = state.invocations.get(requestId);
  const refusal = _refusal(state, invocation, head);
  if (refusal !== undefined || invocation === undefined) {
    return await io.reject(head, record, refusal ?? INVALID_REQUEST_ID);
  }
  const mode = head.headers.get(H_RESPONSE_MODE);
  if (route === "response" && mode !== undefined) {
    if (mode.toLowerCase() === "streaming") {
      return await _stream(io, state, invocation, head, record);
    }
    const response = errorResponse(
      400,
      "InvalidFunctionResponseMode",
      "Invalid function response mode",
    );
    return await io.reject(head, record, response);
  }
  const body = await io.readBody(head, record);
  if (body === false) return false;
  let answered: boolean;
  if (body === undefined) {
    answered = invocation.answer(tooLargeResult());
  } else if (route === "response") {
    answered = invocation.answer(new BufferedResult(head.headers.get("content-type"), body));
  } else {
    const errorType = errorTypeOf(head.headers.get(H_ERROR_TYPE));
    answered = invocation.answer({
      kind: "error",
      errorType,
      error: errorBodyOf(decoder.decode(body), errorType),
      xrayCause: head.headers.get(H_XRAY_CAUSE),
    });
  }
  let response = ACCEPTED;
  if (answered) state.invocations.delete(requestId);
  else response = invocation.state === "timedOut" ? INVOCATION_GONE : INVALID_REQUEST_ID;
  if (body === undefined) response = TOO_LARGE;
  return await io.respond(record, response);
}

/**
 * Serves `POST …/init/error`: records why the runtime could not start.
 *
 * @param io The connection's reads and writes.
 * @param state The server's state.
 * @param head The request's head.
 * @param record Where to note the request, if the server records requests.
 * @returns Whether to keep the connection open.
 */
export async function reportInitError(
  io: RuntimeApiIo,
  state: RuntimeApiState,
  head: MessageHead,
  record: RequestRecord | undefined,
): Promise<boolean> {
  const body = await io.readBody(head, record);
  if (body === false) return false;
  if (body === undefined) return await io.respond(record, TOO_LARGE);
  const errorType = errorTypeOf(head.headers.get(H_ERROR_TYPE));
  state.recordInitError({
    errorType,
    error: errorBodyOf(decoder.decode(body), errorType),
    xrayCause: head.headers.get(H_XRAY_CAUSE),
  });
  return await io.respond(record, ACCEPTED);
}

/** @returns The answer refusing an answer to `invocation`, or `undefined` to accept it. */
function _refusal(
  state: RuntimeApiState,
  invocation: PendingInvocation | undefined,
  head: MessageHead,
): Uint8Array | undefined {
  if (invocation === undefined || invocation.state === "queued") return INVALID_REQUEST_ID;
  const attempt = head.headers.get(H_INVOCATION_ID);
  if (attempt !== undefined && attempt !== invocation.invocationId) return INVOCATION_GONE;
  if (invocation.state === "timedOut") return INVOCATION_GONE;
  if (invocation.state !== "delivered") return INVALID_REQUEST_ID;
  if (state.now() > invocation.deadlineMs) {
    invocation.expire();
    return INVOCATION_GONE;
  }
  return undefined;
}

/** Passes a streamed `/response` through to its invocation as the chunks arrive. */
async function _stream(
  io: RuntimeApiIo,
  state: RuntimeApiState,
  invocation: PendingInvocation,
  head: MessageHead,
  record: RequestRecord | undefined,
): Promise<boolean> {
  const chunks = invocation.startStream(head.headers.get("content-type"));
  if (chunks === undefined) return await io.reject(head, record, INVALID_REQUEST_ID);
  let bytes = 0;
  let trailers: Map<string, string> | undefined;
  try {
    if (head.chunked) {
      trailers = await io.reader.readChunked((chunk) => {
        bytes += chunk.length;
        if (bytes > MAX_STREAMED_RESPONSE_BYTES) throw new _StreamTooLarge();
        // Awaited by the reader: a caller that does not read holds the runtime back.
        return chunks.push(chunk);
      });
    } else if (head.contentLength) {
      bytes = head.contentLength;
      if (bytes > MAX_STREAMED_RESPONSE_BYTES) throw new _StreamTooLarge();
      await chunks.push(await io.reader.readBytes(bytes));
    }
  } catch (error) {
    const errorType = error instanceof _StreamTooLarge
      ? "Function.ResponseSizeTooLarge"
      : undefined;
    invocation.endStream({ bytes, complete: false, errorType, errorBody: undefined });
    state.invocations.delete(invocation.requestId);
    if (record !== undefined) record.bodyBytes = bytes;
    if (errorType === undefined) throw error;
    await io.respond(record, STREAM_TOO_LARGE);
    return false;
  }
  if (record !== undefined) {
    record.bodyBytes = bytes;
    record.trailers = trailers;
  }
  const errorType = trailers?.get(H_ERROR_TYPE) || undefined;
  const errorBody = decodeErrorTrailer(trailers?.get(H_ERROR_BODY));
  const ended = invocation.endStream({ bytes, complete: true, errorType, errorBody });
  if (ended || invocation.state === "done") state.invocations.delete(invocation.requestId);
  return await io.respond(record, ended ? ACCEPTED : INVOCATION_GONE);
}
