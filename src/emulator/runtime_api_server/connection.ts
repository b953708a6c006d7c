/**
 * One keep-alive connection to the Runtime API server: reads requests with the HTTP/1.1 codec,
 * checks each one's route and method, and dispatches it to its endpoint — `/next` here, the
 * answers in `runtime_api_answers.ts`, the Extensions API in `runtime_api_extensions.ts`. A held
 * poll parks the connection until an invocation is handed to it, while still noticing a client
 * that goes away.
 *
 * @module
 */

import { type MessageHead, ProtocolError } from "../../runtime_api/http1.ts";
import type { PendingInvocation } from "./pending_invocation.ts";
import { answerInvocation, reportInitError } from "./answers.ts";
import { nextExtensionEvent, registerExtension } from "./extensions.ts";
import { RuntimeApiIo } from "./io.ts";
import { refusal } from "./request_guard.ts";
import { parseRequestLine, ROUTE_METHOD } from "./routes.ts";
import type { Poller, RequestRecord, RuntimeApiState } from "./state.ts";
import { errorResponse, injectedResponse, jsonResponse, nextHead } from "./wire.ts";

/** A deadline far enough away for invocations without a timeout. */
const NO_DEADLINE_MS = 24 * 60 * 60 * 1000;

/** A connection accepted by the server. */
export class RuntimeApiConnection implements Poller {
  #conn: Deno.Conn;
  #io: RuntimeApiIo;
  #state: RuntimeApiState;
  /** The loopback port callers must name in `Host`; `undefined` when bound beyond loopback. */
  #guardPort: number | undefined;
  #held: PromiseWithResolvers<PendingInvocation | null> | undefined;
  #onPeerData = (more: boolean): void => {
    if (!more) this.#release();
  };
  #onPeerError = (): void => this.#release();
  /** Parks the connection until {@linkcode deliver} is called, or the peer leaves. */
  #hold = (): Promise<PendingInvocation | null> => {
    const held = Promise.withResolvers<PendingInvocation | null>();
    this.#held = held;
    this.#io.reader.waitForData().then(this.#onPeerData, this.#onPeerError);
    return held.promise;
  };

  /**
   * @param conn The accepted connection.
   * @param state The server's state.
   * @param guardPort The loopback port the server listens on, whose requests must name it in
   *   `Host` and come from no browser; `undefined` to serve any request.
   */
  constructor(conn: Deno.Conn, state: RuntimeApiState, guardPort?: number) {
    this.#conn = conn;
    this.#io = new RuntimeApiIo(conn);
    this.#state = state;
    this.#guardPort = guardPort;
  }

  /**
   * Serves requests until the peer closes, the server closes, or the peer breaks the protocol.
   *
   * @throws What a bug in the server throws; connection failures end the loop quietly.
   */
  async serve(): Promise<void> {
    try {
      for (;;) {
        const head = await this.#io.reader.readHead();
        if (head === null || !(await this.#handle(head)) || head.close) return;
      }
    } catch (error) {
      if (error instanceof ProtocolError) {
        const response = errorResponse(400, "InvalidRequest", error.message, true);
        await this.#io.send(response).catch(_ignore);
      } else if (
        !(error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted ||
          error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe ||
          error instanceof Deno.errors.NotConnected)
      ) {
        throw error;
      }
    } finally {
      this.#release();
      this.close();
    }
  }

  /** Closes the socket; a loop blocked on it ends. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  /**
   * Hands an invocation (or `null` at close) to this connection's held `/next`.
   *
   * @param invocation The invocation.
   */
  deliver(invocation: PendingInvocation | null): void {
    const held = this.#held;
    this.#held = undefined;
    held?.resolve(invocation);
  }

  /** Ends a held poll without an invocation: the client left or the socket closed. */
  #release(): void {
    if (this.#held === undefined) return;
    this.#state.cancelPoll(this);
    this.deliver(null);
  }

  /** @returns Whether to keep the connection open. */
  async #handle(head: MessageHead): Promise<boolean> {
    const { method, path, route, requestId } = parseRequestLine(head.startLine);

    const record: RequestRecord | undefined = this.#state.recordRequests
      ? {
        method,
        path,
        route,
        headers: head.headers,
        body: undefined,
        bodyBytes: 0,
        trailers: undefined,
        status: undefined,
      }
      : undefined;
    if (record !== undefined) this.#state.requests.push(record);

    const io = this.#io;
    // Before anything else: a refused caller learns nothing and changes nothing.
    const refused = this.#guardPort === undefined
      ? undefined
      : refusal(head.headers, this.#guardPort);
    if (refused !== undefined) {
      await io.respond(record, errorResponse(403, "AccessDeniedException", refused, true));
      return false;
    }
    if (route === undefined) {
      return await io.reject(head, record, errorResponse(404, "NotFound", `No route ${path}`));
    }
    const expected = ROUTE_METHOD[route];
    if (method !== expected) {
      const message = `Method ${method} is not allowed on ${path}`;
      const response = jsonResponse(
        405,
        JSON.stringify({ errorMessage: message, errorType: "MethodNotAllowed" }),
        false,
        `Allow: ${expected}\r\n`,
      );
      return await io.reject(head, record, response);
    }
    const failure = this.#state.takeFailure(route);
    if (failure !== undefined) return await io.reject(head, record, injectedResponse(failure));

    switch (route) {
      case "next":
        return await this.#next(record);
      case "response":
      case "error":
        return await answerInvocation(io, this.#state, route, requestId, head, record);
      case "initError":
        return await reportInitError(io, this.#state, head, record);
      case "extensionRegister":
        return await registerExtension(io, this.#state, head, record);
      case "extensionNext":
        return await nextExtensionEvent(io, this.#state, head, record, this.#hold);
    }
  }

  async #next(record: RequestRecord | undefined): Promise<boolean> {
    if (this.#state.closed) return false;
    let invocation = this.#state.poll(this);
    if (invocation === undefined) {
      const handed = await this.#hold();
      if (handed === null) return false;
      invocation = handed;
    }
    const now = this.#state.now();
    const timeout = invocation.timeoutMs;
    const deadlineMs = Number.isFinite(timeout) ? now + timeout : now + NO_DEADLINE_MS;
    // Start the clock before writing, so an answer racing the write finds it delivered.
    invocation.start(deadlineMs);
    try {
      await this.#io.sendWithBody(
        nextHead(invocation, deadlineMs, this.#state.config.functionArn),
        invocation.body,
      );
    } catch (error) {
      invocation.retract();
      this.#state.requeue(invocation);
      throw error;
    }
    if (record !== undefined) record.status = 200;
    return true;
  }
}

function _ignore(): void {}
