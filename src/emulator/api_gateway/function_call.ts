/**
 * How an API calls a function: the event as Lambda's Invoke API takes it (under 6 MB), the whole
 * answer read (a streamed one too: API Gateway buffers it), and no longer than the API waits for
 * an integration — past that it answers for the function, which is left to finish.
 *
 * @module
 */

import { MAX_REQUEST_BYTES } from "../front/request_body.ts";
import type { InvokeMetadata, Outcome } from "../sandbox/function_types.ts";

/** A function an API can invoke. */
export interface Invocable {
  /** Invokes it with an event (JSON text). */
  invoke(event: string, metadata?: InvokeMetadata): Promise<Outcome>;
}

/** How a call ended: the answer, the function's failure, or the API's patience. */
export type Called =
  | { readonly kind: "answer"; readonly body: Uint8Array }
  | { readonly kind: "failed"; readonly errorMessage: string; readonly reason: string }
  | "timeout";

const encoder = new TextEncoder();

/**
 * Invokes a function and waits for its whole answer.
 *
 * @example A function that is not there
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { callFunction } from "./function_call.ts";
 *
 * const gone = () => Promise.resolve(new Response(null, { status: 404 }));
 * deepEqual(await callFunction(gone, "nope", {}, 1000), {
 *   kind: "failed",
 *   errorMessage: "",
 *   reason: "is not a function of this emulator",
 * });
 * ```
 *
 * @param resolve The function a name refers to, or the response saying there is none.
 * @param name The function's name.
 * @param event The event.
 * @param limitMs How long the API waits.
 * @returns The answer, or why there is none.
 */
export async function callFunction(
  resolve: (name: string) => Promise<Invocable | Response>,
  name: string,
  event: Record<string, unknown>,
  limitMs: number,
): Promise<Called> {
  const text = JSON.stringify(event);
  if (encoder.encode(text).length > MAX_REQUEST_BYTES) {
    return { kind: "failed", errorMessage: "", reason: "got an event over Lambda's 6 MB limit" };
  }
  const fn = await resolve(name);
  if (fn instanceof Response) {
    await fn.body?.cancel();
    return { kind: "failed", errorMessage: "", reason: "is not a function of this emulator" };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limitMs);
  });
  try {
    const outcome = await Promise.race([fn.invoke(text), timeout]);
    if (outcome === "timeout") return outcome;
    return await Promise.race([_whole(outcome), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A whole answer: a buffered one, a stream read to its end, or the failure. */
async function _whole(outcome: Outcome): Promise<Called> {
  if (outcome.kind === "response") return { kind: "answer", body: outcome.body };
  if (outcome.kind === "error") {
    return {
      kind: "failed",
      errorMessage: outcome.error.errorMessage,
      reason: `failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`,
    };
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of outcome.chunks) chunks.push(chunk);
  const end = await outcome.done;
  if (end.errorType !== undefined || !end.complete) {
    return {
      kind: "failed",
      errorMessage: "",
      reason: `failed part way through its stream: ${end.errorType ?? "the stream was cut"}`,
    };
  }
  return { kind: "answer", body: await new Blob(chunks.map((c) => c.slice())).bytes() };
}
