/**
 * The Runtime API client: HTTP/1.1 written by hand over keep-alive TCP connections. It is the
 * per-invocation cost of the runtime, so each request is one precomputed head and one write,
 * and each answer is parsed in place.
 *
 * @module
 */

import type { Invocation } from "../runtime/context.ts";
import type { ErrorBody } from "../runtime/errors.ts";
import type { MessageHead, MessageReader } from "./http1.ts";
import { Exchanger, readAnswer, readInvocation, readStatus } from "./exchange.ts";
import {
  type AnsweredAndPolled,
  errorRequestHead,
  nextRequestHead,
  type PipeliningRuntimeApi,
  responseRequestHead,
  type StreamOutcome,
  streamRequestHead,
  xrayErrorCause,
} from "./requests.ts";
import { type ClientConn, ConnectionPool } from "./pool.ts";
import { openStream, writeChunkedBody } from "./stream.ts";
import type { StreamingResponse } from "../runtime/streaming.ts";

export type { ClientConn } from "./pool.ts";

/** Options for {@linkcode RuntimeApiClient}. */
export interface RuntimeApiClientOptions {
  /** The `User-Agent` sent with every request. */
  readonly userAgent: string;
  /** Opens a connection; defaults to TCP with `Nagle` off. */
  readonly connect?: (hostname: string, port: number) => Promise<ClientConn>;
  /** Waits between attempts to reach an API that refuses connections. */
  readonly retryDelaysMs?: readonly number[];
  /**
   * The working directory named in the X-Ray error cause sent with `/error`; without it, no
   * `Lambda-Runtime-Function-XRay-Error-Cause` header is sent.
   */
  readonly workingDirectory?: string;
}

const encoder = new TextEncoder();
const SMALL_BODY = 64 * 1024;

/**
 * Speaks the Runtime API at `host:port`.
 *
 * @example Poll for an invocation over a scripted connection
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { RuntimeApiClient } from "./client.ts";
 *
 * const answer = new TextEncoder().encode(
 *   "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\n" +
 *     "Lambda-Runtime-Deadline-Ms: 1700000000000\r\nContent-Length: 7\r\n\r\n{\"n\":1}",
 * );
 * let sent = "";
 * let replied = false;
 * const client = new RuntimeApiClient("127.0.0.1:9001", {
 *   userAgent: "lambdeno/0.1.0",
 *   connect: () => Promise.resolve({
 *     read: (p: Uint8Array) => {
 *       if (replied) return new Promise<null>(() => {});
 *       replied = true;
 *       p.set(answer);
 *       return Promise.resolve(answer.length);
 *     },
 *     write: (p: Uint8Array) => (sent += new TextDecoder().decode(p), Promise.resolve(p.length)),
 *     close: () => {},
 *   }),
 * });
 * const invocation = await client.next();
 * equal(sent.split("\r\n")[0], "GET /2018-06-01/runtime/invocation/next HTTP/1.1");
 * equal(invocation.requestId, "r1");
 * equal(invocation.body, '{"n":1}');
 * ```
 */
export class RuntimeApiClient implements PipeliningRuntimeApi {
  readonly #host: string;
  readonly #userAgent: string;
  readonly #workingDirectory: string | undefined;
  readonly #nextHead: Uint8Array;
  readonly #pool: ConnectionPool;
  readonly #exchanger: Exchanger;

  /**
   * @param address The Runtime API's `host:port` (`AWS_LAMBDA_RUNTIME_API`).
   * @param options The user agent, and for tests a connection factory and retry delays.
   * @throws {TypeError} If `address` is not `host:port`.
   */
  constructor(address: string, options: RuntimeApiClientOptions) {
    this.#pool = new ConnectionPool(address, {
      ...(options.connect === undefined ? {} : { connect: options.connect }),
      ...(options.retryDelaysMs === undefined ? {} : { retryDelaysMs: options.retryDelaysMs }),
    });
    this.#host = address;
    this.#userAgent = options.userAgent;
    this.#workingDirectory = options.workingDirectory;
    this.#nextHead = encoder.encode(nextRequestHead(this.#host, this.#userAgent));
    this.#exchanger = new Exchanger(this.#pool, this.#nextHead);
  }

  /**
   * Waits for the next invocation.
   *
   * @returns The invocation.
   * @throws {RuntimeApiError} If the API answers anything but 200, or cannot be reached.
   */
  next(): Promise<Invocation> {
    return this.#exchanger.exchange("GET /next", this.#nextHead, undefined, readInvocation, false);
  }

  /**
   * Posts a buffered JSON result.
   *
   * @param invocation The invocation answered.
   * @param json The result, as JSON text.
   * @returns The API's status.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  async respond(invocation: Invocation, json: string): Promise<number> {
    return (await this.#respond(invocation, json, false)).status;
  }

  /**
   * Posts a buffered JSON result and, in the same write, a poll for the next invocation.
   *
   * @param invocation The invocation answered.
   * @param json The result, as JSON text.
   * @returns The API's status, and the invocation the poll brings.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  respondAndPoll(invocation: Invocation, json: string): Promise<AnsweredAndPolled> {
    return this.#respond(invocation, json, true);
  }

  #respond(invocation: Invocation, json: string, poll: boolean): Promise<AnsweredAndPolled> {
    const body = encoder.encode(json);
    const head = responseRequestHead(this.#host, this.#userAgent, invocation, body.length);
    return this.#post("POST /response", head, body, poll);
  }

  /**
   * Reports an invocation as failed.
   *
   * @param invocation The invocation.
   * @param error The error body.
   * @returns The API's status.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  async fail(invocation: Invocation, error: ErrorBody): Promise<number> {
    return (await this.#fail(invocation, error, false)).status;
  }

  /**
   * Reports an invocation as failed and, in the same write, polls for the next invocation.
   *
   * @param invocation The invocation.
   * @param error The error body.
   * @returns The API's status, and the invocation the poll brings.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  failAndPoll(invocation: Invocation, error: ErrorBody): Promise<AnsweredAndPolled> {
    return this.#fail(invocation, error, true);
  }

  #fail(invocation: Invocation, error: ErrorBody, poll: boolean): Promise<AnsweredAndPolled> {
    const body = encoder.encode(JSON.stringify(error));
    const cause = this.#workingDirectory === undefined
      ? undefined
      : xrayErrorCause(error, this.#workingDirectory);
    const head = errorRequestHead(
      this.#host,
      this.#userAgent,
      invocation,
      error,
      body.length,
      cause,
    );
    return this.#post("POST /error", head, body, poll);
  }

  /**
   * Reports an initialisation failure.
   *
   * @param error The error body.
   * @returns The API's status.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  async initError(error: ErrorBody): Promise<number> {
    const body = encoder.encode(JSON.stringify(error));
    const head = errorRequestHead(this.#host, this.#userAgent, undefined, error, body.length);
    return (await this.#post("POST /init/error", head, body, false)).status;
  }

  /**
   * Posts a result in streaming mode. The request starts only once the body yields its first
   * chunk, so a stream that fails at once leaves the invocation open for {@linkcode fail}.
   *
   * @param invocation The invocation answered.
   * @param response The streamed body and its content type.
   * @returns What happened.
   * @throws {RuntimeApiError} On a 500, or if the API cannot be reached.
   */
  async respondStream(
    invocation: Invocation,
    response: StreamingResponse,
  ): Promise<StreamOutcome> {
    const reader = response.body.getReader();
    let first: ReadableStreamReadResult<Uint8Array>;
    try {
      first = await reader.read();
    } catch (bodyError) {
      return { status: undefined, started: false, bodyError };
    }
    const head = encoder.encode(
      streamRequestHead(this.#host, this.#userAgent, invocation, response.contentType),
    );
    const connection = await openStream(this.#pool, head);
    let bodyError: unknown;
    try {
      bodyError = await writeChunkedBody(connection.conn, reader, first);
    } catch (error) {
      // The connection broke while streaming; the invocation is lost to this connection.
      connection.conn.close();
      reader.cancel(error).catch(() => {});
      return { status: undefined, started: true, connectionError: error };
    }
    const status = await this.#exchanger.finish(
      "POST /response (streaming)",
      connection,
      (h, r) => readStatus("POST /response (streaming)", h, r),
    );
    return { status, started: true, bodyError };
  }

  /**
   * Opens the first connection in the background, so that it is ready by the first request
   * (see {@linkcode ConnectionPool.warm}).
   */
  preconnect(): void {
    this.#pool.warm();
  }

  /** Closes every idle connection. */
  close(): void {
    this.#pool.close();
  }

  #post(
    what: string,
    head: string,
    body: Uint8Array,
    poll: boolean,
  ): Promise<AnsweredAndPolled> {
    const read = (h: MessageHead, r: MessageReader) => readAnswer(what, h, r);
    const tail = poll ? this.#nextHead : undefined;
    const headBytes = encoder.encode(head);
    if (body.length <= SMALL_BODY) {
      const whole = new Uint8Array(headBytes.length + body.length + (tail?.length ?? 0));
      whole.set(headBytes);
      whole.set(body, headBytes.length);
      if (tail !== undefined) whole.set(tail, headBytes.length + body.length);
      return this.#exchanger.exchange(what, whole, undefined, read, poll);
    }
    const rest = tail ? _concat(body, tail) : body;
    return this.#exchanger.exchange(what, headBytes, rest, read, poll);
  }
}

function _concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
