/**
 * How failures become what Lambda records: the `{errorType, errorMessage, stackTrace}` body and
 * the `Lambda-Runtime-Function-Error-Type` header, plus the runtime's own error classes.
 *
 * @module
 */

import type { ErrorBody } from "../runtime_api/contract.ts";

export { type ErrorBody, errorTypeHeader } from "../runtime_api/contract.ts";

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
 * It never throws: a value whose getters, `toString` or Proxy traps throw is described by what
 * can still be read, so that one hostile value fails only its own invocation.
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
  try {
    return _toErrorBody(error);
  } catch {
    return {
      errorType: "Error",
      errorMessage: "Handler threw a value that cannot be described",
      stackTrace: [],
    };
  }
}

/**
 * Describes an error in one line, `Name: message`, followed by its causes; for the runtime's
 * own log lines. Like {@linkcode toErrorBody}, it never throws.
 *
 * @param error Anything thrown.
 * @returns The description.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { describeError } from "./errors.ts";
 *
 * const error = new Error("outer", { cause: new TypeError("inner") });
 * equal(describeError(error), "Error: outer (caused by TypeError: inner)");
 * ```
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof RuntimeError) return _read(() => error.message, "");
    if (!(error instanceof Error)) {
      const body = toErrorBody(error);
      return body.errorType === "Error"
        ? body.errorMessage
        : `${body.errorType}: ${body.errorMessage}`;
    }
    let text = `${_errorName(error)}: ${_text(() => error.message)}`;
    const seen = new Set<unknown>([error]);
    for (
      let cause = _read(() => error.cause, undefined);
      cause instanceof Error && !seen.has(cause) && seen.size < 8;
      cause = _read(() => (cause as Error).cause, undefined)
    ) {
      seen.add(cause);
      const current = cause;
      text += ` (caused by ${_errorName(current)}: ${_text(() => current.message)})`;
    }
    return text;
  } catch {
    return "a value that cannot be described";
  }
}

function _toErrorBody(error: unknown): ErrorBody {
  if (error instanceof RuntimeError) {
    return {
      errorType: _text(() => error.errorType, "Runtime.Unknown"),
      errorMessage: _text(() => error.message),
      stackTrace: _frames(error),
    };
  }
  if (error instanceof Error) {
    return {
      errorType: _errorName(error),
      errorMessage: _text(() => error.message),
      stackTrace: _frames(error),
    };
  }
  if (typeof error === "string") {
    return { errorType: "Error", errorMessage: error, stackTrace: [] };
  }
  if (typeof error === "object" && error !== null && "message" in error) {
    // An error from another realm, or a plain object shaped like one.
    const name = _read(() => (error as { name?: unknown }).name, undefined);
    return {
      errorType: typeof name === "string" && name !== "" ? name : "Error",
      errorMessage: _text(() => (error as { message: unknown }).message),
      stackTrace: [],
    };
  }
  return {
    errorType: "Error",
    errorMessage: `Handler threw a non-Error value: ${_describe(error)}`,
    stackTrace: [],
  };
}

function _errorName(error: Error): string {
  const name = _read(() => error.name, undefined);
  if (typeof name === "string" && name !== "" && name !== "Error") return name;
  const ctor = _read(() => (error as { constructor?: { name?: unknown } }).constructor?.name, "");
  return typeof ctor === "string" && ctor !== "" ? ctor : "Error";
}

function _frames(error: Error): string[] {
  const frames: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && !seen.has(current) && depth < 8; depth++) {
    seen.add(current);
    const at = current;
    if (depth > 0) frames.push(`Caused by: ${_errorName(at)}: ${_text(() => at.message)}`);
    const stack = _read(() => at.stack, undefined);
    for (const line of (typeof stack === "string" ? stack : "").split("\n")) {
      const trimmed = line.trim();
      if (trimmed.startsWith("at ")) frames.push(trimmed);
    }
    current = _read(() => at.cause, undefined);
  }
  return frames;
}

/** Reads a property that may be a throwing getter or Proxy trap. */
function _read<T>(get: () => T, fallback: T): T {
  try {
    return get();
  } catch {
    return fallback;
  }
}

/** A value as text, for a message read from user code: `String()` may throw too. */
function _text(get: () => unknown, fallback = ""): string {
  try {
    const value = get();
    return typeof value === "string" ? value : value === undefined ? fallback : String(value);
  } catch {
    return fallback;
  }
}

function _describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "symbol") return _text(() => value.toString(), "a symbol");
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return _text(() => Object.prototype.toString.call(value), "a value that cannot be described");
  }
}
