/**
 * The Runtime API server's shared state, apart from the sockets: the FIFO of invocations
 * waiting for a `/next`, the polls waiting for an invocation, the invocations in flight by
 * request id, and what tests observe (requests, init errors, extensions, injected failures).
 *
 * @module
 */

import type { InitErrorReport } from "./invocation_result.ts";
import type { PendingInvocation } from "./pending_invocation.ts";

/** The endpoints of the Runtime API and Extensions API that the server serves. */
export type RuntimeApiRoute =
  | "next"
  | "response"
  | "error"
  | "initError"
  | "extensionRegister"
  | "extensionNext";

/** One request as the server received it. */
export interface RecordedRequest {
  /** The request method. */
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** The endpoint, or `undefined` for an unknown path. */
  readonly route: RuntimeApiRoute | undefined;
  /** Headers by lower-case name. */
  readonly headers: ReadonlyMap<string, string>;
  /** The body as text, for buffered bodies that were read; `undefined` otherwise. */
  readonly body: string | undefined;
  /** The body's length in bytes (after de-chunking). */
  readonly bodyBytes: number;
  /** The trailers of a chunked body. */
  readonly trailers: ReadonlyMap<string, string> | undefined;
  /** The status answered, or `undefined` while the request is held (a long-poll). */
  readonly status: number | undefined;
}

/** A {@linkcode RecordedRequest} the connection fills in as it goes. */
export type RequestRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** An extension that registered with `POST /2020-01-01/extension/register`. */
export interface RegisteredExtension {
  /** `Lambda-Extension-Name`. */
  readonly name: string;
  /** The `Lambda-Extension-Identifier` it was given. */
  readonly identifier: string;
  /** The registration body (`{"events": […]}`), parsed; `undefined` if it was not JSON. */
  readonly body: unknown;
}

/** A connection holding a `/next` open. */
export interface Poller {
  /** Hands over an invocation, or `null` when the server closes. */
  deliver(invocation: PendingInvocation | null): void;
}

/** The function the server stands for. */
export interface FunctionConfig {
  readonly functionArn: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly handler: string;
}

interface _Failure {
  readonly status: number;
  readonly route: RuntimeApiRoute | "any";
  times: number;
}

interface _PollWaiter {
  readonly count: number;
  readonly resolvers: PromiseWithResolvers<void>;
}

/** The state shared by the server and its connections. */
export class RuntimeApiState {
  readonly now: () => number;
  readonly config: FunctionConfig;
  readonly recordRequests: boolean;
  readonly requests: RequestRecord[] = [];
  readonly invocations: Map<string, PendingInvocation> = new Map();
  readonly extensions: RegisteredExtension[] = [];
  readonly initErrors: InitErrorReport[] = [];
  extensionPolls = 0;
  maxOpenPolls = 0;
  closed = false;
  #queue: PendingInvocation[] = [];
  #polls: Poller[] = [];
  #pollWaiters: _PollWaiter[] = [];
  #failures: _Failure[] = [];
  #initError: PromiseWithResolvers<InitErrorReport> | undefined;

  /**
   * @param now The clock for deadlines, in epoch milliseconds.
   * @param config The function's identity, sent in headers and registration answers.
   * @param recordRequests Whether to keep a {@linkcode RecordedRequest} per request.
   */
  constructor(now: () => number, config: FunctionConfig, recordRequests: boolean) {
    this.now = now;
    this.config = config;
    this.recordRequests = recordRequests;
  }

  /** `/next` polls held open now. */
  get openPolls(): number {
    return this.#polls.length;
  }

  /** Invocations waiting for a `/next`. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Queues an invocation, or hands it straight to the oldest waiting poll.
   *
   * @param invocation The invocation.
   */
  enqueue(invocation: PendingInvocation): void {
    this.invocations.set(invocation.requestId, invocation);
    const poller = this.#polls.shift();
    if (poller !== undefined) poller.deliver(invocation);
    else this.#queue.push(invocation);
  }

  /**
   * Puts back an invocation whose delivery failed, ahead of the others.
   *
   * @param invocation The invocation.
   */
  requeue(invocation: PendingInvocation): void {
    const poller = this.#polls.shift();
    if (poller !== undefined) poller.deliver(invocation);
    else this.#queue.unshift(invocation);
  }

  /**
   * Takes the next invocation, or registers `poller` to be handed one later.
   *
   * @param poller The connection asking.
   * @returns The invocation, or `undefined` if the poll is now held.
   */
  poll(poller: Poller): PendingInvocation | undefined {
    const invocation = this.#queue.shift();
    if (invocation !== undefined) return invocation;
    const open = this.#polls.push(poller);
    if (open > this.maxOpenPolls) this.maxOpenPolls = open;
    if (this.#pollWaiters.length > 0) this.#wakePollWaiters(open);
    return undefined;
  }

  /**
   * Forgets a held poll whose client went away.
   *
   * @param poller The connection.
   */
  cancelPoll(poller: Poller): void {
    const i = this.#polls.indexOf(poller);
    if (i >= 0) this.#polls.splice(i, 1);
  }

  /**
   * @param count How many polls to wait for.
   * @returns Resolves when at least `count` `/next` polls are held open.
   */
  waitForPolls(count: number): Promise<void> {
    if (this.#polls.length >= count) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error("Cannot wait for polls: the server closed"));
    const resolvers = Promise.withResolvers<void>();
    this.#pollWaiters.push({ count, resolvers });
    return resolvers.promise;
  }

  /**
   * Makes the next `times` requests to `route` fail with `status`.
   *
   * @param status The status to answer.
   * @param route The endpoint, or `"any"`.
   * @param times How many requests; `Infinity` for all.
   */
  failNext(status: number, route: RuntimeApiRoute | "any", times: number): void {
    this.#failures.push({ status, route, times });
  }

  /**
   * @param route The endpoint being served.
   * @returns The status to fail this request with, if a test asked for one.
   */
  takeFailure(route: RuntimeApiRoute): number | undefined {
    if (this.#failures.length === 0) return undefined;
    const i = this.#failures.findIndex((f) => f.route === route || f.route === "any");
    const failure = this.#failures[i];
    if (failure === undefined) return undefined;
    if (--failure.times <= 0) this.#failures.splice(i, 1);
    return failure.status;
  }

  /**
   * Records an `/init/error`.
   *
   * @param report The report.
   */
  recordInitError(report: InitErrorReport): void {
    this.initErrors.push(report);
    if (this.initErrors.length === 1) this.#initError?.resolve(report);
  }

  /** Resolves with the first `/init/error` report. */
  get initError(): Promise<InitErrorReport> {
    const first = this.initErrors[0];
    if (first !== undefined) return Promise.resolve(first);
    this.#initError ??= Promise.withResolvers();
    return this.#initError.promise;
  }

  /** Ends every held poll and every unfinished invocation. */
  close(): void {
    this.closed = true;
    for (const poller of this.#polls.splice(0)) poller.deliver(null);
    this.#queue.length = 0;
    for (const invocation of this.invocations.values()) invocation.abandon();
    this.invocations.clear();
    for (const { resolvers } of this.#pollWaiters.splice(0)) {
      resolvers.reject(new Error("Cannot wait for polls: the server closed"));
    }
  }

  #wakePollWaiters(open: number): void {
    this.#pollWaiters = this.#pollWaiters.filter((waiter) => {
      if (open < waiter.count) return true;
      waiter.resolvers.resolve();
      return false;
    });
  }
}
