/**
 * The cases the differential check runs through AWS's Node.js runtime client and through
 * Lambdeno, and how an answer is reduced to what both must agree on: stack frames name each
 * runtime's own files, so a trace keeps its first line and whether frames followed.
 *
 * @module
 */

import type { InvocationResult } from "../../src/emulator/runtime_api_server/invocation_result.ts";

/** The handlers, in `tests/fixtures/node_compat/handlers/parity.mjs`. */
export const PARITY_HANDLERS: string =
  new URL("../fixtures/node_compat/handlers/", import.meta.url).pathname;

/** Where the oracle's answers are kept. */
export const PARITY_FIXTURE: URL = new URL(
  "../fixtures/node_compat/node22_answers.json",
  import.meta.url,
);

/** One invocation: the export of `parity.mjs` and the event. */
export interface ParityCase {
  readonly name: string;
  readonly event: unknown;
  /** Whether the process may end after this case, so it is not warmed by a first invocation. */
  readonly cold?: boolean;
}

/** Every case, by the export it runs. */
export const PARITY_CASES: readonly ParityCase[] = [
  { name: "asyncEcho", event: { a: [1, "two", null], b: { c: true } } },
  { name: "throwsError", event: {} },
  { name: "throwsSubclass", event: {} },
  { name: "throwsString", event: {} },
  { name: "throwsObject", event: {} },
  { name: "bigintResult", event: {} },
  { name: "context", event: {} },
  { name: "succeedLater", event: {} },
  { name: "neverCalls", event: {} },
  { name: "callbackThenTimer", event: {} },
  { name: "callbackNoWait", event: {} },
  { name: "callbackError", event: {} },
  { name: "callbackThenThrow", event: {}, cold: true },
  { name: "streams", event: {} },
  { name: "unhandledRejection", event: {}, cold: true },
];

/** What an answer is reduced to. */
export type ParityAnswer = Record<string, unknown>;

/**
 * Reduces a result to what both runtimes must agree on.
 *
 * @param result The invocation's result.
 * @returns The reduced answer.
 */
export async function reduceAnswer(result: InvocationResult): Promise<ParityAnswer> {
  switch (result.kind) {
    case "response":
      return { kind: "response", body: new TextDecoder().decode(result.body) };
    case "error":
      return { kind: "error", body: reduceError(result.error) };
    case "stream": {
      let body = "";
      const decoder = new TextDecoder();
      for await (const chunk of result.chunks) body += decoder.decode(chunk, { stream: true });
      const end = await result.done;
      return {
        kind: "stream",
        body,
        errorType: end.errorType,
        errorBody: reduceError(end.errorBody),
      };
    }
    default:
      return { kind: result.kind };
  }
}

/**
 * Keeps an error body's type, message and first trace line; frames become one marker.
 *
 * @param error An error body.
 * @returns The reduced body.
 */
export function reduceError(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { trace, ...rest } = error as { trace?: unknown };
  if (!Array.isArray(trace)) return rest;
  const [first, ...frames] = trace as string[];
  return { ...rest, trace: first === undefined ? [] : [first, ...(frames.length ? ["…"] : [])] };
}
