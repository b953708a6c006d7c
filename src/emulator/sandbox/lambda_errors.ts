/**
 * The errors Lambda itself answers with when the function gives no answer: a timeout, and a
 * runtime that exited.
 *
 * @module
 */

import type { LambdaErrorBody } from "../runtime_api_server/invocation_result.ts";
import type { ErrorOutcome } from "./function_types.ts";

const ESC = String.fromCharCode(27);
/** CSI sequences (colours, cursor moves) and OSC sequences (titles, links). */
const TERMINAL_ESCAPES = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${ESC}\\u0007]*(?:\\u0007|${ESC}\\\\)|${ESC}[@-_]`,
  "g",
);

/**
 * Removes terminal escape sequences from text: an error body is JSON for programs, and colour
 * codes that Deno or a library put in a message would reach the caller as `\u001b[31m`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { stripTerminalEscapes } from "./lambda_errors.ts";
 *
 * equal(stripTerminalEscapes("at \u001b[36mfile.ts\u001b[0m:1"), "at file.ts:1");
 * ```
 *
 * @param text The text.
 * @returns The text without escape sequences.
 */
export function stripTerminalEscapes(text: string): string {
  return text.includes(ESC) ? text.replace(TERMINAL_ESCAPES, "") : text;
}

/**
 * @param error An error body as the runtime reported it.
 * @returns The same error with no terminal escapes in its type, message or stack.
 */
export function plainError(error: LambdaErrorBody): LambdaErrorBody {
  return {
    errorMessage: stripTerminalEscapes(error.errorMessage),
    errorType: stripTerminalEscapes(error.errorType),
    trace: error.trace.map(stripTerminalEscapes),
  };
}

/**
 * @param value A stream's error trailer, as decoded: JSON, text, or nothing.
 * @returns The same value with no terminal escapes in any string inside it.
 */
export function plainValue(value: unknown): unknown {
  if (typeof value === "string") return stripTerminalEscapes(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainValue(item)]));
}

/**
 * @param requestId The invocation.
 * @param timeoutMs The timeout it passed.
 * @returns Lambda's `Sandbox.Timedout` error.
 */
export function timeoutError(requestId: string, timeoutMs: number): ErrorOutcome {
  const seconds = (timeoutMs / 1000).toFixed(2);
  return {
    kind: "error",
    requestId,
    errorType: "Sandbox.Timedout",
    error: {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
      trace: [],
    },
  };
}

/**
 * @param requestId The invocation.
 * @param reason How the process ended, e.g. `exit status 1`.
 * @returns Lambda's `Runtime.ExitError`.
 */
export function exitError(requestId: string, reason: string): ErrorOutcome {
  return {
    kind: "error",
    requestId,
    errorType: "Runtime.ExitError",
    error: {
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
      trace: [],
    },
  };
}
