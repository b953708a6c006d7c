/**
 * The pollers: the one owner of polling. They fetch invocations from the Runtime API and send
 * them into a {@linkcode Channel} that workers iterate; a worker asking for its next invocation
 * is what lets a poller poll again, so with N workers there are exactly N open polls when all
 * are idle and never more than N invocations held.
 *
 * With pipelining on, the poll that frees a worker's slot travels in the same write as that
 * worker's answer (HTTP/1.1 pipelining, one round trip less per invocation); the pollers take
 * the invocation it brings like any other.
 *
 * @module
 */

import { Channel, ChannelClosedError } from "./channel.ts";
import type { Invocation } from "./context.ts";
import type { ErrorBody } from "./errors.ts";
import type {
  AnsweredAndPolled,
  PipeliningRuntimeApi,
  RuntimeAnswers,
  RuntimeApi,
  StreamOutcome,
} from "../runtime_api/requests.ts";
import type { StreamingResponse } from "./streaming.ts";

/** Options for {@linkcode Pollers}. */
export interface PollersOptions {
  /** How many workers take invocations, hence how many polls may be open. */
  readonly slots: number;
  /**
   * Sends each slot's next poll behind the answer that frees it, when the API can
   * ({@linkcode PipeliningRuntimeApi}). Defaults to `false`.
   */
  readonly pipeline?: boolean;
  /**
   * Stops polling when aborted. Polls already open cannot be taken back: what they bring is
   * still handed out, and the invocations end once every one of them has been.
   */
  readonly signal?: AbortSignal;
}

/**
 * Fetches invocations for a number of workers: iterate {@linkcode Pollers.invocations} (once per
 * worker) and answer through {@linkcode Pollers.answers}.
 *
 * @example Two invocations through one slot
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Pollers } from "./pollers.ts";
 * import type { Invocation } from "./context.ts";
 *
 * const queue = ["a", "b"].map((requestId): Invocation => ({
 *   requestId, deadlineMs: 0, invokedFunctionArn: "", body: "{}", traceId: undefined,
 *   clientContext: undefined, cognitoIdentity: undefined, tenantId: undefined,
 *   invocationId: undefined,
 * }));
 * const stop = new AbortController();
 * const pollers = new Pollers({
 *   next: () => Promise.resolve(queue.shift()!),
 *   respond: () => Promise.resolve(202),
 *   respondStream: () => Promise.reject(new Error("unused")),
 *   fail: () => Promise.resolve(202),
 *   initError: () => Promise.resolve(202),
 * }, { slots: 1, signal: stop.signal });
 * const seen: string[] = [];
 * for await (const invocation of pollers.invocations) {
 *   seen.push(invocation.requestId);
 *   if (queue.length === 0) stop.abort();
 * }
 * deepEqual(seen, ["a", "b"]);
 * ```
 */
export class Pollers {
  readonly #api: RuntimeApi;
  readonly #pipelining: PipeliningRuntimeApi | undefined;
  readonly #slots: number;
  readonly #signal: AbortSignal | undefined;
  /** Invocations from the pollers to the workers; a send waits for a worker to take it. */
  readonly #invocations = new Channel<Invocation>(0);
  /** Free slots, each with the poll its worker's answer already sent, if any. */
  readonly #free: Channel<Promise<Invocation> | undefined>;
  /** Polls sent behind an answer, by the invocation answered, until its worker is free. */
  readonly #polled = new Map<Invocation, Promise<Invocation> | undefined>();
  #started = false;

  /**
   * @param api The Runtime API.
   * @param options The number of slots, pipelining, and a signal to stop.
   * @throws {RangeError} If `slots` is not a positive integer.
   */
  constructor(api: RuntimeApi | PipeliningRuntimeApi, options: PollersOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) {
      throw new RangeError(`Cannot poll: slots must be a positive integer, got ${options.slots}`);
    }
    this.#api = api;
    this.#pipelining = options.pipeline && "respondAndPoll" in api ? api : undefined;
    this.#slots = options.slots;
    this.#signal = options.signal;
    this.#free = new Channel(options.slots);
  }

  /**
   * The invocations, as workers take them. Each `for await` over it is one worker: asking for
   * the next invocation frees the slot of the one before.
   */
  get invocations(): AsyncIterable<Invocation> {
    this.#start();
    return { [Symbol.asyncIterator]: () => this.#worker() };
  }

  /** Where workers answer, so that an answer can carry its slot's next poll. */
  get answers(): RuntimeAnswers {
    return this.#answers;
  }

  readonly #answers: RuntimeAnswers = {
    respond: (invocation, json) =>
      this.#pipelines(invocation)
        ? this.#keepPoll(invocation, this.#pipelining!.respondAndPoll(invocation, json))
        : this.#api.respond(invocation, json),
    fail: (invocation, error: ErrorBody) =>
      this.#pipelines(invocation)
        ? this.#keepPoll(invocation, this.#pipelining!.failAndPoll(invocation, error))
        : this.#api.fail(invocation, error),
    // A stream's answer ends whenever its body does; its slot polls afresh.
    respondStream: (invocation, response: StreamingResponse): Promise<StreamOutcome> =>
      this.#api.respondStream(invocation, response),
  };

  /** Whether this answer carries its slot's next poll: only the first answer of each does. */
  #pipelines(invocation: Invocation): boolean {
    // A follow-up (an error after a 413) goes alone, and so does everything once stopped.
    if (this.#pipelining === undefined || this.#polled.has(invocation) || this.#stopped) {
      return false;
    }
    this.#polled.set(invocation, undefined);
    return true;
  }

  /** Keeps the poll an answer carried, for its worker's next invocation. */
  async #keepPoll(invocation: Invocation, answered: Promise<AnsweredAndPolled>): Promise<number> {
    const { status, next } = await answered;
    if (next !== undefined) {
      next.catch(_ignore); // its failure is the poller's, when it takes it
      this.#polled.set(invocation, next);
    }
    return status;
  }

  get #stopped(): boolean {
    return this.#signal?.aborted ?? false;
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const stop = () => this.#free.close();
    if (this.#stopped) stop();
    this.#signal?.addEventListener("abort", stop, { once: true });
    const pollers: Promise<void>[] = [];
    for (let i = 0; i < this.#slots; i++) pollers.push(this.#poll());
    Promise.all(pollers).then(
      () => this.#invocations.close(),
      (error) => {
        this.#free.close(error);
        this.#invocations.close(error);
      },
    ).finally(() => this.#signal?.removeEventListener("abort", stop));
  }

  /** One poller: a poll per free slot, its invocation handed to whichever worker is free. */
  async #poll(): Promise<void> {
    for await (const sent of this.#free) {
      const next = sent ?? (this.#stopped ? undefined : this.#api.next());
      if (next !== undefined) await this.#invocations.send(await next);
    }
  }

  /** One worker's view: each `next()` frees the slot of the invocation it took before. */
  #worker(): AsyncIterator<Invocation> {
    let last: Invocation | undefined;
    return {
      next: async (): Promise<IteratorResult<Invocation>> => {
        let sent: Promise<Invocation> | undefined;
        if (last !== undefined) {
          sent = this.#polled.get(last);
          this.#polled.delete(last);
        }
        if (!this.#free.closed) {
          await this.#free.send(sent);
        } else if (sent !== undefined) {
          // Polling has stopped, but the poll this worker's answer sent is open: its
          // invocation is this worker's to run.
          last = await sent;
          return { value: last, done: false };
        }
        try {
          last = await this.#invocations.receive();
          return { value: last, done: false };
        } catch (error) {
          if (!(error instanceof ChannelClosedError)) throw error;
          if (error.cause !== undefined) throw error.cause;
          return { value: undefined, done: true };
        }
      },
    };
  }
}

function _ignore(): void {}
