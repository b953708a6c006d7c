/**
 * The bytes the Runtime API server writes: the `/next` response head, the `202` acknowledgement
 * built once, and the JSON error answers in the shapes Lambda uses.
 *
 * @module
 */

import {
  HEADER,
  HEADER_NAME,
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
} from "../../runtime_api/contract.ts";
import type { PendingInvocation } from "./pending_invocation.ts";

export {
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
} from "../../runtime_api/contract.ts";

/** Request header names, lower-case as the codec reports them (the contract's, plus extensions). */
export const H_INVOCATION_ID = HEADER.invocationId;
export const H_RESPONSE_MODE = HEADER.responseMode;
export const H_ERROR_TYPE = HEADER.errorType;
export const H_ERROR_BODY = HEADER.errorBody;
export const H_XRAY_CAUSE = HEADER.xrayCause;
export const H_EXTENSION_NAME = "lambda-extension-name";
export const H_EXTENSION_ID = "lambda-extension-identifier";

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "OK",
  202: "Accepted",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  410: "Gone",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** What an error status means when a test injects it without saying more. */
const INJECTED_ERROR_TYPE: Readonly<Record<number, string>> = {
  403: "InvalidStateTransition",
  500: "InternalServerError",
};

const encoder = new TextEncoder();

/**
 * Builds a whole response with a JSON body.
 *
 * @param status The status code.
 * @param json The body, already JSON.
 * @param close Whether to announce and then close the connection.
 * @param extraHeaders More header lines, each ending in CRLF.
 * @returns The response bytes.
 */
export function jsonResponse(
  status: number,
  json: string,
  close = false,
  extraHeaders = "",
): Uint8Array {
  const body = encoder.encode(json);
  const head = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Unknown"}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
    (close ? "Connection: close\r\n" : "") + extraHeaders + "\r\n";
  const bytes = new Uint8Array(head.length + body.length);
  encoder.encodeInto(head, bytes);
  bytes.set(body, head.length);
  return bytes;
}

/**
 * Builds an error response in Lambda's shape, `{"errorMessage":…,"errorType":…}`.
 *
 * @param status The status code.
 * @param errorType The error type.
 * @param errorMessage The message.
 * @param close Whether to announce and then close the connection.
 * @returns The response bytes.
 */
export function errorResponse(
  status: number,
  errorType: string,
  errorMessage: string,
  close = false,
): Uint8Array {
  return jsonResponse(status, JSON.stringify({ errorMessage, errorType }), close);
}

/**
 * Builds the answer to a request a test told the server to fail.
 *
 * @param status The status code.
 * @returns The response bytes.
 */
export function injectedResponse(status: number): Uint8Array {
  const text = STATUS_TEXT[status] ?? `Status ${status}`;
  return errorResponse(status, INJECTED_ERROR_TYPE[status] ?? text.replaceAll(" ", ""), text);
}

/** `202 {"status":"OK"}`, the answer to every accepted `/response`, `/error` and `/init/error`. */
export const ACCEPTED: Uint8Array = jsonResponse(202, '{"status":"OK"}');
/** `400` for an unknown or already answered request id. */
export const INVALID_REQUEST_ID: Uint8Array = errorResponse(
  400,
  "InvalidRequestID",
  "Invalid request ID",
);
/** `410` for an answer to an invocation past its deadline, or from a stale attempt. */
export const INVOCATION_GONE: Uint8Array = errorResponse(
  410,
  "InvocationGone",
  "Invocation has timed out or belongs to another attempt",
);
/** `413` for a body over the limit; the connection stays usable because the body was read. */
export const TOO_LARGE: Uint8Array = errorResponse(
  413,
  "RequestEntityTooLarge",
  `Exceeded maximum allowed payload size (${MAX_BUFFERED_RESPONSE_BYTES} bytes).`,
);
/** `413` for a streamed body over the limit; the rest of the body is not read. */
export const STREAM_TOO_LARGE: Uint8Array = errorResponse(
  413,
  "RequestEntityTooLarge",
  `Exceeded maximum allowed streamed payload size (${MAX_STREAMED_RESPONSE_BYTES} bytes).`,
  true,
);

/**
 * The head of a `/next` response; the event bytes follow it.
 *
 * @param invocation The invocation being delivered.
 * @param deadlineMs `Lambda-Runtime-Deadline-Ms`.
 * @param functionArn `Lambda-Runtime-Invoked-Function-Arn`.
 * @returns The head, ending with the blank line.
 */
export function nextHead(
  invocation: PendingInvocation,
  deadlineMs: number,
  functionArn: string,
): string {
  let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
    invocation.body.length +
    `\r\n${HEADER_NAME.requestId}: ` + invocation.requestId +
    `\r\n${HEADER_NAME.deadlineMs}: ` + deadlineMs +
    `\r\n${HEADER_NAME.functionArn}: ` + functionArn +
    `\r\n${HEADER_NAME.traceId}: ` + invocation.traceId +
    `\r\n${HEADER_NAME.invocationId}: ` + invocation.invocationId + "\r\n";
  if (invocation.clientContext !== undefined) {
    head += `${HEADER_NAME.clientContext}: ` + invocation.clientContext + "\r\n";
  }
  if (invocation.cognitoIdentity !== undefined) {
    head += `${HEADER_NAME.cognitoIdentity}: ` + invocation.cognitoIdentity + "\r\n";
  }
  if (invocation.tenantId !== undefined) {
    head += `${HEADER_NAME.tenantId}: ` + invocation.tenantId + "\r\n";
  }
  return head + "\r\n";
}
