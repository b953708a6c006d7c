/**
 * The rest of `globalThis.awslambda` that Lambda's Node.js runtime provides:
 * `streamifyResponse`, which marks a handler as a response-streaming one, and
 * `HttpResponseStream.from`, which puts the HTTP status and headers (the prelude) ahead of a
 * streamed body for Function URLs and API Gateway. Handlers written for Node.js call them at
 * the top level of their module, so they are installed before the handler is loaded.
 *
 * @module
 */

import { encodePrelude, HTTP_INTEGRATION_CONTENT_TYPE, type Prelude } from "../http/prelude.ts";
import { HANDLER_HIGH_WATER_MARK, HANDLER_STREAMING } from "./handlers.ts";
import type { FirstWrite } from "./response_stream.ts";

/**
 * The `AWS_EXECUTION_ENV` the bootstrap sets when Lambda has not: Lambda defines it only for
 * its managed runtimes (`AWS_Lambda_nodejs22.x`), and libraries read it to tell that they run
 * in Lambda (Powertools' Tracer stays off without it; the AWS SDK adds it to its user agent).
 */
export const EXECUTION_ENV = "AWS_Lambda_lambdeno";

/** `streamifyResponse`'s options. */
export interface StreamifyOptions {
  /** The response stream's `highWaterMark`, in bytes. */
  readonly highWaterMark?: number;
}

/**
 * Marks `handler` as a response-streaming handler, as Node's `awslambda.streamifyResponse`
 * does: the runtime then calls it with `(event, responseStream, context)`.
 *
 * @param handler The handler.
 * @param options The stream's `highWaterMark`.
 * @returns The same function, marked.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { streamifyResponse } from "./awslambda.ts";
 *
 * const fn = streamifyResponse(async () => {});
 * equal((fn as unknown as Record<symbol, unknown>)[
 *   Symbol.for("aws.lambda.runtime.handler.streaming")
 * ], "response");
 * ```
 */
export function streamifyResponse<F extends (...args: never[]) => unknown>(
  handler: F,
  options?: StreamifyOptions,
): F {
  const marks = handler as unknown as Record<symbol, unknown>;
  marks[HANDLER_STREAMING] = "response";
  if (typeof options?.highWaterMark === "number") {
    marks[HANDLER_HIGH_WATER_MARK] = Math.trunc(options.highWaterMark);
  }
  return handler;
}

/** The part of a response stream that {@linkcode HttpResponseStream.from} uses. */
export interface PreludeTarget {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite: ((write: FirstWrite) => void) | undefined;
}

/** Node's `awslambda.HttpResponseStream`. */
export class HttpResponseStream {
  /**
   * Makes `stream` an HTTP integration response: its content type becomes
   * `application/vnd.awslambda.http-integration-response`, and the prelude and its eight NUL
   * bytes are written just before the first chunk (or at `end()` when nothing is written).
   *
   * @param stream The response stream the handler received.
   * @param prelude `{ statusCode, headers, cookies }` (any JSON object, as in Node).
   * @returns The same stream.
   * @throws {Error} If the stream has already been written to.
   */
  static from<S extends PreludeTarget>(stream: S, prelude: Record<string, unknown>): S {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const bytes = encodePrelude(prelude as unknown as Prelude);
    stream._onBeforeFirstWrite = (write) => write(bytes);
    return stream;
  }
}

/**
 * Adds `streamifyResponse` and `HttpResponseStream` to `globalThis.awslambda`, keeping what is
 * there (the invoke store).
 *
 * @param target The global object. Defaults to `globalThis`.
 */
export function installAwsLambda(
  target: { awslambda?: unknown } = globalThis as { awslambda?: unknown },
): void {
  const existing = target.awslambda;
  const awslambda = (typeof existing === "object" && existing !== null ? existing : {}) as Record<
    string,
    unknown
  >;
  target.awslambda = awslambda;
  awslambda.streamifyResponse ??= streamifyResponse;
  awslambda.HttpResponseStream ??= HttpResponseStream;
}
