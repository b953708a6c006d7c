/**
 * One keep-alive connection to the Runtime API server: reads requests with the HTTP/1.1 codec,
 * routes them, and answers strictly the way Lambda does. A held `/next` parks the connection
 * until an invocation is handed to it, while still noticing a client that goes away.
 *
 * @module
 */

import { type MessageHead, MessageReader, ProtocolError, writeAll } from "../http1.ts";
import { BufferedResult, type LambdaErrorBody } from "./invocation_result.ts";
import type { PendingInvocation } from "./pending_invocation.ts";
import type {
  Poller,
  RequestRecord,
  RuntimeApiRoute,
  RuntimeApiState,
} from "./runtime_api_state.ts";
import {
  ACCEPTED,
  errorResponse,
  H_ERROR_BODY,
  H_ERROR_TYPE,
  H_EXTENSION_ID,
  H_EXTENSION_NAME,
  H_INVOCATION_ID,
  H_RESPONSE_MODE,
  H_XRAY_CAUSE,
  injectedResponse,
  INVALID_REQUEST_ID,
  INVOCATION_GONE,
  jsonResponse,
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
  nextHead,
  STREAM_TOO_LARGE,
  TOO_LARGE,
} from "./runtime_api_wire.ts";

const NEXT_PATH = "/2018-06-01/runtime/invocation/next";
const INVOCATION_PREFIX = "/2018-06-01/runtime/invocation/";
const INIT_ERROR_PATH = "/2018-06-01/runtime/init/error";
const EXTENSION_REGISTER_PATH = "/2020-01-01/extension/register";
const EXTENSION_NEXT_PATH = "/2020-01-01/extension/event/next";
/** A deadline far enough away for invocations without a timeout. */
const NO_DEADLINE_MS = 24 * 60 * 60 * 1000;
/** Events larger than this are written after their head rather than copied next to it. */
const MAX_COPIED_BODY = 64 * 1024;
const ERROR_TYPE_PATTERN = /^(Runtime|Function)\.[A-Za-z0-9]+$/;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Thrown from inside the chunk callback to stop reading a stream that grew too large. */
class _StreamTooLarge extends Error {}

/** A connection accepted by the server. */
export class RuntimeApiConnection implements Poller {
  #conn: Deno.Conn;
  #reader: MessageReader;
  #state: RuntimeApiState;
  #scratch = new Uint8Array(8 * 1024);
  #held: PromiseWithResolvers<PendingInvocation | null> | undefined;
  #onPeerData = (more: boolean): void => {
    if (!more) this.#release();
  };
  #onPeerError = (): void => this.#release();

  /**
   * @param conn The accepted connection.
   * @param state The server's state.
   */
  constructor(conn: Deno.Conn, state: RuntimeApiState) {
    this.#conn = conn;
    this.#reader = new MessageReader(conn);
    this.#state = state;
  }

  /**
   * Serves requests until the peer closes, the server closes, or the peer breaks the protocol.
   *
   * @throws What a bug in the server throws; connection failures end the loop quietly.
   */
  async serve(): Promise<void> {
    try {
      for (;;) {
        const head = await this.#reader.readHead();
        if (head === null || !(await this.#handle(head)) || head.close) return;
      }
    } catch (error) {
      if (error instanceof ProtocolError) {
        await this.#send(errorResponse(400, "InvalidRequest", error.message, true)).catch(_ignore);
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
    const line = head.startLine;
    const sp = line.indexOf(" ");
    const method = line.slice(0, sp);
    const end = line.indexOf(" ", sp + 1);
    let path = line.slice(sp + 1, end < 0 ? undefined : end);
    const query = path.indexOf("?");
    if (query >= 0) path = path.slice(0, query);

    let route: RuntimeApiRoute | undefined;
    let requestId = "";
    if (path === NEXT_PATH) route = "next";
    else if (path.startsWith(INVOCATION_PREFIX)) {
      const slash = path.indexOf("/", INVOCATION_PREFIX.length);
      const action = path.slice(slash + 1);
      if (slash > INVOCATION_PREFIX.length && (action === "response" || action === "error")) {
        route = action;
        requestId = _decode(path.slice(INVOCATION_PREFIX.length, slash));
      }
    } else if (path === INIT_ERROR_PATH) route = "initError";
    else if (path === EXTENSION_REGISTER_PATH) route = "extensionRegister";
    else if (path === EXTENSION_NEXT_PATH) route = "extensionNext";

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

    if (route === undefined) {
      return await this.#reject(head, record, errorResponse(404, "NotFound", `No route ${path}`));
    }
    const expected = route === "next" || route === "extensionNext" ? "GET" : "POST";
    if (method !== expected) {
      const message = `Method ${method} is not allowed on ${path}`;
      const response = jsonResponse(
        405,
        JSON.stringify({ errorMessage: message, errorType: "MethodNotAllowed" }),
        false,
        `Allow: ${expected}\r\n`,
      );
      return await this.#reject(head, record, response);
    }
    const failure = this.#state.takeFailure(route);
    if (failure !== undefined) return await this.#reject(head, record, injectedResponse(failure));

    switch (route) {
      case "next":
        return await this.#next(record);
      case "response":
      case "error":
        return await this.#answer(route, requestId, head, record);
      case "initError":
        return await this.#initError(head, record);
      case "extensionRegister":
        return await this.#register(head, record);
      case "extensionNext":
        return await this.#extensionNext(head, record);
    }
  }

  async #next(record: RequestRecord | undefined): Promise<boolean> {
    if (this.#state.closed) return false;
    let invocation = this.#state.poll(this);
    if (invocation === undefined) {
      const held = Promise.withResolvers<PendingInvocation | null>();
      this.#held = held;
      this.#reader.waitForData().then(this.#onPeerData, this.#onPeerError);
      const handed = await held.promise;
      if (handed === null) return false;
      invocation = handed;
    }
    const now = this.#state.now();
    const timeout = invocation.timeoutMs;
    const deadlineMs = Number.isFinite(timeout) ? now + timeout : now + NO_DEADLINE_MS;
    // Start the clock before writing, so an answer racing the write finds it delivered.
    invocation.start(deadlineMs);
    try {
      await this.#sendWithBody(
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

  async #answer(
    route: "response" | "error",
    requestId: string,
    head: MessageHead,
    record: RequestRecord | undefined,
  ): Promise<boolean> {
    const invocation = this.#state.invocations.get(requestId);
    const refusal = this.#refusal(invocation, head);
    if (refusal !== undefined || invocation === undefined) {
      return await this.#reject(head, record, refusal ?? INVALID_REQUEST_ID);
    }
    const mode = head.headers.get(H_RESPONSE_MODE);
    if (route === "response" && mode !== undefined) {
      if (mode.toLowerCase() === "streaming") return await this.#stream(invocation, head, record);
      const response = errorResponse(
        400,
        "InvalidFunctionResponseMode",
        "Invalid function response mode",
      );
      return await this.#reject(head, record, response);
    }
    const body = await this.#readBody(head, record);
    if (body === false) return false;
    let answered: boolean;
    if (body === undefined) {
      answered = invocation.answer(_tooLarge());
    } else if (route === "response") {
      answered = invocation.answer(new BufferedResult(head.headers.get("content-type"), body));
    } else {
      const errorType = _errorType(head.headers.get(H_ERROR_TYPE));
      answered = invocation.answer({
        kind: "error",
        errorType,
        error: _errorBody(decoder.decode(body), errorType),
        xrayCause: head.headers.get(H_XRAY_CAUSE),
      });
    }
    let response = ACCEPTED;
    if (answered) this.#state.invocations.delete(requestId);
    else response = invocation.state === "timedOut" ? INVOCATION_GONE : INVALID_REQUEST_ID;
    if (body === undefined) response = TOO_LARGE;
    return await this.#respond(record, response);
  }

  /** @returns The answer refusing an answer to `invocation`, or `undefined` to accept it. */
  #refusal(invocation: PendingInvocation | undefined, head: MessageHead): Uint8Array | undefined {
    if (invocation === undefined || invocation.state === "queued") return INVALID_REQUEST_ID;
    const attempt = head.headers.get(H_INVOCATION_ID);
    if (attempt !== undefined && attempt !== invocation.invocationId) return INVOCATION_GONE;
    if (invocation.state === "timedOut") return INVOCATION_GONE;
    if (invocation.state !== "delivered") return INVALID_REQUEST_ID;
    if (this.#state.now() > invocation.deadlineMs) {
      invocation.expire();
      return INVOCATION_GONE;
    }
    return undefined;
  }

  async #stream(
    invocation: PendingInvocation,
    head: MessageHead,
    record: RequestRecord | undefined,
  ): Promise<boolean> {
    const chunks = invocation.startStream(head.headers.get("content-type"));
    if (chunks === undefined) return await this.#reject(head, record, INVALID_REQUEST_ID);
    let bytes = 0;
    let trailers: Map<string, string> | undefined;
    try {
      if (head.chunked) {
        trailers = await this.#reader.readChunked((chunk) => {
          bytes += chunk.length;
          if (bytes > MAX_STREAMED_RESPONSE_BYTES) throw new _StreamTooLarge();
          chunks.push(chunk);
        });
      } else if (head.contentLength) {
        bytes = head.contentLength;
        if (bytes > MAX_STREAMED_RESPONSE_BYTES) throw new _StreamTooLarge();
        chunks.push(await this.#reader.readBytes(bytes));
      }
    } catch (error) {
      const errorType = error instanceof _StreamTooLarge
        ? "Function.ResponseSizeTooLarge"
        : undefined;
      invocation.endStream({ bytes, complete: false, errorType, errorBody: undefined });
      this.#state.invocations.delete(invocation.requestId);
      if (record !== undefined) record.bodyBytes = bytes;
      if (errorType === undefined) throw error;
      await this.#respond(record, STREAM_TOO_LARGE);
      return false;
    }
    if (record !== undefined) {
      record.bodyBytes = bytes;
      record.trailers = trailers;
    }
    const errorType = trailers?.get(H_ERROR_TYPE) || undefined;
    const errorBody = _decodeErrorTrailer(trailers?.get(H_ERROR_BODY));
    const ended = invocation.endStream({ bytes, complete: true, errorType, errorBody });
    if (ended || invocation.state === "done") this.#state.invocations.delete(invocation.requestId);
    return await this.#respond(record, ended ? ACCEPTED : INVOCATION_GONE);
  }

  async #initError(head: MessageHead, record: RequestRecord | undefined): Promise<boolean> {
    const body = await this.#readBody(head, record);
    if (body === false) return false;
    if (body === undefined) return await this.#respond(record, TOO_LARGE);
    const errorType = _errorType(head.headers.get(H_ERROR_TYPE));
    this.#state.recordInitError({
      errorType,
      error: _errorBody(decoder.decode(body), errorType),
      xrayCause: head.headers.get(H_XRAY_CAUSE),
    });
    return await this.#respond(record, ACCEPTED);
  }

  async #register(head: MessageHead, record: RequestRecord | undefined): Promise<boolean> {
    const name = head.headers.get(H_EXTENSION_NAME);
    if (!name) {
      const response = errorResponse(400, "InvalidRequest", "Missing Lambda-Extension-Name");
      return await this.#reject(head, record, response);
    }
    const body = await this.#readBody(head, record);
    if (body === false) return false;
    if (body === undefined) return await this.#respond(record, TOO_LARGE);
    const identifier = crypto.randomUUID();
    this.#state.extensions.push({ name, identifier, body: _parseJson(decoder.decode(body)) });
    const { functionName, functionVersion, handler } = this.#state.config;
    const response = jsonResponse(
      200,
      JSON.stringify({ functionName, functionVersion, handler }),
      false,
      `Lambda-Extension-Identifier: ${identifier}\r\n`,
    );
    return await this.#respond(record, response);
  }

  async #extensionNext(head: MessageHead, record: RequestRecord | undefined): Promise<boolean> {
    const identifier = head.headers.get(H_EXTENSION_ID);
    if (!this.#state.extensions.some((extension) => extension.identifier === identifier)) {
      const response = errorResponse(
        403,
        "Extension.UnknownExtensionIdentifier",
        "Unknown extension identifier",
      );
      return await this.#reject(head, record, response);
    }
    // Lambda answers with SHUTDOWN only when the sandbox ends: hold it until the server closes.
    const held = Promise.withResolvers<PendingInvocation | null>();
    this.#held = held;
    this.#state.extensionPolls++;
    this.#reader.waitForData().then(this.#onPeerData, this.#onPeerError);
    await held.promise;
    this.#state.extensionPolls--;
    return false;
  }

  /**
   * Reads a buffered body, discarding it if it is over the limit.
   *
   * @returns The body; `undefined` when it was too large (and discarded); `false` when it was too
   *   large to be worth reading, after answering 413 and asking to close the connection.
   */
  async #readBody(
    head: MessageHead,
    record: RequestRecord | undefined,
  ): Promise<Uint8Array | undefined | false> {
    let body: Uint8Array | undefined;
    let bytes = 0;
    if (head.chunked) {
      const parts: Uint8Array[] = [];
      const trailers = await this.#reader.readChunked((chunk) => {
        bytes += chunk.length;
        if (bytes <= MAX_BUFFERED_RESPONSE_BYTES) parts.push(chunk);
      });
      if (record !== undefined) record.trailers = trailers;
      if (bytes <= MAX_BUFFERED_RESPONSE_BYTES) body = _concat(parts, bytes);
    } else {
      bytes = head.contentLength ?? 0;
      if (bytes > MAX_STREAMED_RESPONSE_BYTES) {
        // Not worth reading: answer and close, as Lambda's front end would.
        if (record !== undefined) record.bodyBytes = bytes;
        await this.#respond(
          record,
          errorResponse(413, "RequestEntityTooLarge", "Payload too large", true),
        );
        return false;
      }
      if (bytes > MAX_BUFFERED_RESPONSE_BYTES) await this.#reader.skipBytes(bytes);
      else body = bytes === 0 ? EMPTY : await this.#reader.readBytes(bytes);
    }
    if (record !== undefined) {
      record.bodyBytes = bytes;
      if (body !== undefined) record.body = decoder.decode(body);
    }
    return body;
  }

  /** Discards the request's body, then answers. */
  async #reject(
    head: MessageHead,
    record: RequestRecord | undefined,
    response: Uint8Array,
  ): Promise<boolean> {
    if (head.chunked || head.contentLength) {
      if ((head.contentLength ?? 0) > MAX_STREAMED_RESPONSE_BYTES) {
        await this.#respond(record, response);
        return false;
      }
      await this.#reader.skipBody(head);
    }
    return await this.#respond(record, response);
  }

  async #respond(record: RequestRecord | undefined, response: Uint8Array): Promise<boolean> {
    if (record !== undefined) record.status = _status(response);
    await this.#send(response);
    return true;
  }

  #send(bytes: Uint8Array): Promise<void> {
    return writeAll(this.#conn, bytes);
  }

  /** Writes a head and a body in one write when the body is small. */
  async #sendWithBody(head: string, body: Uint8Array): Promise<void> {
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

function _ignore(): void {}

/** Reads the status code back out of a prepared response (`HTTP/1.1 NNN …`). */
function _status(response: Uint8Array): number {
  return (response[9]! - 48) * 100 + (response[10]! - 48) * 10 + (response[11]! - 48);
}

function _decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function _concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function _parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Lambda keeps `Runtime.*` and `Function.*` error types and records others as unknown. */
function _errorType(header: string | undefined): string {
  return header !== undefined && ERROR_TYPE_PATTERN.test(header) ? header : "Runtime.Unknown";
}

/** Reads an error body leniently: a body that is not the expected JSON becomes the message. */
function _errorBody(text: string, errorType: string): LambdaErrorBody {
  const value = _parseJson(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { errorMessage: text, errorType, stackTrace: [] };
  }
  const fields = value as Record<string, unknown>;
  const stack = fields.stackTrace;
  return {
    errorMessage: typeof fields.errorMessage === "string" ? fields.errorMessage : "",
    errorType: typeof fields.errorType === "string" ? fields.errorType : errorType,
    stackTrace: Array.isArray(stack) ? stack.map(String) : [],
  };
}

/** Decodes the base64 JSON error trailer, keeping whatever could be decoded. */
function _decodeErrorTrailer(trailer: string | undefined): unknown {
  if (!trailer) return undefined;
  let text: string;
  try {
    text = decoder.decode(Uint8Array.from(atob(trailer), (c) => c.charCodeAt(0)));
  } catch {
    return trailer;
  }
  const value = _parseJson(text);
  return value === undefined ? text : value;
}

function _tooLarge(): {
  kind: "error";
  errorType: string;
  error: LambdaErrorBody;
  xrayCause: undefined;
} {
  const errorType = "Function.ResponseSizeTooLarge";
  return {
    kind: "error",
    errorType,
    error: {
      errorMessage:
        `Response payload size exceeded maximum allowed payload size (${MAX_BUFFERED_RESPONSE_BYTES} bytes).`,
      errorType,
      stackTrace: [],
    },
    xrayCause: undefined,
  };
}
