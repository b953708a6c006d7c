/**
 * Response streaming: a handler that returns a {@linkcode StreamingResponse} (or a bare
 * `ReadableStream`, or an async iterable of chunks) has its answer posted to the Runtime API in
 * streaming mode, chunk by chunk as it is produced, never held whole in memory.
 *
 * @module
 */

const BRAND = Symbol.for("lambdeno.streamingResponse");

/** A chunk a streaming handler may produce: bytes, or text sent as UTF-8. */
export type StreamChunk = Uint8Array | string;

/** What a streaming handler may return as its body. */
export type StreamSource = ReadableStream<StreamChunk> | AsyncIterable<StreamChunk>;

/** Options for {@linkcode StreamingResponse}. */
export interface StreamingResponseInit {
  /** The `Content-Type` of the streamed body. Defaults to `application/octet-stream`. */
  readonly contentType?: string;
}

/**
 * A handler result that is streamed to the caller as it is produced.
 *
 * @example Stream three lines
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamingResponse } from "./streaming.ts";
 *
 * async function* lines() {
 *   for (let i = 1; i <= 3; i++) yield `line ${i}\n`;
 * }
 * const res = new StreamingResponse(lines(), { contentType: "text/plain" });
 * equal(await new Response(res.body).text(), "line 1\nline 2\nline 3\n");
 * ```
 */
export class StreamingResponse {
  /**
   * Marks a streaming response for {@linkcode asStreamingResponse} whichever copy of this module
   * made it: the shipped bootstrap is one bundled file, while handlers import from source.
   */
  readonly [BRAND] = true;
  /** The body, as bytes. */
  readonly body: ReadableStream<Uint8Array>;
  /** The `Content-Type` sent with the stream. */
  readonly contentType: string;

  /**
   * Makes a streaming result of a source of chunks; nothing is read until the runtime sends it.
   *
   * @param source The chunks to send, in order.
   * @param init The content type.
   */
  constructor(source: StreamSource, init: StreamingResponseInit = {}) {
    this.body = toByteStream(source);
    this.contentType = init.contentType ?? "application/octet-stream";
  }
}

/**
 * Turns a handler result into a {@linkcode StreamingResponse} when it is meant to be streamed:
 * a `StreamingResponse` itself or a `ReadableStream`. Anything else is a buffered result.
 *
 * @param result What the handler returned.
 * @returns The response to stream, or `undefined` for a buffered result.
 */
export function asStreamingResponse(result: unknown): StreamingResponse | undefined {
  if (_branded(result)) return result;
  if (result instanceof ReadableStream) return new StreamingResponse(result);
  return undefined;
}

const encoder = new TextEncoder();

/**
 * Converts chunks of text or bytes into a byte stream, lazily: nothing is read from the source
 * before the consumer asks for it.
 *
 * @param source The chunks.
 * @returns A stream of their bytes, text encoded as UTF-8.
 */
export function toByteStream(source: StreamSource): ReadableStream<Uint8Array> {
  const iterator = source instanceof ReadableStream
    ? source.values()
    : source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(_bytes(value));
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  }, { highWaterMark: 0 });
}

/** The bytes of a chunk; anything but text and bytes fails the stream with a clear error. */
function _bytes(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(
    `Cannot stream a chunk of type ${chunk === null ? "null" : typeof chunk}: ` +
      "a streamed body takes strings and bytes (Uint8Array, other views, ArrayBuffer)",
  );
}

function _branded(value: unknown): value is StreamingResponse {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true;
}
