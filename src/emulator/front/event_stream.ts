/**
 * The AWS event stream encoding (`application/vnd.amazon.eventstream`) of Lambda's
 * `InvokeWithResponseStream` answer: `PayloadChunk` events carrying the body as the function
 * produces it, then one `InvokeComplete` event that says whether it failed. The AWS SDKs decode
 * exactly this, so `InvokeWithResponseStreamCommand` works against the emulator.
 *
 * Each message: total length and headers length (big-endian u32), a CRC32 of those 8 bytes,
 * the headers (name length u8, name, type 7 = string, value length u16, value), the payload,
 * and a CRC32 of everything before it.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const STRING = 7;
const TABLE = _table();

/** One decoded event stream message. */
export interface EventStreamMessage {
  /** The message's string headers, such as `:event-type`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The message's payload bytes. */
  readonly payload: Uint8Array;
}

/** What `InvokeComplete` reports: nothing on success, the error otherwise. */
export interface InvokeComplete {
  /** The error type, when the invocation failed. */
  readonly ErrorCode?: string;
  /** The error's details (its JSON), when the invocation failed. */
  readonly ErrorDetails?: string;
  /** The tail of the log, base64, as AWS sends it when asked; the emulator leaves it out. */
  readonly LogResult?: string;
}

/**
 * Encodes a `PayloadChunk` event.
 *
 * @param chunk Body bytes.
 * @returns The message.
 */
export function payloadChunk(chunk: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeMessage({
    ":event-type": "PayloadChunk",
    ":content-type": "application/octet-stream",
    ":message-type": "event",
  }, chunk);
}

/**
 * Encodes the `InvokeComplete` event that ends the stream.
 *
 * @param complete The error code and details, if the function failed.
 * @returns The message.
 */
export function invokeComplete(complete: InvokeComplete): Uint8Array<ArrayBuffer> {
  return encodeMessage({
    ":event-type": "InvokeComplete",
    ":content-type": "application/json",
    ":message-type": "event",
  }, encoder.encode(JSON.stringify(complete)));
}

/**
 * Encodes one message with string headers.
 *
 * @param headers Header names and string values.
 * @param payload The payload.
 * @returns The message's bytes.
 */
export function encodeMessage(
  headers: Readonly<Record<string, string>>,
  payload: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let headersLength = 0;
  for (const [name, value] of Object.entries(headers)) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    const header = new Uint8Array(1 + n.length + 3 + v.length);
    const view = new DataView(header.buffer);
    header[0] = n.length;
    header.set(n, 1);
    header[1 + n.length] = STRING;
    view.setUint16(2 + n.length, v.length);
    header.set(v, 4 + n.length);
    parts.push(header);
    headersLength += header.length;
  }
  const total = 12 + headersLength + payload.length + 4;
  const message = new Uint8Array(total);
  const view = new DataView(message.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headersLength);
  view.setUint32(8, crc32(message.subarray(0, 8)));
  let offset = 12;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  message.set(payload, offset);
  view.setUint32(total - 4, crc32(message.subarray(0, total - 4)));
  return message;
}

/**
 * Decodes every whole message in `bytes` (string headers only).
 *
 * @example Round trip
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { decodeMessages, invokeComplete, payloadChunk } from "./event_stream.ts";
 *
 * const bytes = new Uint8Array([...payloadChunk(new Uint8Array([104, 105])), ...invokeComplete({})]);
 * const [chunk, complete] = decodeMessages(bytes);
 * equal(chunk?.headers[":event-type"], "PayloadChunk");
 * deepEqual([...chunk?.payload ?? []], [104, 105]);
 * equal(complete?.headers[":event-type"], "InvokeComplete");
 * ```
 *
 * @param bytes Concatenated messages.
 * @returns The messages.
 * @throws {SyntaxError} If a checksum does not match or a message is cut short.
 */
export function decodeMessages(bytes: Uint8Array): EventStreamMessage[] {
  const messages: EventStreamMessage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 16) throw new SyntaxError("Cannot decode: a message is cut short");
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    const total = view.getUint32(0);
    const headersLength = view.getUint32(4);
    const message = bytes.subarray(offset, offset + total);
    if (message.length < total) throw new SyntaxError("Cannot decode: a message is cut short");
    if (crc32(message.subarray(0, total - 4)) !== view.getUint32(total - 4)) {
      throw new SyntaxError("Cannot decode: the message checksum does not match");
    }
    const headers: Record<string, string> = {};
    let at = 12;
    while (at < 12 + headersLength) {
      const nameLength = message[at]!;
      const name = decoder.decode(message.subarray(at + 1, at + 1 + nameLength));
      at += 1 + nameLength + 1;
      const valueLength = (message[at]! << 8) | message[at + 1]!;
      headers[name] = decoder.decode(message.subarray(at + 2, at + 2 + valueLength));
      at += 2 + valueLength;
    }
    messages.push({ headers, payload: message.slice(12 + headersLength, total - 4) });
    offset += total;
  }
  return messages;
}

/**
 * CRC-32 (IEEE), as the event stream encoding uses.
 *
 * @param bytes The data.
 * @returns The checksum, unsigned.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function _table(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
