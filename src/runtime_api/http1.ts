/**
 * A small HTTP/1.1 wire codec over a byte connection: reads message heads, fixed-length and
 * chunked bodies (with trailers), and writes whole buffers. The Runtime API client and the
 * Runtime API server share it; it is the runtime's hot path, so it parses in place and copies
 * only what it hands out.
 *
 * @module
 */

export {
  type ByteConn,
  type MessageHead,
  parseHead,
  ProtocolError,
  statusCode,
  writeAll,
} from "./http1_message.ts";

import { type ByteConn, type MessageHead, parseHead, ProtocolError } from "./http1_message.ts";

const CR = 13;
const LF = 10;
const MAX_HEAD_BYTES = 64 * 1024;
const decoder = new TextDecoder();

/**
 * Reads HTTP/1.1 messages from a connection through one growable buffer.
 *
 * @example Read a response with a fixed-length body
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { MessageReader } from "./http1.ts";
 *
 * const wire = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 * let done = false;
 * const reader = new MessageReader({
 *   read(p) {
 *     if (done) return Promise.resolve(null);
 *     p.set(wire);
 *     done = true;
 *     return Promise.resolve(wire.length);
 *   },
 *   write: (p) => Promise.resolve(p.length),
 * });
 * const head = await reader.readHead();
 * equal(head?.startLine, "HTTP/1.1 200 OK");
 * equal(await reader.readText(head!.contentLength!), "hi");
 * ```
 */
export class MessageReader {
  #conn: ByteConn;
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  #pending: Promise<boolean> | undefined;

  /**
   * @param conn Where the bytes come from.
   * @param bufferSize The initial buffer size; it grows for larger heads.
   */
  constructor(conn: ByteConn, bufferSize = 16 * 1024) {
    this.#conn = conn;
    this.#buf = new Uint8Array(bufferSize);
  }

  /** Whether bytes of a next message have already been received. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Reads the start line and headers of the next message.
   *
   * @returns The head, or `null` if the peer closed the connection before sending a byte.
   * @throws {ProtocolError} If the head is malformed, too large, or cut short.
   */
  async readHead(): Promise<MessageHead | null> {
    // How far past #start has been searched; #fill may move the bytes, so keep it relative.
    let scanned = 0;
    for (;;) {
      const end = _findHeadEnd(this.#buf, this.#start + scanned, this.#end);
      if (end >= 0) {
        const text = decoder.decode(this.#buf.subarray(this.#start, end));
        this.#start = end + 4;
        return parseHead(text);
      }
      scanned = Math.max(0, this.#end - this.#start - 3);
      if (this.#end - this.#start >= MAX_HEAD_BYTES) {
        throw new ProtocolError("Cannot read message: head is larger than 64 KiB");
      }
      if (!(await this.#fill())) {
        if (this.#end === this.#start) return null;
        throw new ProtocolError("Cannot read message: connection closed inside the head");
      }
    }
  }

  /**
   * Reads exactly `length` bytes of body into a new array.
   *
   * @param length The number of bytes.
   * @returns The bytes.
   * @throws {ProtocolError} If the connection closes first.
   */
  async readBytes(length: number): Promise<Uint8Array> {
    // A read started by waitForData() owns the buffer's tail until it lands.
    if (this.#pending !== undefined) await this.#pending;
    const out = new Uint8Array(length);
    let have = Math.min(length, this.#end - this.#start);
    out.set(this.#buf.subarray(this.#start, this.#start + have));
    this.#start += have;
    while (have < length) {
      const n = await this.#conn.read(out.subarray(have));
      if (n === null) throw _cutShort(length, have);
      have += n;
    }
    return out;
  }

  /**
   * Reads exactly `length` bytes of body and decodes them as UTF-8, without an extra copy when
   * the body is already buffered.
   *
   * @param length The number of bytes.
   * @returns The text.
   * @throws {ProtocolError} If the connection closes first.
   */
  async readText(length: number): Promise<string> {
    if (this.#end - this.#start >= length) {
      const text = decoder.decode(this.#buf.subarray(this.#start, this.#start + length));
      this.#start += length;
      return text;
    }
    return decoder.decode(await this.readBytes(length));
  }

  /**
   * Reads a chunked body, handing each chunk to `onChunk` as it arrives.
   *
   * @param onChunk Receives each chunk's bytes (a fresh copy it may keep); if it returns a
   *   promise, no more is read until it settles (backpressure).
   * @returns The trailers, by lower-case name.
   * @throws {ProtocolError} If the framing is malformed or the connection closes first.
   */
  async readChunked(
    onChunk: (chunk: Uint8Array) => unknown,
  ): Promise<Map<string, string>> {
    for (;;) {
      const sizeLine = await this.#readLine();
      const size = parseInt(sizeLine, 16);
      if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+/.test(sizeLine)) {
        throw new ProtocolError(`Cannot read chunked body: bad chunk size line "${sizeLine}"`);
      }
      if (size === 0) break;
      const held = onChunk(await this.readBytes(size));
      if (held instanceof Promise) await held;
      if ((await this.#readLine()) !== "") {
        throw new ProtocolError("Cannot read chunked body: chunk not followed by CRLF");
      }
    }
    const trailers = new Map<string, string>();
    for (;;) {
      const line = await this.#readLine();
      if (line === "") return trailers;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new ProtocolError(`Cannot read chunked body: bad trailer "${line}"`);
      trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }

  /**
   * Reads and discards exactly `length` bytes through the buffer, without allocating them.
   *
   * @param length The number of bytes.
   * @throws {ProtocolError} If the connection closes first.
   */
  async skipBytes(length: number): Promise<void> {
    let left = length;
    for (;;) {
      const have = Math.min(left, this.#end - this.#start);
      this.#start += have;
      left -= have;
      if (left === 0) return;
      if (!(await this.#fill())) throw _cutShort(length, length - left);
    }
  }

  /**
   * Waits until more bytes arrive or the peer closes, keeping any bytes for the next read. A
   * server holding a long-poll open uses it to notice a client that went away.
   *
   * @returns `true` when bytes are buffered, `false` when the peer closed the connection.
   * @throws {Error} What the connection's `read` throws, e.g. when it is closed locally.
   */
  waitForData(): Promise<boolean> {
    if (this.#end > this.#start) return Promise.resolve(true);
    return this.#fill();
  }

  /**
   * Reads a whole body described by `head` as UTF-8 text: chunked (which wins when both are
   * given, RFC 9112 §6.3), fixed-length, or none.
   *
   * @param head The message head.
   * @returns The text.
   * @throws {ProtocolError} If the framing is malformed or the connection closes first.
   */
  async readBodyText(head: MessageHead): Promise<string> {
    if (!head.chunked) {
      return head.contentLength === undefined ? "" : await this.readText(head.contentLength);
    }
    let text = "";
    const decoder = new TextDecoder();
    await this.readChunked((chunk) => text += decoder.decode(chunk, { stream: true }));
    return text + decoder.decode();
  }

  /**
   * Reads and discards a body described by `head`.
   *
   * @param head The message head.
   * @throws {ProtocolError} If the connection closes first.
   */
  async skipBody(head: MessageHead): Promise<void> {
    if (head.chunked) await this.readChunked(_ignore);
    else if (head.contentLength) await this.skipBytes(head.contentLength);
  }

  async #readLine(): Promise<string> {
    for (;;) {
      const i = this.#buf.subarray(this.#start, this.#end).indexOf(LF);
      if (i >= 0) {
        let stop = this.#start + i;
        if (stop > this.#start && this.#buf[stop - 1] === CR) stop--;
        const line = decoder.decode(this.#buf.subarray(this.#start, stop));
        this.#start += i + 1;
        return line;
      }
      if (this.#end - this.#start >= MAX_HEAD_BYTES) {
        throw new ProtocolError("Cannot read chunked body: line longer than 64 KiB");
      }
      if (!(await this.#fill())) {
        throw new ProtocolError("Cannot read chunked body: connection closed mid-body");
      }
    }
  }

  /** Reads more bytes into the buffer; false at end of stream. Joins a read in flight. */
  #fill(): Promise<boolean> {
    if (this.#pending !== undefined) return this.#pending;
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
    } else if (this.#end === this.#buf.length) {
      if (this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        const bigger = new Uint8Array(this.#buf.length * 2);
        bigger.set(this.#buf);
        this.#buf = bigger;
      }
      this.#end -= this.#start;
      this.#start = 0;
    }
    return this.#pending = this.#readMore();
  }

  async #readMore(): Promise<boolean> {
    try {
      const n = await this.#conn.read(this.#buf.subarray(this.#end));
      if (n === null) return false;
      this.#end += n;
      return true;
    } finally {
      this.#pending = undefined;
    }
  }
}

function _findHeadEnd(buf: Uint8Array, from: number, to: number): number {
  for (let i = buf.indexOf(CR, from); i >= 0 && i + 3 < to; i = buf.indexOf(CR, i + 1)) {
    if (buf[i + 1] === LF && buf[i + 2] === CR && buf[i + 3] === LF) return i;
  }
  return -1;
}

function _ignore(): void {}

function _cutShort(length: number, have: number): ProtocolError {
  return new ProtocolError(
    `Cannot read body: connection closed after ${have} of ${length} bytes`,
  );
}
