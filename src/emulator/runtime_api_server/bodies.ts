/**
 * Reading what runtimes send in bodies and trailers: error bodies (leniently, as Lambda does),
 * error types, the base64 error trailer of a stream, and the error a too-large response becomes.
 *
 * @module
 */

import type { ErrorResult, LambdaErrorBody } from "./invocation_result.ts";
import { isRecordedErrorType, MAX_BUFFERED_RESPONSE_BYTES } from "../../runtime_api/contract.ts";

const decoder = new TextDecoder();

/**
 * Joins chunks into one array, without copying a single chunk.
 *
 * @param parts The chunks.
 * @param length Their total length.
 * @returns The bytes.
 */
export function concatBytes(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * @param text Maybe JSON.
 * @returns The parsed value, or `undefined` if `text` is not JSON.
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Lambda keeps `Runtime.*` and `Function.*` error types and records others as unknown, by the
 * rule the runtime's client follows ({@linkcode isRecordedErrorType}).
 *
 * @param header `Lambda-Runtime-Function-Error-Type`.
 * @returns The type, or `Runtime.Unknown`.
 */
export function errorTypeOf(header: string | undefined): string {
  return header !== undefined && isRecordedErrorType(header) ? header : "Runtime.Unknown";
}

/**
 * Reads an error body leniently: a body that is not the expected JSON becomes the message.
 *
 * @param text The body.
 * @param errorType The type to use when the body has none.
 * @returns The error.
 */
export function errorBodyOf(text: string, errorType: string): LambdaErrorBody {
  const value = parseJsonOrUndefined(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { errorType, errorMessage: text, trace: [] };
  }
  const fields = value as Record<string, unknown>;
  const stack = fields.trace;
  return {
    errorType: typeof fields.errorType === "string" ? fields.errorType : errorType,
    errorMessage: typeof fields.errorMessage === "string" ? fields.errorMessage : "",
    trace: Array.isArray(stack) ? stack.map(String) : [],
  };
}

/**
 * Decodes the base64 JSON error trailer of a stream, keeping whatever could be decoded.
 *
 * @param trailer `Lambda-Runtime-Function-Error-Body`.
 * @returns The parsed JSON; else the decoded text; else the trailer as sent.
 */
export function decodeErrorTrailer(trailer: string | undefined): unknown {
  if (!trailer) return undefined;
  let text: string;
  try {
    text = decoder.decode(Uint8Array.from(atob(trailer), (c) => c.charCodeAt(0)));
  } catch {
    return trailer;
  }
  const value = parseJsonOrUndefined(text);
  return value === undefined ? text : value;
}

/**
 * The error a buffered answer over 6 MiB + 100 bytes becomes, as the caller of the function sees it.
 *
 * @returns A `Function.ResponseSizeTooLarge` error result.
 */
export function tooLargeResult(): ErrorResult {
  const errorType = "Function.ResponseSizeTooLarge";
  return {
    kind: "error",
    errorType,
    error: {
      errorMessage:
        `Response payload size exceeded maximum allowed payload size (${MAX_BUFFERED_RESPONSE_BYTES} bytes).`,
      errorType,
      trace: [],
    },
    xrayCause: undefined,
  };
}
