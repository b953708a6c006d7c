/**
 * The body of a streamed answer in HTTP/1.1 chunked encoding, written as the handler produces
 * it, and ended either normally or, when the handler's stream fails, with Lambda's two error
 * trailers — never with an error text glued into the body.
 *
 * @module
 */

import { RuntimeApiError, toErrorBody } from "../runtime/errors.ts";
import { type ByteConn, writeAll } from "./http1.ts";
import type { ConnectionPool, PooledConnection } from "./pool.ts";
import { streamErrorTrailer } from "./requests.ts";

/** Chunks up to this size are framed in one copy and one write; larger ones are not copied. */
const SMALL_CHUNK = 8 * 1024;
const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();

/**
 * Writes a body chunk by chunk, then its end: `0` and a blank line, or the error trailers.
 *
 * @param conn Where to write; the request head has been sent.
 * @param reader The body.
 * @param first The body's first read, already taken.
 * @returns What the body threw, or `undefined` if it ended normally.
 * @throws {Error} If writing to the connection fails.
 */
export async function writeChunkedBody(
  conn: ByteConn,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: ReadableStreamReadResult<Uint8Array>,
): Promise<unknown> {
  let bodyError: unknown = undefined;
  for (let chunk = first; !chunk.done;) {
    if (chunk.value.length > 0) await _writeChunk(conn, chunk.value);
    try {
      chunk = await reader.read();
    } catch (error) {
      bodyError = error;
      break;
    }
  }
  const tail = bodyError === undefined ? "0\r\n\r\n" : streamErrorTrailer(toErrorBody(bodyError));
  await writeAll(conn, encoder.encode(tail));
  return bodyError;
}

async function _writeChunk(conn: ByteConn, chunk: Uint8Array): Promise<void> {
  const size = encoder.encode(`${chunk.length.toString(16)}\r\n`);
  if (chunk.length <= SMALL_CHUNK) {
    const frame = new Uint8Array(size.length + chunk.length + 2);
    frame.set(size);
    frame.set(chunk, size.length);
    frame.set(CRLF, frame.length - 2);
    await writeAll(conn, frame);
    return;
  }
  await writeAll(conn, size);
  await writeAll(conn, chunk);
  await writeAll(conn, CRLF);
}

/**
 * Sends the head of a streaming request on a new connection. An idle keep-alive connection
 * the peer has closed may only fail after part of the body is gone, when the answer can no
 * longer be sent again; a fresh connection costs one loopback connect per streamed answer.
 *
 * @param pool Where connections come from.
 * @param head The request's head.
 * @returns The connection, the head written.
 * @throws {RuntimeApiError} If no connection can be opened or the head written.
 */
export async function openStream(
  pool: ConnectionPool,
  head: Uint8Array,
): Promise<PooledConnection> {
  const connection = await pool.connectNew();
  try {
    await writeAll(connection.conn, head);
    return connection;
  } catch (error) {
    connection.conn.close();
    throw new RuntimeApiError("Cannot POST /response (streaming): the connection failed", {
      cause: error,
    });
  }
}
