/**
 * Tests for the Runtime API client against a raw HTTP/1.1 test double on 127.0.0.1 that records
 * every request (and every byte) and answers as each test scripts it.
 */

import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Invocation } from "../../src/runtime/context.ts";
import { RuntimeApiError } from "../../src/runtime/errors.ts";
import { type ByteConn, MessageReader, writeAll } from "../../src/runtime_api/http1.ts";
import { RuntimeApiClient } from "../../src/runtime_api/client.ts";
import { StreamingResponse } from "../../src/runtime/streaming.ts";
import { invocation as anInvocation } from "../runtime/_fake_runtime_api.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const USER_AGENT = "lambdeno/0.1.0-test";
const SIX_MB = 6 * 1024 * 1024;

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Map<string, string>;
  readonly body: Uint8Array;
  /** The chunks of a chunked body, as they were framed. */
  readonly chunks: readonly Uint8Array[];
  readonly trailers: Map<string, string>;
  /** Which accepted connection carried it, from 0. */
  readonly connection: number;
}

/** What the test double sends back for one request. */
interface Answer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Send the body in chunked encoding, in chunks of this many bytes. */
  readonly chunkSize?: number;
  /** Write the answer this many bytes at a time. */
  readonly writeSize?: number;
  /** Close the connection after answering, without saying so in a header. */
  readonly closeAfter?: boolean;
  /** Close the connection after reading the request, without answering it. */
  readonly drop?: boolean;
  /** Called once the answer is written (and the connection closed, with `closeAfter`). */
  readonly onSent?: () => void;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function render(answer: Answer, defaultStatus: number): Uint8Array {
  const status = answer.status ?? defaultStatus;
  const body = typeof answer.body === "string" ? encoder.encode(answer.body) : answer.body ??
    new Uint8Array(0);
  let head = `HTTP/1.1 ${status} Scripted\r\n`;
  for (const [name, value] of Object.entries(answer.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (answer.chunkSize === undefined) {
    return concat([encoder.encode(`${head}Content-Length: ${body.length}\r\n\r\n`), body]);
  }
  const parts: Uint8Array[] = [encoder.encode(`${head}Transfer-Encoding: chunked\r\n\r\n`)];
  for (let at = 0; at < body.length; at += answer.chunkSize) {
    const chunk = body.subarray(at, at + answer.chunkSize);
    parts.push(encoder.encode(`${chunk.length.toString(16)}\r\n`), chunk, encoder.encode("\r\n"));
  }
  parts.push(encoder.encode("0\r\n\r\n"));
  return concat(parts);
}

/** A GET /next answer for an invocation, with every header the Runtime API may send. */
function invocationAnswer(
  requestId: string,
  event = '{"n":1}',
  extra: Partial<Answer> = {},
): Answer {
  return {
    headers: {
      "Lambda-Runtime-Aws-Request-Id": requestId,
      "Lambda-Runtime-Deadline-Ms": "1700000000000",
      "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
      "Lambda-Runtime-Trace-Id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1",
      "Lambda-Runtime-Client-Context": '{"custom":{"a":"b"}}',
      "Lambda-Runtime-Cognito-Identity": '{"cognitoIdentityId":"i","cognitoIdentityPoolId":"p"}',
      "Lambda-Runtime-Aws-Tenant-Id": "tenant-1",
      "Lambda-Runtime-Invocation-Id": `${requestId}-attempt-1`,
      "Content-Type": "application/json",
    },
    body: event,
    ...extra,
  };
}

/** The Runtime API as a raw socket server that records requests and plays scripted answers. */
class FakeRuntimeApi {
  readonly requests: RecordedRequest[] = [];
  /** Every byte received on each connection, by connection number. */
  readonly received: Uint8Array[][] = [];
  connections = 0;
  readonly #listener: Deno.TcpListener;
  readonly #answers: Answer[] = [];
  readonly #open = new Set<Deno.Conn>();
  readonly #serving: Promise<void>[] = [];
  readonly #accepting: Promise<void>;

  constructor() {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  get address(): string {
    return `127.0.0.1:${this.#listener.addr.port}`;
  }

  /** Queues answers for the next requests; unscripted ones get an invocation or a 202. */
  script(...answers: Answer[]): void {
    this.#answers.push(...answers);
  }

  rawText(connection: number): string {
    return decoder.decode(concat(this.received[connection] ?? []));
  }

  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const conn of [...this.#open]) {
      this.#open.delete(conn);
      conn.close();
    }
    await Promise.all(this.#serving);
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#serving.push(this.#serve(conn, this.connections++));
      }
    } catch {
      // The listener was closed.
    }
  }

  async #serve(conn: Deno.Conn, connection: number): Promise<void> {
    this.#open.add(conn);
    const received: Uint8Array[] = [];
    this.received[connection] = received;
    const tee: ByteConn = {
      async read(p) {
        const n = await conn.read(p);
        if (n !== null) received.push(p.slice(0, n));
        return n;
      },
      write: (p) => conn.write(p),
    };
    const reader = new MessageReader(tee);
    try {
      for (;;) {
        const head = await reader.readHead();
        if (head === null) break;
        const chunks: Uint8Array[] = [];
        let trailers = new Map<string, string>();
        let body: Uint8Array = new Uint8Array(0);
        if (head.chunked) {
          trailers = await reader.readChunked((chunk) => chunks.push(chunk));
          body = concat(chunks);
        } else if (head.contentLength) {
          body = await reader.readBytes(head.contentLength);
        }
        const [method = "", path = ""] = head.startLine.split(" ");
        this.requests.push({
          method,
          path,
          headers: head.headers,
          body,
          chunks,
          trailers,
          connection,
        });
        const answer = this.#answers.shift() ??
          (method === "GET" ? invocationAnswer(`req-${this.requests.length}`) : {});
        if (answer.drop) {
          this.#open.delete(conn);
          conn.close();
          answer.onSent?.();
          return;
        }
        const bytes = render(answer, method === "GET" ? 200 : 202);
        const step = answer.writeSize ?? bytes.length;
        for (let at = 0; at < bytes.length; at += step) {
          await writeAll(conn, bytes.subarray(at, at + step));
        }
        if (answer.closeAfter) {
          this.#open.delete(conn);
          conn.close();
          answer.onSent?.();
          return;
        }
        answer.onSent?.();
      }
    } catch {
      // The client went away, or close() ended the connection.
    }
    if (this.#open.delete(conn)) conn.close();
  }
}

/** Runs `test` with a client talking to a fresh test double, and cleans both up. */
async function withApi(
  test: (api: FakeRuntimeApi, client: RuntimeApiClient) => Promise<void>,
): Promise<void> {
  const api = new FakeRuntimeApi();
  const client = new RuntimeApiClient(api.address, { userAgent: USER_AGENT });
  try {
    await test(api, client);
  } finally {
    client.close();
    await api.close();
  }
}

function invocation(requestId: string, invocationId?: string): Invocation {
  return anInvocation({ requestId, invocationId });
}

/** A seeded pseudo-random JSON string of about `size` bytes, with multi-byte characters. */
function bigJson(size: number, seed: number): string {
  const alphabet = [..."abcdefghijklmnopqrstuvwxyz0123456789 é✓"];
  const widths = alphabet.map((char) => encoder.encode(char).length);
  let state = seed;
  const chars: string[] = [];
  for (let bytes = 0; bytes < size - 16;) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const i = (state >>> 16) % alphabet.length;
    chars.push(alphabet[i]!);
    bytes += widths[i]!;
  }
  return JSON.stringify({ data: chars.join("") });
}

Deno.test("RuntimeApiClient.next() returns the invocation with every header", async () => {
  await withApi(async (api, client) => {
    api.script(invocationAnswer("req-a", '{"hello":"wörld"}'));
    deepEqual(await client.next(), {
      requestId: "req-a",
      deadlineMs: 1_700_000_000_000,
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
      traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1",
      clientContext: '{"custom":{"a":"b"}}',
      cognitoIdentity: '{"cognitoIdentityId":"i","cognitoIdentityPoolId":"p"}',
      tenantId: "tenant-1",
      invocationId: "req-a-attempt-1",
      body: '{"hello":"wörld"}',
    });
    const [request] = api.requests;
    equal(request?.method, "GET");
    equal(request?.path, "/2018-06-01/runtime/invocation/next");
    equal(request?.headers.get("user-agent"), USER_AGENT);
    equal(request?.headers.get("host"), api.address);
  });
});

Deno.test("RuntimeApiClient.respond() posts the JSON with its length, user agent and invocation id", async () => {
  await withApi(async (api, client) => {
    const json = '{"message":"héllo ✓"}';
    equal(await client.respond(invocation("req-1", "attempt-7"), json), 202);
    const [request] = api.requests;
    equal(request?.method, "POST");
    equal(request?.path, "/2018-06-01/runtime/invocation/req-1/response");
    equal(request?.headers.get("content-length"), String(encoder.encode(json).length));
    equal(request?.headers.get("content-type"), "application/json");
    equal(request?.headers.get("user-agent"), USER_AGENT);
    equal(request?.headers.get("lambda-runtime-invocation-id"), "attempt-7");
    equal(decoder.decode(request?.body), json);
  });
});

Deno.test("RuntimeApiClient.fail() posts the error body with its type header", async () => {
  await withApi(async (api, client) => {
    const error = { errorType: "TypeError", errorMessage: "bad", trace: ["at x (y.ts:1:1)"] };
    equal(await client.fail(invocation("req-2", "attempt-1"), error), 202);
    const [request] = api.requests;
    equal(request?.path, "/2018-06-01/runtime/invocation/req-2/error");
    equal(request?.headers.get("lambda-runtime-function-error-type"), "Function.TypeError");
    equal(request?.headers.get("lambda-runtime-invocation-id"), "attempt-1");
    deepEqual(JSON.parse(decoder.decode(request?.body)), error);
  });
});

Deno.test("RuntimeApiClient.initError() posts to /init/error", async () => {
  await withApi(async (api, client) => {
    const error = { errorType: "Runtime.ImportModuleError", errorMessage: "x", trace: [] };
    equal(await client.initError(error), 202);
    const [request] = api.requests;
    equal(request?.path, "/2018-06-01/runtime/init/error");
    equal(request?.headers.get("lambda-runtime-function-error-type"), "Runtime.ImportModuleError");
    deepEqual(JSON.parse(decoder.decode(request?.body)), error);
  });
});

Deno.test("RuntimeApiClient keeps one connection alive across calls", async () => {
  await withApi(async (api, client) => {
    for (let i = 0; i < 5; i++) {
      const next = await client.next();
      equal(await client.respond(next, `{"i":${i}}`), 202);
    }
    await client.fail(invocation("req-x"), { errorType: "E", errorMessage: "", trace: [] });
    equal(api.requests.length, 11);
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient reconnects when the API closed an idle keep-alive connection", async () => {
  await withApi(async (api, client) => {
    const closed = Promise.withResolvers<void>();
    api.script(invocationAnswer("req-1", "{}", { closeAfter: true, onSent: closed.resolve }));
    const first = await client.next();
    await closed.promise;
    equal(await client.respond(first, '"ok"'), 202);
    equal((await client.next()).requestId, "req-3");
    equal(api.connections, 2);
    deepEqual(api.requests.map((r) => r.connection), [0, 1, 1]);
  });
});

Deno.test("RuntimeApiClient.preconnect() opens the connection the first request then uses", async () => {
  await withApi(async (api, client) => {
    client.preconnect();
    while (api.connections === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    equal((await client.next()).requestId, "req-1");
    equal(api.connections, 1);
    deepEqual(api.requests.map((r) => r.connection), [0]);
  });
});

Deno.test("RuntimeApiClient replaces a preconnected connection the API closed unused", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = new RuntimeApiClient(`127.0.0.1:${listener.addr.port}`, {
    userAgent: USER_AGENT,
  });
  try {
    client.preconnect();
    (await listener.accept()).close();
    const next = client.next();
    const second = await listener.accept();
    const reader = new MessageReader(second);
    equal((await reader.readHead())?.startLine, "GET /2018-06-01/runtime/invocation/next HTTP/1.1");
    await writeAll(
      second,
      encoder.encode(
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-after\r\n" +
          "Lambda-Runtime-Deadline-Ms: 9999999999999\r\nContent-Length: 2\r\n\r\n{}",
      ),
    );
    equal((await next).requestId, "req-after");
    second.close();
  } finally {
    client.close();
    listener.close();
  }
});

Deno.test("RuntimeApiClient reads an answer that arrives a few bytes at a time", async () => {
  await withApi(async (api, client) => {
    api.script(invocationAnswer("req-slow", '{"split":"into tiny writes"}', { writeSize: 3 }));
    api.script({ status: 202, body: "{}", writeSize: 1 });
    const next = await client.next();
    equal(next.requestId, "req-slow");
    equal(next.body, '{"split":"into tiny writes"}');
    equal(await client.respond(next, "{}"), 202);
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient.next() receives a 6 MB event intact", async () => {
  await withApi(async (api, client) => {
    const event = bigJson(SIX_MB, 1);
    api.script(invocationAnswer("req-big", event));
    const next = await client.next();
    equal(next.body.length, event.length);
    ok(next.body === event, "the event differs");
  });
});

Deno.test("RuntimeApiClient.respond() sends a 6 MB result intact", async () => {
  await withApi(async (api, client) => {
    const json = bigJson(SIX_MB, 2);
    const bytes = encoder.encode(json);
    equal(await client.respond(invocation("req-big"), json), 202);
    const [request] = api.requests;
    equal(request?.headers.get("content-length"), String(bytes.length));
    ok(request !== undefined && sameBytes(request.body, bytes), "the result differs");
    // The connection is still usable afterwards.
    await client.next();
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient parses chunked answers", async () => {
  await withApi(async (api, client) => {
    api.script(invocationAnswer("req-chunked", '{"chunked":"é✓ across chunks"}', { chunkSize: 4 }));
    api.script({ status: 202, body: '{"status":"OK"}', chunkSize: 5 });
    const next = await client.next();
    equal(next.body, '{"chunked":"é✓ across chunks"}');
    equal(await client.respond(next, "{}"), 202);
    await client.next();
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient rejects a 500 with a RuntimeApiError naming the status and body", async () => {
  await withApi(async (api, client) => {
    api.script({ status: 500, body: "internal failure" });
    await rejects(client.respond(invocation("req-1"), "{}"), (error) => {
      ok(error instanceof RuntimeApiError);
      ok(error.message.includes("500"), error.message);
      ok(error.message.includes("internal failure"), error.message);
      return true;
    });
    api.script({ status: 500, body: "next failed" });
    await rejects(client.next(), (error) => {
      ok(error instanceof RuntimeApiError);
      ok(error.message.includes("500") && error.message.includes("next failed"), error.message);
      return true;
    });
  });
});

Deno.test("RuntimeApiClient resolves 400, 410 and 413 with that status", async () => {
  await withApi(async (api, client) => {
    for (const status of [400, 410, 413]) {
      api.script({ status, body: `{"errorType":"E${status}"}` });
      equal(await client.respond(invocation(`req-${status}`), "{}"), status);
    }
    api.script({ status: 410, body: "" });
    equal(
      await client.fail(invocation("req-f"), { errorType: "E", errorMessage: "", trace: [] }),
      410,
    );
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient reports an unreachable API after its retries", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const address = `127.0.0.1:${listener.addr.port}`;
  listener.close();
  const client = new RuntimeApiClient(address, { userAgent: USER_AGENT, retryDelaysMs: [1, 1] });
  // A connection opened early that fails changes nothing: the request still retries.
  client.preconnect();
  await rejects(client.next(), (error) => {
    ok(error instanceof RuntimeApiError);
    equal(error.message, `Cannot reach the Runtime API at ${address} after 3 attempts`);
    ok(error.cause instanceof Error);
    return true;
  });
  client.close();
});

Deno.test("RuntimeApiClient.respondStream() sends chunked frames with the streaming headers", async () => {
  await withApi(async (api, client) => {
    async function* body() {
      yield "first ";
      yield encoder.encode("second ✓");
      yield "";
      yield "third";
    }
    const response = new StreamingResponse(body(), { contentType: "text/plain" });
    deepEqual(await client.respondStream(invocation("req-s", "attempt-2"), response), {
      status: 202,
      started: true,
      bodyError: undefined,
    });
    const [request] = api.requests;
    equal(request?.path, "/2018-06-01/runtime/invocation/req-s/response");
    equal(request?.headers.get("lambda-runtime-function-response-mode"), "streaming");
    equal(request?.headers.get("transfer-encoding"), "chunked");
    equal(
      request?.headers.get("trailer"),
      "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
    );
    equal(request?.headers.get("content-type"), "text/plain");
    equal(request?.headers.get("lambda-runtime-invocation-id"), "attempt-2");
    equal(request?.headers.get("user-agent"), USER_AGENT);
    deepEqual(request?.chunks.map((c) => decoder.decode(c)), ["first ", "second ✓", "third"]);
    equal(request?.trailers.size, 0);
    ok(api.rawText(0).endsWith("\r\n5\r\nthird\r\n0\r\n\r\n"), api.rawText(0).slice(-40));
  });
});

Deno.test("RuntimeApiClient.respondStream() ends a failing stream with the error trailers", async () => {
  await withApi(async (api, client) => {
    const failure = new TypeError("stream broke");
    async function* body() {
      yield "partial";
      throw failure;
    }
    const outcome = await client.respondStream(
      invocation("req-s"),
      new StreamingResponse(body()),
    );
    deepEqual(outcome, { status: 202, started: true, bodyError: failure });
    const [request] = api.requests;
    deepEqual(request?.chunks.map((c) => decoder.decode(c)), ["partial"]);
    equal(request?.headers.get("content-type"), "application/octet-stream");
    equal(request?.trailers.get("lambda-runtime-function-error-type"), "TypeError");
    const base64 = request?.trailers.get("lambda-runtime-function-error-body") ?? "";
    const json = decoder.decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const error = JSON.parse(json);
    equal(error.errorType, "TypeError");
    equal(error.errorMessage, "stream broke");
    ok(Array.isArray(error.trace));
    // The connection is still good for the next call.
    await client.next();
    equal(api.connections, 1);
  });
});

Deno.test("RuntimeApiClient.respondStream() sends nothing when the body fails before its first chunk", async () => {
  await withApi(async (api, client) => {
    const failure = new Error("no data");
    // deno-lint-ignore require-yield
    async function* body() {
      throw failure;
    }
    const outcome = await client.respondStream(
      invocation("req-s"),
      new StreamingResponse(body()),
    );
    deepEqual(outcome, { status: undefined, started: false, bodyError: failure });
    equal(api.connections, 0);
    equal(api.requests.length, 0);
  });
});

Deno.test("RuntimeApiClient.respondStream() sends a 6 MB stream intact", async () => {
  await withApi(async (api, client) => {
    const bytes = encoder.encode(bigJson(SIX_MB, 3));
    async function* body() {
      for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
    }
    const outcome = await client.respondStream(invocation("req-s"), new StreamingResponse(body()));
    equal(outcome.status, 202);
    const [request] = api.requests;
    ok(request !== undefined && sameBytes(request.body, bytes), "the streamed body differs");
  });
});

Deno.test("RuntimeApiClient constructor rejects an address that is not host:port", () => {
  for (const address of ["localhost", "127.0.0.1:", ":9001", "127.0.0.1:port"]) {
    let thrown: unknown;
    try {
      new RuntimeApiClient(address, { userAgent: USER_AGENT });
    } catch (error) {
      thrown = error;
    }
    ok(thrown instanceof TypeError, address);
  }
});

Deno.test("RuntimeApiClient.respondStream() streams on a new connection, never a stale idle one", async () => {
  await withApi(async (api, client) => {
    const closed = Promise.withResolvers<void>();
    api.script(invocationAnswer("req-1", "{}", { closeAfter: true, onSent: closed.resolve }));
    const first = await client.next();
    await closed.promise; // the connection the client keeps idle is now dead
    const response = new StreamingResponse((async function* () {
      yield "a";
      yield "b";
    })());
    const outcome = await client.respondStream(first, response);
    equal(outcome.status, 202);
    deepEqual(api.requests.map((r) => r.connection), [0, 1]);
  });
});

Deno.test("RuntimeApiClient resends a pipelined poll the API closed the connection on", async () => {
  const api = new FakeRuntimeApi();
  const client = new RuntimeApiClient(api.address, {
    userAgent: USER_AGENT,
    retryDelaysMs: [1],
  });
  try {
    const first = await client.next();
    // 202 to the answer, then the connection closes with the pipelined poll unanswered.
    api.script({ status: 202, body: '{"status":"OK"}', closeAfter: true });
    const { status, next } = await client.respondAndPoll(first, '"ok"');
    equal(status, 202);
    equal((await next)?.requestId, "req-3");
    equal(api.connections, 2);
  } finally {
    client.close();
    await api.close();
  }
});

Deno.test("RuntimeApiClient.fail() caps the error type header of a 70,000-character name", async () => {
  await withApi(async (api, client) => {
    const errorType = "VeryLong".repeat(8_750);
    const error = { errorType, errorMessage: "m".repeat(60_000), trace: [] };
    equal(await client.fail(invocation("r1"), error), 202);
    const [request] = api.requests;
    const header = request!.headers.get("lambda-runtime-function-error-type")!;
    ok(header.length <= 128 && header.startsWith("Function.VeryLong"), header.slice(0, 40));
    equal(JSON.parse(decoder.decode(request!.body)).errorType, errorType);
  });
});

Deno.test("RuntimeApiClient never sends an answer again when the API closed after reading it", async () => {
  await withApi(async (api, client) => {
    const first = await client.next();
    api.script({ drop: true });
    await rejects(client.respond(first, '"once"'), RuntimeApiError);
    const second = await client.next();
    api.script({ drop: true });
    const error = { errorType: "E", errorMessage: "", trace: [] };
    await rejects(client.fail(second, error), RuntimeApiError);
    deepEqual(
      api.requests.map((r) => `${r.connection} ${r.path.split("/").at(-1)}`),
      ["0 next", "0 response", "1 next", "1 error"],
    );
  });
});
