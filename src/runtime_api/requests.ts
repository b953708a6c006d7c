/**
 * The Lambda Runtime API (2018-06-01) as the runtime sees it: the {@linkcode RuntimeApi}
 * interface the loop talks to, the header names, and pure builders for each request, so the
 * wire format is tested without a network.
 *
 * @module
 */

import type { Invocation } from "../runtime/context.ts";
import {
  type ErrorBody,
  errorTypeHeader,
  HEADER,
  HEADER_NAME,
  INIT_ERROR_PATH,
  invocationPath,
  MAX_ERROR_TYPE_LENGTH,
  NEXT_PATH,
} from "./contract.ts";
import type { StreamingResponse } from "../runtime/streaming.ts";

export { HEADER, HEADER_NAME, MAX_XRAY_CAUSE_BYTES } from "./contract.ts";
export { xrayErrorCause, type XRayFrame } from "./xray.ts";

/** What happened to a streamed answer. */
export interface StreamOutcome {
  /** The Runtime API's status, or `undefined` if the connection broke before it answered. */
  readonly status: number | undefined;
  /** Whether any of the body was sent; if not, the invocation is still open for `fail`. */
  readonly started: boolean;
  /** What the body stream threw, if it failed. */
  readonly bodyError?: unknown;
  /** Why the connection broke, when `status` is `undefined`. */
  readonly connectionError?: unknown;
}

/** The calls that answer an invocation. */
export interface RuntimeAnswers {
  /** Posts a buffered JSON result. */
  respond(invocation: Invocation, json: string): Promise<number>;
  /** Posts a result in streaming mode, chunk by chunk. */
  respondStream(invocation: Invocation, response: StreamingResponse): Promise<StreamOutcome>;
  /** Reports the invocation as failed. */
  fail(invocation: Invocation, error: ErrorBody): Promise<number>;
}

/** An answer sent with a poll behind it, and that poll's invocation. */
export interface AnsweredAndPolled {
  /** The Runtime API's status for the answer. */
  readonly status: number;
  /**
   * The invocation the poll brings, or `undefined` when the API closed the connection after
   * the answer, leaving the poll unanswered (then poll again).
   */
  readonly next?: Promise<Invocation>;
}

/** A Runtime API that can send a poll in the same write as an answer (HTTP/1.1 pipelining). */
export interface PipeliningRuntimeApi extends RuntimeApi {
  /** Posts a buffered JSON result, then polls. */
  respondAndPoll(invocation: Invocation, json: string): Promise<AnsweredAndPolled>;
  /** Reports the invocation as failed, then polls. */
  failAndPoll(invocation: Invocation, error: ErrorBody): Promise<AnsweredAndPolled>;
}

/**
 * The calls the invocation loop makes. {@linkcode RuntimeApiClient} speaks them over HTTP;
 * tests substitute a fake.
 *
 * Every answer call resolves with the Runtime API's HTTP status (202 accepted, 400, 403, 410,
 * 413) and rejects with `RuntimeApiError` only when the runtime must exit: a 500, or an API that
 * cannot be reached.
 */
export interface RuntimeApi extends RuntimeAnswers {
  /** Waits for the next invocation (a long poll with no timeout). */
  next(): Promise<Invocation>;
  /** Reports that initialisation failed; the runtime exits afterwards. */
  initError(error: ErrorBody): Promise<number>;
}

const MAX_TRAILER_MESSAGE = 4096;
const MAX_TRAILER_FRAMES = 32;

/**
 * Builds the constant head of the `/next` request.
 *
 * @param host The Runtime API's `host:port`.
 * @param userAgent The `User-Agent` value.
 * @returns The request head, ending with the blank line.
 */
export function nextRequestHead(host: string, userAgent: string): string {
  return `GET ${NEXT_PATH} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\n\r\n`;
}

/**
 * Builds the head of a buffered `/response` request.
 *
 * @param host The Runtime API's `host:port`.
 * @param userAgent The `User-Agent` value.
 * @param invocation The invocation answered.
 * @param contentLength The body's length in bytes.
 * @returns The request head, ending with the blank line.
 *
 * @example The invocation id is echoed back
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { responseRequestHead } from "./requests.ts";
 *
 * const head = responseRequestHead("127.0.0.1:9001", "lambdeno/0.1.0", {
 *   requestId: "r1", invocationId: "a1", deadlineMs: 0, invokedFunctionArn: "", body: "",
 *   traceId: undefined, clientContext: undefined, cognitoIdentity: undefined, tenantId: undefined,
 * }, 2);
 * ok(head.startsWith("POST /2018-06-01/runtime/invocation/r1/response HTTP/1.1\r\n"));
 * ok(head.includes("\r\nLambda-Runtime-Invocation-Id: a1\r\n"));
 * ok(head.includes("\r\nContent-Length: 2\r\n"));
 * ```
 */
export function responseRequestHead(
  host: string,
  userAgent: string,
  invocation: Invocation,
  contentLength: number,
): string {
  return `POST ${invocationPath(invocation.requestId, "response")} HTTP/1.1\r\nHost: ${host}\r\n` +
    `User-Agent: ${userAgent}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${contentLength}\r\n${_invocationIdLine(invocation)}\r\n`;
}

/**
 * Builds the head of a streaming `/response` request; the body follows in chunked encoding and
 * may end with the error trailers.
 *
 * @param host The Runtime API's `host:port`.
 * @param userAgent The `User-Agent` value.
 * @param invocation The invocation answered.
 * @param contentType The streamed body's content type.
 * @returns The request head, ending with the blank line.
 */
export function streamRequestHead(
  host: string,
  userAgent: string,
  invocation: Invocation,
  contentType: string,
): string {
  return `POST ${invocationPath(invocation.requestId, "response")} HTTP/1.1\r\nHost: ${host}\r\n` +
    `User-Agent: ${userAgent}\r\nContent-Type: ${_headerSafe(contentType)}\r\n` +
    `${HEADER_NAME.responseMode}: streaming\r\nTransfer-Encoding: chunked\r\n` +
    `Trailer: ${HEADER_NAME.errorType}, ${HEADER_NAME.errorBody}\r\n` +
    `${_invocationIdLine(invocation)}\r\n`;
}

/**
 * Builds the chunked-encoding trailers that end a stream that failed.
 *
 * @param error The error body.
 * @returns The last chunk and the two trailers, ending with the blank line.
 */
export function streamErrorTrailer(error: ErrorBody): string {
  // A trailer is one header line: a long message or stack is cut rather than sent whole.
  const compact: ErrorBody = {
    errorType: _cut(error.errorType),
    errorMessage: _cut(error.errorMessage),
    trace: error.trace.slice(0, MAX_TRAILER_FRAMES),
  };
  const json = new TextEncoder().encode(JSON.stringify(compact));
  // Node's runtime sends the error's own type here (`Error`, `TypeError`), not `Function.*`.
  return `0\r\n${HEADER_NAME.errorType}: ${trailerErrorType(error.errorType)}\r\n` +
    `${HEADER_NAME.errorBody}: ${_base64(json)}\r\n\r\n`;
}

/**
 * The `Lambda-Runtime-Function-Error-Type` trailer of a failed stream: the error's type as Node's
 * runtime sends it, less the characters a header value cannot hold, within
 * {@linkcode MAX_ERROR_TYPE_LENGTH}.
 *
 * @param errorType The error body's `errorType`.
 * @returns The trailer value, never empty.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { trailerErrorType } from "./requests.ts";
 *
 * equal(trailerErrorType("TypeError"), "TypeError");
 * equal(trailerErrorType("Bad\r\nName"), "BadName");
 * ```
 */
export function trailerErrorType(errorType: string): string {
  const safe = errorType.replace(/[^\x20-\x7E]/g, "").trim().slice(0, MAX_ERROR_TYPE_LENGTH);
  return safe === "" ? "Error" : safe;
}

/**
 * Builds the head of an `/error` request (or `/init/error` when `invocation` is `undefined`).
 *
 * @param host The Runtime API's `host:port`.
 * @param userAgent The `User-Agent` value.
 * @param invocation The invocation that failed, or `undefined` for an init error.
 * @param error The error body, for its type header.
 * @param contentLength The body's length in bytes.
 * @param xrayCause The `Lambda-Runtime-Function-XRay-Error-Cause` value (see
 * {@linkcode xrayErrorCause}); no header when `undefined`.
 * @returns The request head, ending with the blank line.
 *
 * @example With the X-Ray cause
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { errorRequestHead, xrayErrorCause } from "./requests.ts";
 *
 * const error = { errorType: "TypeError", errorMessage: "bad", trace: ["at f (file:///a.ts:3:9)"] };
 * const head = errorRequestHead("127.0.0.1:9001", "lambdeno/0.1.0", undefined, error, 2,
 *   xrayErrorCause(error, "/var/task"));
 * ok(head.includes("\r\nLambda-Runtime-Function-XRay-Error-Cause: {\"working_directory\""));
 * ```
 */
export function errorRequestHead(
  host: string,
  userAgent: string,
  invocation: Invocation | undefined,
  error: ErrorBody,
  contentLength: number,
  xrayCause?: string,
): string {
  const path = invocation === undefined
    ? INIT_ERROR_PATH
    : invocationPath(invocation.requestId, "error");
  return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\n` +
    `Content-Type: application/json\r\n` +
    `${HEADER_NAME.errorType}: ${errorTypeHeader(error)}\r\n` +
    (xrayCause === undefined ? "" : `${HEADER_NAME.xrayCause}: ${xrayCause}\r\n`) +
    `Content-Length: ${contentLength}\r\n` +
    `${invocation === undefined ? "" : _invocationIdLine(invocation)}\r\n`;
}

/**
 * Reads an invocation from the headers and body of a `/next` answer.
 *
 * @param headers The answer's headers, by lower-case name.
 * @param body The event, as JSON text.
 * @returns The invocation.
 * @throws {TypeError} If the request id or the deadline is missing or malformed.
 */
export function parseInvocation(headers: Map<string, string>, body: string): Invocation {
  const requestId = headers.get(HEADER.requestId);
  if (requestId === undefined || requestId === "") {
    throw new TypeError(
      "Cannot read invocation: the Lambda-Runtime-Aws-Request-Id header is missing",
    );
  }
  const deadlineText = headers.get(HEADER.deadlineMs)?.trim();
  // Number("") is 0: an empty header would read as a deadline long past.
  const deadlineMs = deadlineText ? Number(deadlineText) : Number.NaN;
  if (!Number.isFinite(deadlineMs)) {
    throw new TypeError(
      `Cannot read invocation ${requestId}: Lambda-Runtime-Deadline-Ms is not a number`,
    );
  }
  return {
    requestId,
    deadlineMs,
    invokedFunctionArn: headers.get(HEADER.functionArn) ?? "",
    traceId: headers.get(HEADER.traceId),
    clientContext: headers.get(HEADER.clientContext),
    cognitoIdentity: headers.get(HEADER.cognitoIdentity),
    tenantId: headers.get(HEADER.tenantId),
    invocationId: headers.get(HEADER.invocationId),
    body,
  };
}

function _invocationIdLine(invocation: Invocation): string {
  return invocation.invocationId === undefined
    ? ""
    : `${HEADER_NAME.invocationId}: ${_headerSafe(invocation.invocationId)}\r\n`;
}

function _cut(text: string): string {
  return text.length > MAX_TRAILER_MESSAGE ? `${text.slice(0, MAX_TRAILER_MESSAGE)}…` : text;
}

function _headerSafe(value: string): string {
  // Never let a value end the header line early.
  return value.replace(/[\r\n]/g, " ");
}

function _base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
