/**
 * The Function URL front: a request to `/{function}/{path}` becomes the event a Function URL
 * sends, and the function's answer (buffered, or a stream with its HTTP prelude) becomes the
 * HTTP response a Function URL gives, 502 for a failed invocation, 429 for a throttled one.
 *
 * @module
 */

import type { LambdaFunction, Outcome } from "../sandbox/lambda_function.ts";
import { TooManyRequestsError } from "../sandbox/lambda_errors.ts";
import { toHttpEvent } from "./http_event.ts";
import { bufferedResponse, streamedResponse } from "./http_result.ts";
import { readBody, throttled, tooLarge } from "./request_body.ts";

/**
 * Answers one request through a function, as its Function URL would.
 *
 * @param request The request.
 * @param fn The function behind the URL.
 * @param rawPath The path below the function's name, from `/`.
 * @param sourceIp The caller's address.
 * @param region The region the function runs in, named in the URL's domain.
 * @param log Where the emulator's own lines go (the details of a 502).
 * @returns The response.
 */
export async function functionUrlResponse(
  request: Request,
  fn: LambdaFunction,
  rawPath: string,
  sourceIp: string,
  region: string,
  log: (line: string) => void,
): Promise<Response> {
  const body = await readBody(request);
  if (body === undefined) return tooLarge();
  const requestId = crypto.randomUUID();
  const event = toHttpEvent(request, {
    rawPath,
    body,
    sourceIp,
    requestId,
    functionName: fn.name,
    region,
  });
  let outcome: Outcome;
  try {
    outcome = await fn.invoke(JSON.stringify(event));
  } catch (error) {
    if (error instanceof TooManyRequestsError) return throttled(error);
    throw error;
  }
  switch (outcome.kind) {
    case "response":
      return bufferedResponse(outcome.body);
    case "stream":
      try {
        return await streamedResponse(outcome);
      } catch (error) {
        // A prelude that is not JSON is the function's fault: 502, as a Function URL answers.
        log(`[${fn.name}] Cannot read the stream's HTTP prelude: ${error}`);
        return new Response("Bad Gateway", { status: 502 });
      }
    case "error":
      // A Function URL answers a failed invocation with 502; the details are in the log.
      log(`[${fn.name}] Invoke Error: ${JSON.stringify(outcome.error)}`);
      return new Response("Internal Server Error", {
        status: 502,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "x-amz-function-error": "Unhandled",
          "x-amzn-requestid": outcome.requestId,
        },
      });
  }
}
