/**
 * Reading a request body under Lambda's 6 MB invocation payload limit, and the errors of the
 * Lambda API itself: a payload over it, a throttle.
 *
 * @module
 */

import type { TooManyRequestsError } from "../sandbox/lambda_errors.ts";

/** Lambda's limit on a synchronous invocation's payload: 6 MB (6,291,456 bytes). */
export const MAX_REQUEST_BYTES = 6_291_456;

/**
 * Reads a request's whole body, stopping as soon as it is over the limit.
 *
 * @param request The request.
 * @param limit The most bytes accepted.
 * @returns The body, or `undefined` when it is larger than `limit`.
 */
export async function readBody(
  request: Request,
  limit: number = MAX_REQUEST_BYTES,
): Promise<Uint8Array | undefined> {
  const announced = Number(request.headers.get("content-length") ?? "0");
  if (announced > limit) {
    await request.body?.cancel();
    return undefined;
  }
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/**
 * Lambda's answer to a payload over the limit: `413` and `RequestEntityTooLargeException`.
 *
 * @param limit The limit that was exceeded.
 * @returns The response.
 */
export function tooLarge(limit: number = MAX_REQUEST_BYTES): Response {
  return awsError(
    413,
    "RequestEntityTooLargeException",
    `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
  );
}

/**
 * Lambda's answer to a throttled invocation.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { throttled } from "./request_body.ts";
 * import { TooManyRequestsError } from "../sandbox/lambda_errors.ts";
 *
 * const response = throttled(
 *   new TooManyRequestsError("Rate Exceeded", "ConcurrentInvocationLimitExceeded"),
 * );
 * equal(response.status, 429);
 * equal(response.headers.get("x-amzn-errortype"), "TooManyRequestsException");
 * equal((await response.json()).Reason, "ConcurrentInvocationLimitExceeded");
 * ```
 *
 * @param error The throttle.
 * @returns `429 TooManyRequestsException`, with the limit as `Reason`.
 */
export function throttled(error: TooManyRequestsError): Response {
  return awsError(429, "TooManyRequestsException", error.message, { Reason: error.reason });
}

/**
 * An error of the Lambda API itself (not of the function), in its REST-JSON shape.
 *
 * @param status The HTTP status.
 * @param type The exception's name, also sent as `X-Amzn-ErrorType`.
 * @param message What went wrong.
 * @param extra More fields for the body.
 * @returns The response.
 */
export function awsError(
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json({ Type: "User", message, ...extra }, {
    status,
    headers: { "x-amzn-errortype": type },
  });
}
