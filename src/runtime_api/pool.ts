/**
 * The Runtime API client's connections: keep-alive TCP connections kept for reuse, and new ones
 * opened with a short, bounded retry while the API is not yet listening.
 *
 * @module
 */

import { RuntimeApiError } from "../runtime/errors.ts";
import { parseAddress } from "./contract.ts";
import { type ByteConn, type MessageHead, MessageReader } from "./http1.ts";

/** A connection the client can use: bytes in and out, and a way to close it. */
export interface ClientConn extends ByteConn {
  close(): void;
  /** Lets the event loop end while a read is open (an idle connection, as Node's agent does). */
  unref?(): void;
  /** Makes an open read keep the event loop going again. */
  ref?(): void;
}

/** A connection with its reader. */
export interface PooledConnection {
  readonly conn: ClientConn;
  readonly reader: MessageReader;
  /** Whether it has carried a request before, so it may have been closed by the peer. */
  reused: boolean;
  /** Whether it sits in the pool, where a read is kept open to notice the peer closing it. */
  idle?: boolean;
  /** Whether the peer closed it (or sent stray bytes) while it sat idle. */
  stale?: boolean;
  /** Marks it stale if it is idle; made once per connection, not per release. */
  onIdleRead?: () => void;
}

/** Options for {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Opens a connection; defaults to TCP with Nagle's algorithm off. */
  readonly connect?: (hostname: string, port: number) => Promise<ClientConn>;
  /** Waits between attempts to reach an API that refuses connections. */
  readonly retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [20, 50, 100, 200, 400] as const;
/** Idle keep-alive connections kept for reuse; more are closed. */
const MAX_IDLE = 16;

/** Keep-alive connections to one `host:port`. */
export class ConnectionPool {
  readonly #host: string;
  readonly #hostname: string;
  readonly #port: number;
  readonly #connect: (hostname: string, port: number) => Promise<ClientConn>;
  readonly #retryDelaysMs: readonly number[];
  readonly #idle: PooledConnection[] = [];
  /**
   * The connection {@linkcode ConnectionPool.warm} opens, until an `acquire` takes it; it
   * resolves to `undefined` if the connect failed.
   */
  #warming: Promise<PooledConnection | undefined> | undefined;

  /**
   * @param address The Runtime API's `host:port` (`AWS_LAMBDA_RUNTIME_API`).
   * @param options The connection factory and retry delays.
   * @throws {TypeError} If `address` is not `host:port`.
   */
  constructor(address: string, options: ConnectionPoolOptions = {}) {
    const { host, hostname, port } = parseAddress(address);
    this.#host = host;
    this.#hostname = hostname;
    this.#port = port;
    this.#connect = options.connect ?? _tcpConnect;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /**
   * An idle connection (the most recently used), or a new one.
   *
   * @returns The connection.
   * @throws {RuntimeApiError} If no connection can be opened.
   */
  async acquire(): Promise<PooledConnection> {
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      idle.idle = false;
      idle.conn.ref?.();
      if (idle.stale) {
        idle.conn.close();
        continue;
      }
      idle.reused = true;
      return idle;
    }
    const warming = this.#warming;
    if (warming !== undefined) {
      this.#warming = undefined;
      const warm = await warming;
      if (warm !== undefined) {
        warm.idle = false;
        warm.conn.ref?.();
        if (!warm.stale) return warm;
        warm.conn.close();
      }
    }
    return await this.connectNew();
  }

  /**
   * Starts opening a connection for the first {@linkcode ConnectionPool.acquire}, so that the
   * connect overlaps whatever the caller does meanwhile (at init: loading the handler). If it
   * fails, that first request connects, with retries, as it would have anyway.
   */
  warm(): void {
    if (this.#warming !== undefined || this.#idle.length > 0) return;
    this.#warming = this.#connect(this.#hostname, this.#port).then(
      // Counted as reused: it may sit idle long enough for the peer to close it.
      (conn) => _watch({ conn, reader: new MessageReader(conn), reused: true }),
      () => undefined,
    );
  }

  /**
   * A new connection, retried with the configured delays while the peer refuses.
   *
   * @returns The connection.
   * @throws {RuntimeApiError} Once every attempt has failed.
   */
  async connectNew(): Promise<PooledConnection> {
    for (let attempt = 0;; attempt++) {
      try {
        const conn = await this.#connect(this.#hostname, this.#port);
        return { conn, reader: new MessageReader(conn), reused: false };
      } catch (error) {
        const delay = this.#retryDelaysMs[attempt];
        if (delay === undefined) {
          throw new RuntimeApiError(
            `Cannot reach the Runtime API at ${this.#host} after ${attempt + 1} attempts`,
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Keeps a connection whose answer has been read whole, unless the peer asked to close it.
   *
   * @param connection The connection.
   * @param head The head of the answer just read.
   */
  release(connection: PooledConnection, head: MessageHead): void {
    // Streams open connections of their own, so the pool is bounded rather than left to grow.
    if (head.close || connection.reader.buffered > 0 || this.#idle.length >= MAX_IDLE) {
      connection.conn.close();
    } else {
      this.#idle.push(_watch(connection));
    }
  }

  /** Closes every idle connection. */
  close(): void {
    for (const connection of this.#idle.splice(0)) connection.conn.close();
    this.#warming?.then((connection) => connection?.conn.close());
    this.#warming = undefined;
  }
}

/**
 * Keeps a read open on an idle connection, so that a peer closing it is noticed before a request
 * is written to it: a request written to a connection the peer had closed was not received and
 * may be sent again, but one written before the close may have been, and must not be. The read
 * is the one the next answer is read by; bytes arriving while idle mark the connection stale.
 */
function _watch(connection: PooledConnection): PooledConnection {
  connection.idle = true;
  // An idle connection is not work: a handler's loop must be seen empty while it waits.
  connection.conn.unref?.();
  const check = connection.onIdleRead ??= () => {
    if (connection.idle) connection.stale = true;
  };
  connection.reader.waitForData().then(check, check);
  return connection;
}

async function _tcpConnect(hostname: string, port: number): Promise<ClientConn> {
  const conn = await Deno.connect({ hostname, port });
  conn.setNoDelay(true);
  return conn;
}
