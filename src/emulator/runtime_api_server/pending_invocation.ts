/**
 * One invocation inside the Runtime API server, from the moment it is queued until it is
 * answered, times out, or the server closes: its `/next` metadata, its deadline timer, and the
 * promises the caller holds.
 *
 * @module
 */

import {
  type BufferedResult,
  ChunkQueue,
  type ErrorResult,
  type InvocationResult,
  type StreamEnd,
} from "./invocation_result.ts";

/** Options for one invocation. */
export interface InvokeOptions {
  /** Milliseconds from delivery to the deadline. Defaults to the server's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** `Lambda-Runtime-Aws-Request-Id`. Defaults to `crypto.randomUUID()`. */
  readonly requestId?: string;
  /** `Lambda-Runtime-Trace-Id`. Defaults to a fresh sampled-out X-Ray header. */
  readonly traceId?: string;
  /** `Lambda-Runtime-Client-Context` (JSON text); not sent when absent. */
  readonly clientContext?: string;
  /** `Lambda-Runtime-Cognito-Identity` (JSON text); not sent when absent. */
  readonly cognitoIdentity?: string;
  /** `Lambda-Runtime-Aws-Tenant-Id`; not sent when absent. */
  readonly tenantId?: string;
  /** `Lambda-Runtime-Invocation-Id`. Defaults to `crypto.randomUUID()`. */
  readonly invocationId?: string;
  /** The event as raw text, sent instead of `JSON.stringify(event)`. */
  readonly rawBody?: string;
}

/** What {@linkcode RuntimeApiServer.invoke} returns: the ids, and promises of progress. */
export interface InvocationHandle {
  /** `Lambda-Runtime-Aws-Request-Id`. */
  readonly requestId: string;
  /** `Lambda-Runtime-Invocation-Id`. */
  readonly invocationId: string;
  /** `Lambda-Runtime-Trace-Id`. */
  readonly traceId: string;
  /** Resolves once a `/next` poll has taken the invocation; rejects if the server closes first. */
  readonly delivered: Promise<void>;
  /** Resolves with how the invocation ended; never rejects. */
  readonly result: Promise<InvocationResult>;
}

/** Where an invocation is in its life. */
export type InvocationState = "queued" | "delivered" | "streaming" | "done" | "timedOut";

const encoder = new TextEncoder();

/** The server's record of one invocation; callers see it as an {@linkcode InvocationHandle}. */
export class PendingInvocation implements InvocationHandle {
  readonly requestId: string;
  readonly invocationId: string;
  readonly traceId: string;
  readonly clientContext: string | undefined;
  readonly cognitoIdentity: string | undefined;
  readonly tenantId: string | undefined;
  readonly timeoutMs: number;
  /** The event, encoded once at invoke time. */
  readonly body: Uint8Array;
  state: InvocationState = "queued";
  /** Epoch milliseconds; set at delivery. */
  deadlineMs = 0;
  #delivered = Promise.withResolvers<void>();
  #result = Promise.withResolvers<InvocationResult>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chunks: ChunkQueue | undefined;
  #streamDone: PromiseWithResolvers<StreamEnd> | undefined;

  /**
   * @param event The event, sent as JSON unless `options.rawBody` is given.
   * @param options The invocation's metadata.
   * @param defaultTimeoutMs The timeout when `options.timeoutMs` is absent.
   * @throws {RangeError} If the timeout is not a positive number.
   */
  constructor(event: unknown, options: InvokeOptions, defaultTimeoutMs: number) {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    if (!(timeoutMs > 0)) {
      throw new RangeError(`Cannot invoke: timeoutMs must be positive, got ${timeoutMs}`);
    }
    this.timeoutMs = timeoutMs;
    this.requestId = options.requestId ?? crypto.randomUUID();
    this.invocationId = options.invocationId ?? crypto.randomUUID();
    this.traceId = options.traceId ?? _traceId();
    this.clientContext = options.clientContext;
    this.cognitoIdentity = options.cognitoIdentity;
    this.tenantId = options.tenantId;
    this.body = encoder.encode(options.rawBody ?? JSON.stringify(event) ?? "null");
  }

  /** Resolves once a `/next` poll has taken the invocation. */
  get delivered(): Promise<void> {
    return this.#delivered.promise;
  }

  /** Resolves with how the invocation ended. */
  get result(): Promise<InvocationResult> {
    return this.#result.promise;
  }

  /**
   * Marks the invocation delivered (its `/next` response was written) and starts the deadline.
   *
   * @param deadlineMs The deadline that was sent, in epoch milliseconds.
   */
  start(deadlineMs: number): void {
    if (this.state !== "queued") return;
    this.state = "delivered";
    this.deadlineMs = deadlineMs;
    if (Number.isFinite(this.timeoutMs)) this.#timer = setTimeout(_expire, this.timeoutMs, this);
    this.#delivered.resolve();
  }

  /** Undoes {@linkcode start} when the `/next` response could not be written. */
  retract(): void {
    if (this.state === "delivered") this.#finish("queued");
  }

  /**
   * Settles the invocation with a buffered response or an error.
   *
   * @param result The answer.
   * @returns `false` if the invocation was not waiting for an answer.
   */
  answer(result: BufferedResult | ErrorResult): boolean {
    if (this.state !== "delivered") return false;
    this.#finish("done");
    this.#result.resolve(result);
    return true;
  }

  /**
   * Settles the invocation with a stream whose chunks are still to come.
   *
   * @param contentType The stream's `Content-Type`.
   * @returns The queue to push chunks into, or `undefined` if no answer was expected.
   */
  startStream(contentType: string | undefined): ChunkQueue | undefined {
    if (this.state !== "delivered") return undefined;
    this.state = "streaming";
    const chunks = new ChunkQueue();
    const done = Promise.withResolvers<StreamEnd>();
    this.#chunks = chunks;
    this.#streamDone = done;
    this.#result.resolve({ kind: "stream", contentType, chunks, done: done.promise });
    return chunks;
  }

  /**
   * Ends the stream started by {@linkcode startStream}.
   *
   * @param end How it ended.
   * @returns `false` if the stream had already been cut (by the deadline).
   */
  endStream(end: StreamEnd): boolean {
    if (this.state !== "streaming") return false;
    this.#finish("done");
    this.#chunks?.end();
    this.#streamDone?.resolve(end);
    return true;
  }

  /** Ends the invocation at its deadline: an unanswered one times out, a stream is cut. */
  expire(): void {
    if (this.state === "delivered") {
      this.#finish("timedOut");
      this.#result.resolve({ kind: "timeout" });
    } else if (this.state === "streaming") {
      const bytes = this.#chunks?.bytes ?? 0;
      this.endStream({
        bytes,
        complete: false,
        errorType: "Sandbox.Timedout",
        errorBody: undefined,
      });
      this.state = "timedOut";
    }
  }

  /** Ends the invocation because the server is closing. */
  abandon(): void {
    if (this.state === "queued") {
      this.#delivered.promise.catch(_ignore);
      this.#delivered.reject(new Error("Cannot deliver invocation: the server closed"));
    }
    if (this.state === "queued" || this.state === "delivered") {
      this.#finish("done");
      this.#result.resolve({ kind: "closed" });
    } else if (this.state === "streaming") {
      const bytes = this.#chunks?.bytes ?? 0;
      this.endStream({ bytes, complete: false, errorType: undefined, errorBody: undefined });
    }
  }

  #finish(state: InvocationState): void {
    this.state = state;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

function _expire(invocation: PendingInvocation): void {
  invocation.expire();
}

function _ignore(): void {}

/** A fresh X-Ray trace header with the sampling decision "not sampled". */
function _traceId(): string {
  const hex = crypto.randomUUID().replaceAll("-", "");
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, "0");
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(16)};Sampled=0`;
}
