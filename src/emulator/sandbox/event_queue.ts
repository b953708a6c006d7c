/**
 * A function's queue of asynchronous (`Event`) invocations, as Lambda keeps one: the caller
 * gets `202` at once, the events run later, a few at a time, and a failure is recorded in the
 * log, since no caller is waiting to see it.
 *
 * The queue is bounded (Lambda answers `429 TooManyRequestsException` when it cannot take an
 * event), and it hands the function at most as many events at once as the function can run:
 * a synchronous invocation then waits for the events already running, not for the whole
 * backlog.
 *
 * @module
 */

import type { Outcome } from "./function_types.ts";

/** How many events may wait per function, by default, before new ones are refused. */
export const DEFAULT_MAX_QUEUED_EVENTS = 1000;

/** Spent slots at the head of the queue past which, once they are half of it, it is compacted. */
const _COMPACT_AFTER = 32;

/** One queued event: runs it and reports nothing (failures are the runner's to log). */
export type EventJob = () => Promise<void>;

/** A bounded FIFO of event invocations, run at most `concurrency` at a time. */
export class EventQueue {
  readonly #maxQueued: number;
  readonly #concurrency: number;
  #waiting: EventJob[] = [];
  #head = 0;
  #running = 0;
  #idle: PromiseWithResolvers<void> | undefined;
  #closed = false;

  /**
   * @param maxQueued How many events may wait (not counting those running).
   * @param concurrency How many run at once.
   * @throws {RangeError} If either is not a positive integer (`maxQueued` may be 0).
   */
  constructor(maxQueued: number, concurrency: number) {
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError(`Cannot bound the event queue: ${maxQueued} is not a count`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`Cannot run events ${concurrency} at a time: it must be at least 1`);
    }
    this.#maxQueued = maxQueued;
    this.#concurrency = concurrency;
  }

  /** Events waiting to run. */
  get queued(): number {
    return this.#waiting.length - this.#head;
  }

  /**
   * Slots the queue's storage holds, waiting events and spent ones not yet reclaimed: stays
   * within a small multiple of `maxQueued` however long a backlog lasts. For diagnostics.
   */
  get slots(): number {
    return this.#waiting.length;
  }

  /**
   * Queues an event, starting it now if fewer than `concurrency` are running.
   *
   * @param job Runs the event.
   * @returns `false` when the queue is full or closed: the event is refused.
   */
  offer(job: EventJob): boolean {
    if (this.#closed) return false;
    if (this.#running < this.#concurrency) {
      this.#start(job);
      return true;
    }
    if (this.queued >= this.#maxQueued) return false;
    this.#waiting.push(job);
    return true;
  }

  /**
   * Drops the events still waiting and refuses new ones.
   *
   * @returns Resolves once the running events have ended.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#waiting = [];
    this.#head = 0;
    if (this.#running === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers();
    return this.#idle.promise;
  }

  #start(job: EventJob): void {
    this.#running++;
    void job().catch(() => {}).finally(() => this.#next());
  }

  #next(): void {
    this.#running--;
    if (this.#head < this.#waiting.length) {
      const job = this.#waiting[this.#head]!;
      this.#waiting[this.#head++] = _done;
      if (this.#head === this.#waiting.length) {
        this.#waiting = [];
        this.#head = 0;
      } else if (this.#head >= _COMPACT_AFTER && this.#head * 2 >= this.#waiting.length) {
        // A backlog that never drains would otherwise grow the array by one slot per event.
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      this.#start(job);
    } else if (this.#running === 0) {
      this.#idle?.resolve();
      this.#idle = undefined;
    }
  }
}

/**
 * Reads an event's outcome to its end (nobody reads an event's answer, but a stream must be
 * drained) and says how it failed, as the log line names it: the error's type and message.
 *
 * @param outcome How the invocation ended.
 * @returns `"<type>: <message>"`, or `undefined` if it succeeded.
 */
export async function eventFailure(outcome: Outcome): Promise<string | undefined> {
  if (outcome.kind === "error") {
    return `${outcome.error.errorType || outcome.errorType}: ${outcome.error.errorMessage}`;
  }
  if (outcome.kind === "response") return undefined;
  for await (const _ of outcome.chunks) {
    // Dropped: only how the stream ended matters.
  }
  const end = await outcome.done;
  if (end.errorType === undefined && end.complete) return undefined;
  const body: unknown = end.errorBody;
  const fields = typeof body === "object" && body !== null ? body as Record<string, unknown> : {};
  const type = typeof fields.errorType === "string"
    ? fields.errorType
    : end.errorType ?? "Runtime.ExitError";
  const message = typeof fields.errorMessage === "string"
    ? fields.errorMessage
    : typeof body === "string"
    ? body
    : "the response stream failed";
  return `${type}: ${message}`;
}

function _done(): Promise<void> {
  return Promise.resolve();
}
