/**
 * The response stream of a handler written for Lambda's Node.js runtime with
 * `awslambda.streamifyResponse`: a Node `Writable` (so `write`, `end`, `pipeline` and `destroy`
 * work as they do there) whose bytes become the body of a {@linkcode StreamingResponse}.
 *
 * `node:stream` costs tens of milliseconds to load, so it is imported only when the loaded
 * handler is a streaming one.
 *
 * The answer starts at the first write (or at `end()`), which is when the content type is fixed:
 * a handler that fails before writing anything gets an ordinary error answer, and one that fails
 * after has its stream ended with the error trailers. As in Node, the invocation lasts until the
 * stream ends, even when the handler's promise resolves first.
 *
 * @module
 */

import type { Writable } from "node:stream";
import type { Context, Handler } from "../runtime/context.ts";
import { StreamingResponse } from "../runtime/streaming.ts";

/** The chunk writer `_onBeforeFirstWrite` receives (Node's contract). */
export type FirstWrite = (chunk: Uint8Array | string) => void;

/** What a Node.js streaming handler receives as its response stream. */
export interface ResponseStream extends Writable {
  /**
   * Sets the `Content-Type` of the stream.
   *
   * @throws {Error} Once the stream has been written to.
   */
  setContentType(contentType: string): void;
  /** Called with a writer just before the first chunk; `HttpResponseStream.from` sets it. */
  _onBeforeFirstWrite: ((write: FirstWrite) => void) | undefined;
}

/** A handler in the Node.js streaming style. */
export type StreamingHandler = (
  event: unknown,
  responseStream: ResponseStream,
  context: Context,
) => unknown;

/** Options for {@linkcode streamingHandler}. */
export interface StreamingHandlerOptions {
  /** The response stream's `highWaterMark`, in bytes (`streamifyResponse`'s option). */
  readonly highWaterMark: number | undefined;
  /** Receives warnings, such as a return value that streaming ignores. */
  readonly warn: (message: string) => void;
}

const encoder = new TextEncoder();

/**
 * Builds the runtime handler for a function marked by `awslambda.streamifyResponse`.
 *
 * @param fn The marked function, `(event, responseStream, context) => Promise<void>`.
 * @param options The stream's high water mark and where warnings go.
 * @returns A handler whose result is the streamed answer.
 *
 * @example Write, then end
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { streamingHandler, type ResponseStream } from "./response_stream.ts";
 * import type { StreamingResponse } from "../runtime/streaming.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const handler = await streamingHandler(async (_event: unknown, stream: ResponseStream) => {
 *   stream.setContentType("text/plain");
 *   stream.write("hello ");
 *   stream.end("world");
 * }, { highWaterMark: undefined, warn: () => {} });
 * const res = await handler({}, {} as Context) as StreamingResponse;
 * equal(res.contentType, "text/plain");
 * equal(await new Response(res.body).text(), "hello world");
 * ```
 */
export async function streamingHandler(
  fn: (...args: never[]) => unknown,
  options: StreamingHandlerOptions,
): Promise<Handler> {
  const { Writable } = await import("node:stream");
  const handler = fn as unknown as StreamingHandler;
  const { highWaterMark, warn } = options;

  class LambdaResponseStream extends Writable implements ResponseStream {
    _onBeforeFirstWrite: ((write: FirstWrite) => void) | undefined = undefined;
    readonly body: ReadableStream<Uint8Array>;
    #state: "idle" | "started" | "closed" | "failed" = "idle";
    #contentType = "application/octet-stream";
    #controller!: ReadableStreamDefaultController<Uint8Array>;
    #waiting: ((error?: Error | null) => void) | undefined;
    /** A failure that waits for the chunks already written to be sent first. */
    #failure: { readonly error: unknown } | undefined;
    readonly #queueBytes: number;
    readonly #start: (response: StreamingResponse) => void;
    readonly #failEarly: (error: unknown) => void;

    constructor(start: (r: StreamingResponse) => void, failEarly: (error: unknown) => void) {
      super(highWaterMark === undefined ? {} : { highWaterMark });
      this.#start = start;
      this.#failEarly = failEarly;
      // Written chunks wait in the body's queue rather than in the Writable's buffer, which
      // destroy() discards: what a handler wrote before failing is still sent.
      this.#queueBytes = this.writableHighWaterMark;
      this.body = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.#controller = controller;
        },
        // A write beyond the queue's size completes when the runtime has taken some.
        pull: (controller) => {
          if (this.#failure !== undefined && controller.desiredSize === this.#queueBytes) {
            controller.error(this.#failure.error);
          }
          this.#release();
        },
        cancel: (reason) => {
          this.#state = "failed";
          const error = reason instanceof Error ? reason : new Error(String(reason));
          this.#release(error);
          this.destroy(error);
        },
      }, new ByteLengthQueuingStrategy({ highWaterMark: this.#queueBytes }));
    }

    setContentType(contentType: string): void {
      if (this.#state !== "idle") {
        throw new Error(
          "Cannot set the content type: the response stream has already been written to",
        );
      }
      this.#contentType = contentType;
    }

    /** Fails the answer: an error answer before the first chunk, error trailers after it. */
    fail(error: unknown): void {
      const state = this.#state;
      if (state === "closed" || state === "failed") return;
      this.#state = "failed";
      if (state === "idle") this.#failEarly(error);
      else if (this.#controller.desiredSize === this.#queueBytes) this.#controller.error(error);
      else this.#failure = { error };
      if (!this.destroyed) this.destroy();
    }

    override _write(
      chunk: unknown,
      _encoding: string,
      callback: (error?: Error | null) => void,
    ): void {
      if (this.#state === "failed") return callback(new Error("Cannot write: the stream failed"));
      this.#begin();
      const bytes = _bytes(chunk);
      if (bytes.length === 0) return callback();
      this.#controller.enqueue(bytes);
      const desired = this.#controller.desiredSize;
      if (desired !== null && desired > 0) callback();
      else this.#waiting = callback;
    }

    override _final(callback: (error?: Error | null) => void): void {
      if (this.#state === "failed") return callback();
      this.#begin();
      this.#state = "closed";
      this.#controller.close();
      callback();
    }

    override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
      if (error !== null) this.fail(error);
      else if (this.#state === "idle" || this.#state === "started") {
        this.fail(
          new Error("Cannot stream the response: the stream was destroyed before it ended"),
        );
      }
      this.#release(error);
      callback(error);
    }

    /** Writes the prelude, if any, and starts the answer with the content type set so far. */
    #begin(): void {
      if (this.#state !== "idle") return;
      this.#state = "started";
      const hook = this._onBeforeFirstWrite;
      if (hook !== undefined) {
        hook((chunk) => {
          const bytes = _bytes(chunk);
          if (bytes.length > 0) this.#controller.enqueue(bytes);
        });
      }
      this.#start(new StreamingResponse(this.body, { contentType: this.#contentType }));
    }

    #release(error?: Error | null): void {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(error);
    }
  }

  return (event, context) =>
    new Promise<StreamingResponse>((resolve, reject) => {
      const stream = new LambdaResponseStream(resolve, reject);
      let returned: unknown;
      try {
        returned = handler(event, stream, context);
      } catch (error) {
        return stream.fail(error);
      }
      if (!_isThenable(returned)) {
        return stream.fail(
          new TypeError(
            "Cannot stream the response: a streamifyResponse handler must be async " +
              "(return a promise)",
          ),
        );
      }
      returned.then((value) => {
        if (value !== undefined) warn("A streaming handler's return value is ignored");
      }, (error) => stream.fail(error ?? new Error("The streaming handler rejected")));
    });
}

function _bytes(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  // Node's response stream sends anything else as JSON.
  return encoder.encode(JSON.stringify(chunk));
}

function _isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
