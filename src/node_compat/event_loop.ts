/**
 * Node's "the event loop is empty" in Deno. Node's runtime answers a callback handler when its
 * process would exit (`beforeExit`); Deno has the same moment as the `beforeunload` event,
 * dispatched when the event loop has no work left (no timers, no pending I/O, no promises that
 * I/O would settle) and cancelled, so the process goes on, by `preventDefault()` and the work the
 * listeners start. While one invocation runs at a time the runtime has nothing of its own
 * pending (its next poll is only sent with the answer), so the loop is empty exactly when the
 * work the handler started has finished, as on Node.
 *
 * @module
 */

import type { EventLoop } from "./handlers.ts";

/**
 * Collects what waits for the event loop to be empty, and runs it when told the loop is.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { EmptyEventLoop } from "./event_loop.ts";
 *
 * const loop = new EmptyEventLoop();
 * let ran = 0;
 * loop.onEmpty(() => ran++);
 * equal(loop.empty(), 1);
 * equal(loop.empty(), 0);
 * equal(ran, 1);
 * ```
 */
export class EmptyEventLoop implements EventLoop {
  #listeners: (() => void)[] = [];

  /**
   * Calls `listener` once, the next time {@linkcode EmptyEventLoop.empty} is called.
   *
   * @param listener What to run then.
   */
  onEmpty(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Runs (and forgets) every listener waiting, in the order they came: the event loop is empty.
   *
   * @returns How many ran.
   */
  empty(): number {
    const listeners = this.#listeners;
    if (listeners.length === 0) return 0;
    this.#listeners = [];
    for (const listener of listeners) listener();
    return listeners.length;
  }
}

/** The part of the global object {@linkcode watchEmptyEventLoop} listens on. */
export interface UnloadTarget {
  addEventListener(type: "beforeunload", listener: (event: Event) => void): void;
}

/**
 * Calls `onEmpty` each time Deno's event loop runs out of work, and keeps the process going when
 * it says it started more.
 *
 * @param onEmpty Starts the work that should follow; returns `true` if it started any.
 * @param target The global object. Defaults to `globalThis`.
 */
export function watchEmptyEventLoop(
  onEmpty: () => boolean,
  target: UnloadTarget = globalThis as unknown as UnloadTarget,
): void {
  target.addEventListener("beforeunload", (event) => {
    if (onEmpty()) event.preventDefault();
  });
}
