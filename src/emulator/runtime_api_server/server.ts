/**
 * A strict, fast Lambda Runtime API server for tests, benchmarks and the local emulator. It
 * queues invocations for a runtime to take with `/next`, and reports how each one ended.
 *
 * Written on `Deno.listen` and the project's HTTP/1.1 codec rather than `Deno.serve`, because
 * tests must see the trailers of streamed responses, which `Deno.serve` drops.
 *
 * Where Lambda leaves a choice, this server decides:
 * - Bound to loopback (the default), it serves only its runtime: a request whose `Host` is not
 *   a loopback address at its port, or that carries `Origin` or `Sec-Fetch-Site` (a browser's),
 *   gets `403` before it can take an event or answer one, and its connection closes.
 * - A buffered `/response` (or `/error`) over 6 MiB + 100 bytes is read and discarded, answered
 *   `413`, and ends the invocation as a `Function.ResponseSizeTooLarge` error, which is what the
 *   caller sees; a later answer for it gets `400` like any second answer. A body announced
 *   larger than 200 MiB is not read: `413` and the connection closes.
 * - A streamed `/response` over 200 MiB is cut: its `done` reports
 *   `Function.ResponseSizeTooLarge`, the runtime gets `413`, and the connection closes.
 * - An answer without `Lambda-Runtime-Invocation-Id` is accepted (older runtimes do not echo it);
 *   one with a different id gets `410` and leaves the invocation waiting.
 * - A stale answer (`410`) or a refused one (`400`) does not change the invocation.
 *
 * @module
 */

import type { InitErrorReport } from "./invocation_result.ts";
import {
  type InvocationHandle,
  type InvokeOptions,
  PendingInvocation,
} from "./pending_invocation.ts";
import { RuntimeApiConnection } from "./connection.ts";
import { isLoopbackAddress } from "./request_guard.ts";
import {
  type RecordedRequest,
  type RegisteredExtension,
  type RuntimeApiRoute,
  RuntimeApiState,
} from "./state.ts";

export type {
  BufferedResult,
  ClosedResult,
  ErrorResult,
  InitErrorReport,
  InvocationResult,
  LambdaErrorBody,
  StreamEnd,
  StreamResult,
  TimeoutResult,
} from "./invocation_result.ts";
export type { InvocationHandle, InvokeOptions } from "./pending_invocation.ts";
export type { RecordedRequest, RegisteredExtension, RuntimeApiRoute } from "./state.ts";
export { MAX_BUFFERED_RESPONSE_BYTES, MAX_STREAMED_RESPONSE_BYTES } from "./wire.ts";

/** Options for {@linkcode RuntimeApiServer.start}. */
export interface RuntimeApiServerOptions {
  /**
   * The address to bind. Defaults to `127.0.0.1`. On loopback, a request must name the server by
   * a loopback address and its port in `Host`, and carry no `Origin` nor `Sec-Fetch-Site` (no
   * browser may drive it); others get `403` and the connection closes.
   */
  readonly hostname?: string;
  /** The port; `0` picks a free one. Defaults to `0`. */
  readonly port?: number;
  /** The clock for deadlines, in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Sent in extension registration answers. Defaults to `"function"`. */
  readonly functionName?: string;
  /** Sent in extension registration answers. Defaults to `"$LATEST"`. */
  readonly functionVersion?: string;
  /** `Lambda-Runtime-Invoked-Function-Arn`. Defaults to an ARN built from `functionName`. */
  readonly functionArn?: string;
  /** Sent in extension registration answers. Defaults to `"index.handler"`. */
  readonly handler?: string;
  /** Default milliseconds from delivery to deadline; `Infinity` for none. Defaults to 3000. */
  readonly timeoutMs?: number;
  /** Whether to keep every request in {@linkcode RuntimeApiServer.requests}. Defaults to true. */
  readonly recordRequests?: boolean;
}

/** Options for {@linkcode RuntimeApiServer.failNext}. */
export interface FailNextOptions {
  /** Which endpoint fails. Defaults to `"next"`. */
  readonly route?: RuntimeApiRoute | "any";
  /** How many requests fail; `Infinity` for every one. Defaults to 1. */
  readonly times?: number;
}

/**
 * A Lambda Runtime API server: `invoke()` queues an event, a runtime takes it with `/next` and
 * answers it, and the handle's `result` says how it ended.
 *
 * @example Invoke, take the event with /next, answer it
 * ```ts
 * import { equal, deepEqual } from "node:assert/strict";
 * import { RuntimeApiServer } from "./server.ts";
 *
 * await using server = await RuntimeApiServer.start();
 * const base = `http://${server.address}/2018-06-01/runtime/invocation`;
 * const handle = server.invoke({ name: "world" });
 *
 * const next = await fetch(`${base}/next`);
 * const id = next.headers.get("Lambda-Runtime-Aws-Request-Id");
 * equal(id, handle.requestId);
 * const event = await next.json();
 *
 * const answer = await fetch(`${base}/${id}/response`, {
 *   method: "POST",
 *   body: JSON.stringify({ hello: event.name }),
 * });
 * equal(answer.status, 202);
 * await answer.body?.cancel();
 *
 * const result = await handle.result;
 * equal(result.kind, "response");
 * if (result.kind === "response") deepEqual(result.json(), { hello: "world" });
 * ```
 */
export class RuntimeApiServer implements AsyncDisposable {
  /** `host:port`, the value for `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string;
  /** The port bound. */
  readonly port: number;
  #listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>;
  #state: RuntimeApiState;
  #defaultTimeoutMs: number;
  #guardPort: number | undefined;
  #connections = new Set<RuntimeApiConnection>();
  #serving = new Set<Promise<void>>();
  #accepting: Promise<void>;
  #closing: Promise<void> | undefined;

  private constructor(
    listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>,
    state: RuntimeApiState,
    defaultTimeoutMs: number,
  ) {
    this.#listener = listener;
    this.#state = state;
    this.#defaultTimeoutMs = defaultTimeoutMs;
    const { hostname, port } = listener.addr;
    this.port = port;
    this.address = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    this.#guardPort = isLoopbackAddress(hostname) ? port : undefined;
    this.#accepting = this.#accept();
  }

  /**
   * Starts a server.
   *
   * @param options Where to listen, the clock, and the function's identity.
   * @returns The running server.
   * @throws {RangeError} If `timeoutMs` is not positive.
   * @throws {Deno.errors.AddrInUse} If the port is taken.
   */
  static start(options: RuntimeApiServerOptions = {}): Promise<RuntimeApiServer> {
    const timeoutMs = options.timeoutMs ?? 3000;
    if (!(timeoutMs > 0)) {
      throw new RangeError(`Cannot start server: timeoutMs must be positive, got ${timeoutMs}`);
    }
    const functionName = options.functionName ?? "function";
    const state = new RuntimeApiState(options.now ?? Date.now, {
      functionName,
      functionVersion: options.functionVersion ?? "$LATEST",
      functionArn: options.functionArn ??
        `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
      handler: options.handler ?? "index.handler",
    }, options.recordRequests ?? true);
    const listener = Deno.listen({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 0,
      transport: "tcp",
    });
    return Promise.resolve(new RuntimeApiServer(listener, state, timeoutMs));
  }

  /**
   * Queues an invocation; the oldest held `/next` (or the next one to arrive) takes it.
   *
   * @param event The event, sent as JSON (unless `options.rawBody` is given).
   * @param options Ids, timeout and the optional `/next` headers.
   * @returns The handle: ids, `delivered`, and `result`.
   * @throws {TypeError} If the server is closed.
   * @throws {RangeError} If the request id is already in flight, or the timeout is not positive.
   */
  invoke(event: unknown, options: InvokeOptions = {}): InvocationHandle {
    if (this.#state.closed) throw new TypeError("Cannot invoke: the server is closed");
    if (options.requestId !== undefined && this.#state.invocations.has(options.requestId)) {
      throw new RangeError(`Cannot invoke: request id ${options.requestId} is already in use`);
    }
    const invocation = new PendingInvocation(event, options, this.#defaultTimeoutMs);
    this.#state.enqueue(invocation);
    return invocation;
  }

  /** `/next` polls held open now. */
  get openPolls(): number {
    return this.#state.openPolls;
  }

  /** The most `/next` polls held open at once. */
  get maxOpenPolls(): number {
    return this.#state.maxOpenPolls;
  }

  /** Invocations waiting for a `/next`. */
  get queued(): number {
    return this.#state.queued;
  }

  /** `/2020-01-01/extension/event/next` polls held open now. */
  get openExtensionPolls(): number {
    return this.#state.extensionPolls;
  }

  /**
   * Waits, without polling a clock, until enough `/next` polls are held open.
   *
   * @param count How many.
   * @returns Resolves when at least `count` polls are open.
   * @throws {Error} (rejects) If the server closes first.
   */
  waitForPolls(count: number): Promise<void> {
    return this.#state.waitForPolls(count);
  }

  /** Every request received, in arrival order (empty when `recordRequests` is false). */
  get requests(): readonly RecordedRequest[] {
    return this.#state.requests;
  }

  /** Every `/init/error` report, in order. */
  get initErrors(): readonly InitErrorReport[] {
    return this.#state.initErrors;
  }

  /** Resolves with the first `/init/error` report. */
  get initError(): Promise<InitErrorReport> {
    return this.#state.initError;
  }

  /** The extensions that registered, in order. */
  get extensions(): readonly RegisteredExtension[] {
    return this.#state.extensions;
  }

  /**
   * Makes upcoming requests fail with `status` and a Lambda-shaped error body, e.g. `500` on
   * `/next` to check that the runtime exits. The request's body is read and discarded; the
   * invocation it concerns is left as it was.
   *
   * @param status The status to answer.
   * @param options Which endpoint, and how many times.
   */
  failNext(status: number, options: FailNextOptions = {}): void {
    this.#state.failNext(status, options.route ?? "next", options.times ?? 1);
  }

  /**
   * Stops listening, closes every connection, ends held polls, and settles every unfinished
   * invocation (`result` becomes `closed`, a stream's `done` incomplete).
   *
   * @returns Resolves once every connection has finished.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * Closes it, for `await using`.
   *
   * @returns The same as {@linkcode close}.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#state.close();
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
    for (const connection of this.#connections) connection.close();
    await this.#accepting;
    await Promise.all(this.#serving);
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        if (this.#state.closed) {
          conn.close();
          continue;
        }
        conn.setNoDelay(true);
        const connection = new RuntimeApiConnection(conn, this.#state, this.#guardPort);
        this.#connections.add(connection);
        const serving = connection.serve().finally(() => {
          this.#connections.delete(connection);
          this.#serving.delete(serving);
        });
        this.#serving.add(serving);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }
}
