/**
 * The errors Lambda itself answers with when the function gives no answer: a timeout, and a
 * runtime that exited.
 *
 * @module
 */

import type { ErrorOutcome } from "./function_types.ts";

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
      stackTrace: [],
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
      stackTrace: [],
    },
  };
}
