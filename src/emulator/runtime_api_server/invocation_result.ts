/**
 * What the Runtime API server hands back for one invocation: the runtime's buffered answer, its
 * streamed answer, a function error, a timeout, or nothing because the server closed first.
 *
 * @module
 */

import type { ErrorBody } from "../../runtime_api/contract.ts";

/** The JSON body Lambda uses for errors: the contract's {@linkcode ErrorBody}. */
export type LambdaErrorBody = ErrorBody;

const decoder = new TextDecoder();

/** A buffered `/response`: the whole body, sent with a `Content-Length`. */
export class BufferedResult {
  /** The discriminant. */
  readonly kind = "response" as const;
  /** The `Content-Type` the runtime sent, or `undefined`. */
  readonly contentType: string | undefined;
  /** The body as sent. */
  readonly body: Uint8Array;

  /**
   * Records a buffered answer.
   *
   * @param contentType The `Content-Type` the runtime sent.
   * @param body The body.
   */
  constructor(contentType: string | undefined, body: Uint8Array) {
    this.contentType = contentType;
    this.body = body;
  }

  /**
   * Reads the body as text.
   *
   * @returns The body decoded as UTF-8.
   */
  text(): string {
    return decoder.decode(this.body);
  }

  /**
   * Reads the body as JSON.
   *
   * @returns The body parsed as JSON.
   * @throws {SyntaxError} If the body is not JSON.
   */
  json(): unknown {
    return JSON.parse(this.text());
  }
}

/** How a streamed `/response` ended. */
export interface StreamEnd {
  /** Body bytes received (after de-chunking). */
  readonly bytes: number;
  /**
   * `true` when the chunked body ended normally (with or without error trailers); `false` when
   * the connection dropped, the deadline passed (`errorType` `Sandbox.Timedout`), or the body
   * grew past 200 MiB (`errorType` `Function.ResponseSizeTooLarge`).
   */
  readonly complete: boolean;
  /** The `Lambda-Runtime-Function-Error-Type` trailer, or why the stream was cut. */
  readonly errorType: string | undefined;
  /**
   * The `Lambda-Runtime-Function-Error-Body` trailer, base64-decoded and parsed as JSON (the raw
   * decoded text if it is not JSON, the trailer itself if it is not base64).
   */
  readonly errorBody: unknown;
}

/** A streamed `/response`: the chunks as they arrive, and how the stream ended. */
export interface StreamResult {
  /** The discriminant. */
  readonly kind: "stream";
  /** The `Content-Type` the runtime sent, or `undefined`. */
  readonly contentType: string | undefined;
  /** The body's chunks as they arrive; iterate it once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Settles when the body has ended or was cut; never rejects. */
  readonly done: Promise<StreamEnd>;
}

/** A function error: `/error`, or a buffered response over the size limit. */
export interface ErrorResult {
  /** The discriminant. */
  readonly kind: "error";
  /** `Lambda-Runtime-Function-Error-Type` (`Runtime.Unknown` unless `Runtime.*`/`Function.*`). */
  readonly errorType: string;
  /** The error body; a body that was not the expected JSON becomes its `errorMessage`. */
  readonly error: LambdaErrorBody;
  /** `Lambda-Runtime-Function-XRay-Error-Cause`, as sent. */
  readonly xrayCause: string | undefined;
}

/** No answer came before the deadline. */
export interface TimeoutResult {
  /** The discriminant. */
  readonly kind: "timeout";
}

/** The server closed before the runtime answered. */
export interface ClosedResult {
  /** The discriminant. */
  readonly kind: "closed";
}

/** How one invocation ended, as the caller of the function would see it. */
export type InvocationResult =
  | BufferedResult
  | StreamResult
  | ErrorResult
  | TimeoutResult
  | ClosedResult;

/** An `/init/error` report. */
export interface InitErrorReport {
  /** `Lambda-Runtime-Function-Error-Type`, as sent. */
  readonly errorType: string;
  /** The error body; a body that was not the expected JSON becomes its `errorMessage`. */
  readonly error: LambdaErrorBody;
  /** `Lambda-Runtime-Function-XRay-Error-Cause`, as sent. */
  readonly xrayCause: string | undefined;
}

/** Bytes a stream buffers before the runtime's writes wait for the reader to catch up. */
export const STREAM_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * A single-consumer queue of chunks that a connection pushes and a reader iterates, so that the
 * first chunk is observable before the runtime has sent the last. Past
 * {@linkcode STREAM_HIGH_WATER_BYTES} buffered, {@linkcode push} returns a promise that the
 * connection awaits before reading more: a reader that does not read holds the runtime back.
 */
export class ChunkQueue implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  /** Bytes pushed so far. */
  bytes = 0;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #waiter: PromiseWithResolvers<IteratorResult<Uint8Array>> | undefined;
  #drained: PromiseWithResolvers<void> | undefined;

  /**
   * Adds a chunk, handing it straight to a waiting reader if there is one.
   *
   * @param chunk The bytes.
   * @returns A promise to await before pushing more when the buffer is full, else `undefined`.
   */
  push(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#ended) return undefined;
    this.bytes += chunk.length;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: chunk });
      return undefined;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < STREAM_HIGH_WATER_BYTES) return undefined;
    this.#drained ??= Promise.withResolvers();
    return this.#drained.promise;
  }

  /** Ends the queue; the reader sees the chunks already pushed, then the end. */
  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
    // Nothing more is taken: a writer held back goes on, and what it sends is dropped.
    this.#release();
  }

  /** @returns The next chunk, or the end. */
  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#buffered -= chunk.length;
      if (this.#buffered < STREAM_HIGH_WATER_BYTES) this.#release();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    this.#waiter ??= Promise.withResolvers();
    return this.#waiter.promise;
  }

  /** @returns The end; drops the chunks buffered and any pushed later. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.#chunks = [];
    this.#buffered = 0;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** @returns This queue, which is its own iterator. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  #release(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.resolve();
  }
}
