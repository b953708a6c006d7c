/**
 * How failures become what Lambda records: the `{errorType, errorMessage, stackTrace}` body and
 * the `Lambda-Runtime-Function-Error-Type` header, plus the runtime's own error classes.
 *
 * @module
 */

/** The JSON body Lambda expects on `/error` and `/init/error`. */
export interface ErrorBody {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace: readonly string[];
}

/** A failure the runtime reports on the function's behalf, with a `Runtime.*` type. */
export class RuntimeError extends Error {
  /** The `Runtime.*` type reported to Lambda, e.g. `Runtime.HandlerNotFound`. */
  readonly errorType: string;

  /**
   * @param errorType The `Runtime.*` type.
   * @param message What happened, naming the cause.
   * @param options The original error, as `cause`.
   */
  constructor(errorType: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeError";
    this.errorType = errorType;
  }
}

/** The Runtime API cannot be reached, answered 500, or broke the protocol: the runtime exits. */
export class RuntimeApiError extends Error {
  /**
   * @param message What failed.
   * @param options The underlying error, as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeApiError";
  }
}

/**
 * Describes anything a handler threw as Lambda's error body. An `Error` keeps its name (or its
 * class's name), message and stack frames, followed by its `cause` chain; a thrown string
 * becomes the message of an `Error`; other values are described as well as they can be.
 *
 * @param error What was thrown.
 * @returns The body to post.
 *
 * @example A TypeError
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { toErrorBody } from "./errors.ts";
 *
 * const body = toErrorBody(new TypeError("bad input"));
 * equal(body.errorType, "TypeError");
 * equal(body.errorMessage, "bad input");
 * ```
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof RuntimeError) {
    return { errorType: error.errorType, errorMessage: error.message, stackTrace: _frames(error) };
  }
  if (error instanceof Error) {
    return {
      errorType: _errorName(error),
      errorMessage: String(error.message),
      stackTrace: _frames(error),
    };
  }
  if (typeof error === "string") {
    return { errorType: "Error", errorMessage: error, stackTrace: [] };
  }
  if (typeof error === "object" && error !== null && "message" in error) {
    // An error from another realm, or a plain object shaped like one.
    const name = "name" in error && typeof error.name === "string" ? error.name : "Error";
    return { errorType: name, errorMessage: String(error.message), stackTrace: [] };
  }
  return {
    errorType: "Error",
    errorMessage: `Handler threw a non-Error value: ${_describe(error)}`,
    stackTrace: [],
  };
}

/**
 * The `Lambda-Runtime-Function-Error-Type` header for an error body: `Runtime.*` and
 * `Function.*` types as they are, anything else as `Function.<type>` (header-safe).
 *
 * @param body The error body.
 * @returns The header value.
 */
export function errorTypeHeader(body: ErrorBody): string {
  const type = body.errorType;
  if (/^(Runtime|Function)\.[A-Za-z0-9_]+$/.test(type)) return type;
  const safe = type.replace(/[^A-Za-z0-9_]/g, "");
  return `Function.${safe === "" ? "Error" : safe}`;
}

function _errorName(error: Error): string {
  const name = typeof error.name === "string" && error.name !== "" ? error.name : "Error";
  if (name !== "Error") return name;
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof ctor === "string" && ctor !== "" ? ctor : name;
}

function _frames(error: Error): string[] {
  const frames: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && !seen.has(current) && depth < 8; depth++) {
    seen.add(current);
    if (depth > 0) frames.push(`Caused by: ${_errorName(current)}: ${current.message}`);
    for (const line of String(current.stack ?? "").split("\n")) {
      const trimmed = line.trim();
      if (trimmed.startsWith("at ")) frames.push(trimmed);
    }
    current = current.cause;
  }
  return frames;
}

function _describe(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
