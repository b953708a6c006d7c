/**
 * An in-process stand-in for the Runtime API, for driving the invocation loop without a
 * network: it queues invocations, holds polls open until there is one, records every answer,
 * and answers with whatever status a test scripts.
 *
 * @module
 */

import type { Invocation } from "../../src/runtime/context.ts";
import type { ErrorBody } from "../../src/runtime/errors.ts";
import type { RuntimeApi, StreamOutcome } from "../../src/runtime_api/requests.ts";
import type { StreamingResponse } from "../../src/runtime/streaming.ts";

/**
 * An invocation as the Runtime API would hand it out, with the fields a test cares about
 * overridden.
 *
 * @param fields The fields to set.
 * @returns The invocation.
 */
export function invocation(fields: Partial<Invocation> = {}): Invocation {
  return {
    requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    deadlineMs: 1_700_000_000_000,
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
    traceId: undefined,
    clientContext: undefined,
    cognitoIdentity: undefined,
    tenantId: undefined,
    invocationId: undefined,
    body: "{}",
    ...fields,
  };
}

/** What the runtime sent for one invocation. */
export type Answer =
  | { readonly kind: "response"; readonly json: string }
  | { readonly kind: "error"; readonly error: ErrorBody }
  | { readonly kind: "stream"; readonly contentType: string; readonly text: string };

/** Thrown from pending polls by {@linkcode FakeRuntimeApi.stop}, to end `Runtime.run()`. */
export class FakeStopped extends Error {
  constructor() {
    super("the fake Runtime API was stopped");
    this.name = "FakeStopped";
  }
}

interface _Poll {
  resolve(invocation: Invocation): void;
  reject(reason: unknown): void;
}

/** A scripted, recording {@linkcode RuntimeApi}. */
export class FakeRuntimeApi implements RuntimeApi {
  /** Every answer, by request id, in the order they came. */
  readonly answers: { readonly requestId: string; readonly answer: Answer }[] = [];
  /** The status to give each answer call; 202 by default. */
  status: (kind: Answer["kind"], invocation: Invocation) => number = () => 202;
  /** Make `next()` reject with this (once) instead of waiting. */
  nextError: unknown = undefined;
  /** The largest number of invocations handed out and not yet answered. */
  maxHeld = 0;
  #queue: Invocation[] = [];
  #polls: _Poll[] = [];
  #waiters = new Map<string, (answer: Answer) => void>();
  #pollWaiters: { n: number; resolve: () => void }[] = [];
  #held = 0;
  #serial = 0;

  /** The number of polls currently open. */
  get openPolls(): number {
    return this.#polls.length;
  }

  /** The number of invocations handed out and not yet answered. */
  get held(): number {
    return this.#held;
  }

  /**
   * Queues an invocation.
   *
   * @returns The invocation and a promise of its answer.
   */
  push(
    event: unknown,
    fields: Partial<Invocation> = {},
  ): { invocation: Invocation; answer: Promise<Answer> } {
    const pushed = invocation({
      requestId: `req-${++this.#serial}`,
      deadlineMs: Date.now() + 60_000,
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:fake",
      body: JSON.stringify(event),
      ...fields,
    });
    const { promise, resolve } = Promise.withResolvers<Answer>();
    this.#waiters.set(pushed.requestId, resolve);
    const poll = this.#polls.shift();
    if (poll === undefined) this.#queue.push(pushed);
    else this.#hand(poll, pushed);
    return { invocation: pushed, answer: promise };
  }

  /** Resolves once at least `n` polls are open. */
  waitForPolls(n: number): Promise<void> {
    if (this.#polls.length >= n) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#pollWaiters.push({ n, resolve });
    return promise;
  }

  /** Rejects every open poll with {@linkcode FakeStopped}. */
  stop(): void {
    for (const poll of this.#polls.splice(0)) poll.reject(new FakeStopped());
    this.nextError = new FakeStopped();
  }

  next(): Promise<Invocation> {
    if (this.nextError !== undefined) {
      const error = this.nextError;
      if (!(error instanceof FakeStopped)) this.nextError = undefined;
      return Promise.reject(error);
    }
    const { promise, resolve, reject } = Promise.withResolvers<Invocation>();
    const poll = { resolve, reject };
    const invocation = this.#queue.shift();
    if (invocation !== undefined) {
      this.#hand(poll, invocation);
    } else {
      this.#polls.push(poll);
      for (const waiter of this.#pollWaiters.filter((w) => this.#polls.length >= w.n)) {
        this.#pollWaiters.splice(this.#pollWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return promise;
  }

  respond(invocation: Invocation, json: string): Promise<number> {
    return Promise.resolve(this.#record(invocation, { kind: "response", json }));
  }

  fail(invocation: Invocation, error: ErrorBody): Promise<number> {
    return Promise.resolve(this.#record(invocation, { kind: "error", error }));
  }

  async respondStream(
    invocation: Invocation,
    response: StreamingResponse,
  ): Promise<StreamOutcome> {
    let text = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
    } catch (bodyError) {
      if (text === "") return { status: undefined, started: false, bodyError };
      const status = this.#record(invocation, {
        kind: "stream",
        contentType: response.contentType,
        text,
      });
      return { status, started: true, bodyError };
    }
    const answer: Answer = { kind: "stream", contentType: response.contentType, text };
    return { status: this.#record(invocation, answer), started: true };
  }

  initError(): Promise<number> {
    return Promise.resolve(202);
  }

  #hand(poll: _Poll, invocation: Invocation): void {
    this.#held++;
    this.maxHeld = Math.max(this.maxHeld, this.#held);
    poll.resolve(invocation);
  }

  #record(invocation: Invocation, answer: Answer): number {
    const status = this.status(answer.kind, invocation);
    this.answers.push({ requestId: invocation.requestId, answer });
    const waiter = this.#waiters.get(invocation.requestId);
    // After a 413 the runtime follows up with an error report, which is the real answer.
    if (status !== 413 && waiter !== undefined) {
      this.#held--;
      this.#waiters.delete(invocation.requestId);
      waiter(answer);
    }
    return status;
  }
}
