/**
 * A bounded memory of recently seen ids, oldest forgotten first: what lets a webhook receiver
 * answer a replayed delivery without acting on it twice, in constant memory.
 *
 * It lives in one runtime instance, so it catches replays that reach the same sandbox; a replay
 * that lands on another instance, or comes after the id was forgotten, is processed again.
 *
 * @module
 */

/** The state of an id: being processed, or processed. */
export type IdState = "pending" | "done";

/** The ids most recently claimed, at most `capacity` of them. */
export class RecentIds {
  #capacity: number;
  // A Map iterates in insertion order, so its first key is the oldest.
  #ids = new Map<string, IdState>();

  /**
   * Makes an empty memory of at most `capacity` ids.
   *
   * @param capacity How many ids to remember.
   * @throws {RangeError} If `capacity` is not a positive integer.
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot remember ids: capacity must be a positive integer, got ${capacity}`,
      );
    }
    this.#capacity = capacity;
  }

  /**
   * Claims an id for processing, unless it is already known.
   *
   * @example A second claim of the same id is refused
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { RecentIds } from "./recent_ids.ts";
   *
   * const ids = new RecentIds(100);
   * equal(ids.claim("a"), undefined);
   * equal(ids.claim("a"), "pending");
   * ids.done("a");
   * equal(ids.claim("a"), "done");
   * ```
   *
   * @param id The id.
   * @returns `undefined` when the id is now claimed; else its state.
   */
  claim(id: string): IdState | undefined {
    const state = this.#ids.get(id);
    if (state !== undefined) return state;
    this.#ids.set(id, "pending");
    if (this.#ids.size > this.#capacity) {
      this.#ids.delete(this.#ids.keys().next().value!);
    }
    return undefined;
  }

  /**
   * Marks a claimed id as processed.
   *
   * @param id The id.
   */
  done(id: string): void {
    if (this.#ids.has(id)) this.#ids.set(id, "done");
  }

  /**
   * Forgets a claimed id whose processing failed, so that a retry is processed.
   *
   * @param id The id.
   */
  release(id: string): void {
    if (this.#ids.get(id) === "pending") this.#ids.delete(id);
  }
}
