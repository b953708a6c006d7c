/**
 * One request and its answer over the client's keep-alive connections: when a request may be
 * sent again, how an answer is read, and the poll pipelined behind it.
 *
 * @module
 */

import type { Invocation } from "../runtime/context.ts";
import { RuntimeApiError } from "../runtime/errors.ts";
import {
  type MessageHead,
  type MessageReader,
  ProtocolError,
  statusCode,
  writeAll,
} from "./http1.ts";
import { parseInvocation } from "./requests.ts";
import type { ConnectionPool, PooledConnection } from "./pool.ts";

/** Sends requests and reads their answers. */
export class Exchanger {
  readonly #pool: ConnectionPool;
  readonly #nextHead: Uint8Array;

  /**
   * @param pool The connections.
   * @param nextHead The whole `GET /next` request, the one request always safe to send again.
   */
  constructor(pool: ConnectionPool, nextHead: Uint8Array) {
    this.#pool = pool;
    this.#nextHead = nextHead;
  }

  /**
   * Sends one request and reads its answer. A request goes again on a new connection only when
   * it cannot have been received: a poll (`idempotent`: a poll the API never answered hands out
   * nothing), or any request whose reused connection failed before a byte of it was written.
   * An answer that was written may have been read and acted on before the connection broke, so
   * sending it again could answer an invocation twice; that is a Runtime API failure. (The pool
   * drops idle connections it has seen the peer close, so a request is rarely written to one.)
   *
   * @param what The request, for error messages (`GET /next`).
   * @param head The request's head (with a small body and a pipelined poll, the whole request).
   * @param body The rest of the request.
   * @param read Reads the answer's body into a result.
   * @param polled Whether a `/next` is written behind the request.
   * @returns The result (an {@linkcode Answered}, with the poll sent behind it, when polled).
   * @throws {RuntimeApiError} If the request cannot be delivered, or its answer says 500.
   */
  async exchange<R>(
    what: string,
    head: Uint8Array,
    body: Uint8Array | undefined,
    read: (head: MessageHead, reader: MessageReader) => Promise<R>,
    polled: boolean,
  ): Promise<R> {
    const idempotent = head === this.#nextHead;
    for (;;) {
      const connection = await this.#pool.acquire();
      let answer: MessageHead | null;
      let started = false;
      try {
        const n = await connection.conn.write(head);
        started = true;
        if (n < head.length) await writeAll(connection.conn, head.subarray(n));
        if (body !== undefined) await writeAll(connection.conn, body);
        answer = await connection.reader.readHead();
      } catch (error) {
        connection.conn.close();
        // A malformed answer means the request was handled; other failures are retried only
        // when the request cannot have been received: nothing of it was written.
        const unsent = idempotent || !started;
        if (connection.reused && unsent && !(error instanceof ProtocolError)) continue;
        throw new RuntimeApiError(`Cannot ${what}: the connection to the Runtime API failed`, {
          cause: error,
        });
      }
      if (answer === null) {
        connection.conn.close();
        if (connection.reused && idempotent) continue;
        throw new RuntimeApiError(
          `Cannot ${what}: the Runtime API closed the connection without answering`,
        );
      }
      return await this.finish(what, connection, read, answer, polled);
    }
  }

  /**
   * Reads the answer to a request already written (or its head, already read), then keeps the
   * connection or, when a poll was sent behind the request, reads that poll's answer from it.
   *
   * @param what The request, for error messages (`POST /response`).
   * @param connection The connection it was written on.
   * @param read Reads the answer's body into a result.
   * @param answer The answer's head, if already read.
   * @param polled Whether a `/next` was written behind the request.
   * @returns The result (an {@linkcode Answered}, with the poll sent behind it, when polled).
   * @throws {RuntimeApiError} If the answer is missing or malformed, or says 500.
   */
  async finish<R>(
    what: string,
    connection: PooledConnection,
    read: (head: MessageHead, reader: MessageReader) => Promise<R>,
    answer?: MessageHead,
    polled = false,
  ): Promise<R> {
    let head = answer;
    try {
      head ??= (await connection.reader.readHead()) ?? undefined;
      if (head === undefined) {
        throw new RuntimeApiError(`Cannot ${what}: the Runtime API closed the connection`);
      }
      const result = await read(head, connection.reader);
      if (polled && !head.close) {
        // The poll sent behind this request is answered on the same connection.
        const next = this.#pipelinedPoll(connection);
        next.catch(_ignore); // its rejection belongs to whoever awaits the poll
        // Only answers are polled behind, and they are read by readAnswer.
        (result as Answered).next = next;
        return result;
      }
      this.#pool.release(connection, head);
      return result;
    } catch (error) {
      connection.conn.close();
      if (error instanceof RuntimeApiError) throw error;
      throw new RuntimeApiError(`Cannot ${what}: the Runtime API's answer was malformed`, {
        cause: error,
      });
    }
  }

  /**
   * Reads the answer to a poll sent behind another request. If the peer closed the connection
   * before a byte of it came (HTTP/1.0, say), the poll was never taken, so it is sent again.
   */
  async #pipelinedPoll(connection: PooledConnection): Promise<Invocation> {
    let head: MessageHead | null;
    try {
      head = await connection.reader.readHead();
    } catch (error) {
      if (error instanceof ProtocolError) {
        connection.conn.close();
        throw new RuntimeApiError("Cannot GET /next: the Runtime API's answer was malformed", {
          cause: error,
        });
      }
      head = null;
    }
    if (head === null) {
      connection.conn.close();
      return await this.exchange("GET /next", this.#nextHead, undefined, readInvocation, false);
    }
    return await this.finish("GET /next", connection, readInvocation, head);
  }
}

/** An answer's status, and the invocation of a poll sent behind it. */
export interface Answered {
  readonly status: number;
  next?: Promise<Invocation>;
}

/**
 * Reads the answer to `/response` or `/error`; {@linkcode Exchanger.finish} adds the poll sent
 * behind it.
 *
 * @param what The request, for error messages.
 * @param head The answer's head.
 * @param reader Where its body is.
 * @returns Its status.
 * @throws {RuntimeApiError} On a 500.
 */
export async function readAnswer(
  what: string,
  head: MessageHead,
  reader: MessageReader,
): Promise<Answered> {
  return { status: await readStatus(what, head, reader) };
}

export async function readInvocation(
  head: MessageHead,
  reader: MessageReader,
): Promise<Invocation> {
  const body = await reader.readBodyText(head);
  const status = statusCode(head);
  if (status !== 200) {
    throw new RuntimeApiError(`Runtime API answered ${status} to GET /next: ${body}`);
  }
  try {
    return parseInvocation(head.headers, body);
  } catch (error) {
    throw new RuntimeApiError("Runtime API sent a malformed invocation", { cause: error });
  }
}

export async function readStatus(
  what: string,
  head: MessageHead,
  reader: MessageReader,
): Promise<number> {
  const status = statusCode(head);
  const body = await reader.readBodyText(head);
  if (status >= 500) {
    throw new RuntimeApiError(`Runtime API answered ${status} to ${what}: ${body}`);
  }
  return status;
}

function _ignore(): void {}
