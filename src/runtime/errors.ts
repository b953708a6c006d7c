/**
 * How failures become what Lambda records: the `{errorType, errorMessage, trace}` body the
 * Node.js runtime posts and the `Lambda-Runtime-Function-Error-Type` header, plus the runtime's
 * own error classes.
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
 * Describes anything a handler threw as Lambda's error body, as the Node.js runtime does: an
 * `Error` (or an object with a string `name`, `message` and `stack`) keeps its `name` as the
 * type, its message, and its stack split into lines (`"Error: boom"`, `"    at …"`); any other
 * value is reported by its `typeof` (`string`, `object`, `number`…) and its `toString()`, with no
 * trace. A {@linkcode RuntimeError} keeps its `Runtime.*` type, and its cause's stack follows its
 * own.
 *
 * It never throws: a value whose getters, `toString` or Proxy traps throw is reported as Node
 * reports it (`errorType` `handled`), so that one hostile value fails only its own invocation.
 *
 * @param error What was thrown.
 * @returns The body to post.
 *
 * @example A TypeError, and a thrown string
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { toErrorBody } from "./errors.ts";
 *
 * const body = toErrorBody(new TypeError("bad input"));
 * equal(body.errorType, "TypeError");
 * equal(body.errorMessage, "bad input");
 * equal(body.trace[0], "TypeError: bad input");
 * deepEqual(toErrorBody("boom"), { errorType: "string", errorMessage: "boom", trace: [] });
 * ```
 */
export function toErrorBody(error: unknown): ErrorBody {
  try {
    return _toErrorBody(error);
  } catch {
    return {
      errorType: "handled",
      errorMessage: UNREADABLE_ERROR,
      trace: [],
    };
  }
}

/** The message Node's runtime posts for an error whose name, message or stack cannot be read. */
const UNREADABLE_ERROR = "callback called with Error argument, but there was a problem while " +
  "retrieving one or more of its message, name, and stack";

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
    if (typeof error === "string") return error;
    if (!(error instanceof Error)) {
      const body = toErrorBody(error);
      return body.trace.length > 0 ? `${body.errorType}: ${body.errorMessage}` : _describe(error);
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
      trace: _runtimeTrace(error),
    };
  }
  if (_isError(error)) {
    const { name, message, stack } = error;
    return {
      errorType: _del(name),
      errorMessage: _del(message),
      trace: typeof stack === "string" ? _del(stack).split("\n") : [],
    };
  }
  // Template literals would call Symbol.prototype[Symbol.toPrimitive] and throw; String() not.
  return { errorType: typeof error, errorMessage: String(_toStringOf(error)), trace: [] };
}

/** Node's test: a native error, or anything with a string name, message and stack. */
function _isError(value: unknown): value is { name: string; message: string; stack?: unknown } {
  if (typeof value !== "object" || value === null) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  if (value instanceof Error || Object.prototype.toString.call(value) === "[object Error]") {
    if (typeof name !== "string" || typeof message !== "string") throw new TypeError("unreadable");
    return true;
  }
  const { stack } = value as { stack?: unknown };
  return typeof name === "string" && name !== "" && typeof message === "string" &&
    message !== "" && typeof stack === "string" && stack !== "";
}

/** What Node's `error.toString()` gives: `null` and `undefined` only reach here as values. */
function _toStringOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const text = (value as { toString(): unknown }).toString();
  if (typeof text !== "string") throw new TypeError("toString() did not return a string");
  return text;
}

/** Node replaces DEL characters, which Lambda's log pipeline drops, with `%7F`. */
function _del(text: string): string {
  return text.includes("\x7F") ? text.replaceAll("\x7F", "%7F") : text;
}

/** A runtime error's trace: its own `Type: message` line and frames, then each cause's stack. */
function _runtimeTrace(error: RuntimeError): string[] {
  const trace = [`${error.errorType}: ${_text(() => error.message)}`];
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && !seen.has(current) && depth < 8; depth++) {
    seen.add(current);
    const at = current;
    const stack = _read(() => at.stack, undefined);
    const lines = typeof stack === "string" ? stack.split("\n") : [];
    if (depth > 0) trace.push(`Caused by: ${_errorName(at)}: ${_text(() => at.message)}`);
    for (const line of lines) if (line.trimStart().startsWith("at ")) trace.push(line);
    current = _read(() => at.cause, undefined);
  }
  return trace;
}

function _errorName(error: Error): string {
  const name = _read(() => error.name, undefined);
  return typeof name === "string" && name !== "" ? name : "Error";
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

/**
 * Cuts an error body to fit in `maxBytes` of JSON, as Lambda's limit on `/error` requires: trace
 * lines are dropped from the end first (the `Type: message` line stays while it can), then the
 * message is shortened, so the report always fits and the invocation gets its answer.
 *
 * @param body The error body.
 * @param maxBytes The largest JSON body accepted, in bytes.
 * @returns `body` itself when it fits; else a cut copy, marked with `…` where it was cut.
 *
 * @example A huge trace loses its frames first
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { capErrorBody } from "./errors.ts";
 *
 * const trace = ["Error: boom", ...Array.from({ length: 1_000 }, (_, i) => `    at f${i} (x.ts:1:1)`)];
 * const cut = capErrorBody({ errorType: "Error", errorMessage: "boom", trace }, 2_000);
 * ok(new TextEncoder().encode(JSON.stringify(cut)).length <= 2_000);
 * equal(cut.errorMessage, "boom");
 * equal(cut.trace[0], "Error: boom");
 * ```
 */
export function capErrorBody(body: ErrorBody, maxBytes: number): ErrorBody {
  const text = JSON.stringify(body);
  if (text.length * 3 <= maxBytes || _utf8Length(text) <= maxBytes) return body;
  const errorType = _cutText(body.errorType, 256);
  const bare = { errorType, errorMessage: body.errorMessage, trace: [] };
  let spare = maxBytes - _utf8Length(JSON.stringify(bare));
  if (spare >= 0) {
    // The message fits: keep as many whole trace lines from the top as fit with it.
    const trace: string[] = [];
    for (const line of body.trace) {
      const cost = _utf8Length(JSON.stringify(line)) + 1;
      if (cost > spare) break;
      trace.push(line);
      spare -= cost;
    }
    return { errorType, errorMessage: body.errorMessage, trace };
  }
  // The message alone is too large: the longest start of it that fits, by halves.
  const room = maxBytes - _utf8Length(JSON.stringify({ errorType, errorMessage: "…", trace: [] }));
  const message = body.errorMessage;
  let fits = 0;
  for (let low = 0, high = message.length; low < high;) {
    const mid = Math.ceil((low + high) / 2);
    if (_utf8Length(JSON.stringify(message.slice(0, mid))) - 2 <= room) fits = low = mid;
    else high = mid - 1;
  }
  return { errorType, errorMessage: `${message.slice(0, fits)}…`, trace: [] };
}

function _utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

function _cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
