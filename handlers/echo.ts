/**
 * The conformance function the tests and benchmarks use: `handler` echoes its event, and
 * `stream` streams chunks of `x` on request. Keep both exactly as documented.
 *
 * @module
 */

import type { HandlerConfig } from "../src/mod.ts";
import { StreamingResponse } from "../src/runtime/streaming.ts";

/** Both exports are functions of their own when deployed; neither has a Function URL. */
export const config = { handler: {}, stream: {} } satisfies HandlerConfig;

/** The fields of an echo event that make the function do something. */
export interface EchoEvent {
  /** Passed to `console.log` first. */
  readonly log?: unknown;
  /** Milliseconds to wait before answering. */
  readonly sleepMs?: unknown;
  /** Thrown as `new Error(throw)`. */
  readonly throw?: unknown;
  /** For `stream`: how many chunks (default 1). */
  readonly chunks?: unknown;
  /** For `stream`: bytes per chunk (default 1024). */
  readonly bytes?: unknown;
  /** For `stream`: milliseconds to wait after each chunk (default 0). */
  readonly delayMs?: unknown;
  /** For `stream`: throw `new Error("stream failed")` after this many chunks. */
  readonly failAfter?: unknown;
}

/**
 * Returns the event unchanged, after logging `event.log`, sleeping `event.sleepMs` and throwing
 * `event.throw` when they are set.
 *
 * @param event Any JSON value.
 * @returns The same event.
 * @throws {Error} `new Error(event.throw)` when `event.throw` is a string.
 */
export async function handler(event: unknown): Promise<unknown> {
  const e = _fields(event);
  if (typeof e.log === "string") console.log(e.log);
  if (typeof e.sleepMs === "number") await _sleep(e.sleepMs);
  if (typeof e.throw === "string") throw new Error(e.throw);
  return event;
}

/**
 * Streams `event.chunks` chunks of `event.bytes` bytes of `x`, waiting `event.delayMs` after
 * each, failing after `event.failAfter` chunks; an event without `chunks` is echoed buffered.
 *
 * @param event Any JSON value.
 * @returns The streamed body, or the event itself.
 */
export function stream(event: unknown): unknown {
  const e = _fields(event);
  if (e.chunks === undefined) return handler(event);
  const chunks = typeof e.chunks === "number" ? e.chunks : 1;
  const bytes = typeof e.bytes === "number" ? e.bytes : 1024;
  const delayMs = typeof e.delayMs === "number" ? e.delayMs : 0;
  const failAfter = typeof e.failAfter === "number" ? e.failAfter : undefined;
  const chunk = new Uint8Array(bytes).fill(0x78);
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunks; i++) {
      if (i === failAfter) throw new Error("stream failed");
      yield chunk;
      if (delayMs > 0) await _sleep(delayMs);
    }
    if (failAfter === chunks) throw new Error("stream failed");
  }
  return new StreamingResponse(body());
}

function _fields(event: unknown): EchoEvent {
  return typeof event === "object" && event !== null ? event as EchoEvent : {};
}

function _sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
