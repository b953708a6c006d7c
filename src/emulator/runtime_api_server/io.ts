/**
 * The byte side of one Runtime API connection, shared by its endpoints: reading request bodies
 * within Lambda's size limits, discarding the ones that are refused, and writing prepared
 * answers, noting each in the request's record when the server keeps one.
 *
 * @module
 */

import { type MessageHead, MessageReader, writeAll } from "../../runtime_api/http1.ts";
import { concatBytes } from "./bodies.ts";
import type { RequestRecord } from "./state.ts";
import { errorResponse, MAX_BUFFERED_RESPONSE_BYTES, MAX_STREAMED_RESPONSE_BYTES } from "./wire.ts";

/** Events larger than this are written after their head rather than copied next to it. */
const MAX_COPIED_BODY = 64 * 1024;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads and writes for one accepted connection. */
export class RuntimeApiIo {
  /** The request reader; endpoints that stream read from it directly. */
  readonly reader: MessageReader;
  #conn: Deno.Conn;
  #scratch = new Uint8Array(8 * 1024);

  /** @param conn The accepted connection. */
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.reader = new MessageReader(conn);
  }

  /**
   * Reads a buffered body, discarding it if it is over the limit.
   *
   * @param head The request's head.
   * @param record Where to note the body, if the server records requests.
   * @returns The body; `undefined` when it was too large (and discarded); `false` when it was too
   *   large to be worth reading, after answering 413 and asking to close the connection.
   */
  async readBody(
    head: MessageHead,
    record: RequestRecord | undefined,
  ): Promise<Uint8Array | undefined | false> {
    let body: Uint8Array | undefined;
    let bytes = 0;
    if (head.chunked) {
      const parts: Uint8Array[] = [];
      const trailers = await this.reader.readChunked((chunk) => {
        bytes += chunk.length;
        if (bytes <= MAX_BUFFERED_RESPONSE_BYTES) parts.push(chunk);
      });
      if (record !== undefined) record.trailers = trailers;
      if (bytes <= MAX_BUFFERED_RESPONSE_BYTES) body = concatBytes(parts, bytes);
    } else {
      bytes = head.contentLength ?? 0;
      if (bytes > MAX_STREAMED_RESPONSE_BYTES) {
        // Not worth reading: answer and close, as Lambda's front end would.
        if (record !== undefined) record.bodyBytes = bytes;
        await this.respond(
          record,
          errorResponse(413, "RequestEntityTooLarge", "Payload too large", true),
        );
        return false;
      }
      if (bytes > MAX_BUFFERED_RESPONSE_BYTES) await this.reader.skipBytes(bytes);
      else body = bytes === 0 ? EMPTY : await this.reader.readBytes(bytes);
    }
    if (record !== undefined) {
      record.bodyBytes = bytes;
      if (body !== undefined) record.body = decoder.decode(body);
    }
    return body;
  }

  /**
   * Discards the request's body, then answers.
   *
   * @param head The request's head.
   * @param record Where to note the status, if the server records requests.
   * @param response The prepared answer.
   * @returns Whether to keep the connection open: not after a body too large to skip.
   */
  async reject(
    head: MessageHead,
    record: RequestRecord | undefined,
    response: Uint8Array,
  ): Promise<boolean> {
    if (head.chunked || head.contentLength) {
      if ((head.contentLength ?? 0) > MAX_STREAMED_RESPONSE_BYTES) {
        await this.respond(record, response);
        return false;
      }
      await this.reader.skipBody(head);
    }
    return await this.respond(record, response);
  }

  /**
   * Answers a request whose body has been read.
   *
   * @param record Where to note the status, if the server records requests.
   * @param response The prepared answer.
   * @returns `true`: the connection stays open.
   */
  async respond(record: RequestRecord | undefined, response: Uint8Array): Promise<boolean> {
    if (record !== undefined) record.status = _status(response);
    await this.send(response);
    return true;
  }

  /**
   * @param bytes What to write.
   * @returns Resolves once it is all written.
   */
  send(bytes: Uint8Array): Promise<void> {
    return writeAll(this.#conn, bytes);
  }

  /**
   * Writes a head and a body in one write when the body is small.
   *
   * @param head The response head, up to and including its blank line.
   * @param body The body.
   * @returns Resolves once both are written.
   */
  async sendWithBody(head: string, body: Uint8Array): Promise<void> {
    if (body.length > MAX_COPIED_BODY) {
      await writeAll(this.#conn, encoder.encode(head));
      await writeAll(this.#conn, body);
      return;
    }
    const need = head.length * 3 + body.length;
    if (this.#scratch.length < need) this.#scratch = new Uint8Array(need * 2);
    const { written } = encoder.encodeInto(head, this.#scratch);
    this.#scratch.set(body, written);
    await writeAll(this.#conn, this.#scratch.subarray(0, written + body.length));
  }
}

/** Reads the status code back out of a prepared response (`HTTP/1.1 NNN …`). */
function _status(response: Uint8Array): number {
  return (response[9]! - 48) * 100 + (response[10]! - 48) * 10 + (response[11]! - 48);
}
