import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { type MessageHead, MessageReader, writeAll } from "../../src/runtime_api/http1.ts";
import {
  MAX_BUFFERED_RESPONSE_BYTES,
  RuntimeApiServer,
} from "../../src/emulator/runtime_api_server/server.ts";

const RUNTIME = "/2018-06-01/runtime";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(
  server: RuntimeApiServer,
  method: string,
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = body === undefined ? { method, headers } : { method, headers, body };
  const response = await fetch(`http://${server.address}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

function next(server: RuntimeApiServer): Promise<Answer> {
  return call(server, "GET", `${RUNTIME}/invocation/next`);
}

function respond(
  server: RuntimeApiServer,
  requestId: string,
  body: BodyInit,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(server, "POST", `${RUNTIME}/invocation/${requestId}/response`, body, headers);
}

/** A keep-alive HTTP/1.1 client that writes exactly the bytes a test gives it. */
class RawClient {
  readonly conn: Deno.TcpConn;
  readonly reader: MessageReader;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
    this.reader = new MessageReader(conn);
  }

  static async connect(server: RuntimeApiServer): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  }

  send(text: string): Promise<void> {
    return writeAll(this.conn, encoder.encode(text));
  }

  async response(): Promise<{ head: MessageHead; status: number; text: string }> {
    const head = await this.reader.readHead();
    ok(head, "the server closed the connection");
    const text = await this.reader.readText(head.contentLength ?? 0);
    return { head, status: Number(head.startLine.split(" ")[1]), text };
  }

  close(): void {
    this.conn.close();
  }
}

Deno.test("/next delivers the queued event with all headers", async () => {
  await using server = await RuntimeApiServer.start({
    now: () => 1_000_000,
    functionArn: "arn:aws:lambda:eu-west-1:111122223333:function:echo",
  });
  const handle = server.invoke({ hello: "world" }, {
    timeoutMs: 5_000,
    requestId: "req-1",
    traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
    clientContext: '{"custom":{"a":1}}',
    cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
    tenantId: "tenant-7",
    invocationId: "attempt-1",
  });
  const answer = await next(server);
  equal(answer.status, 200);
  deepEqual(answer.body, { hello: "world" });
  const h = answer.headers;
  equal(h.get("lambda-runtime-aws-request-id"), "req-1");
  equal(h.get("lambda-runtime-deadline-ms"), "1005000");
  equal(
    h.get("lambda-runtime-invoked-function-arn"),
    "arn:aws:lambda:eu-west-1:111122223333:function:echo",
  );
  equal(
    h.get("lambda-runtime-trace-id"),
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
  );
  equal(h.get("lambda-runtime-client-context"), '{"custom":{"a":1}}');
  equal(
    h.get("lambda-runtime-cognito-identity"),
    '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
  );
  equal(h.get("lambda-runtime-aws-tenant-id"), "tenant-7");
  equal(h.get("lambda-runtime-invocation-id"), "attempt-1");
  equal(h.get("content-type"), "application/json");
  equal(h.get("content-length"), String('{"hello":"world"}'.length));
  await handle.delivered;
});

Deno.test("/next leaves out optional headers and generates ids by default", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke(null);
  const answer = await next(server);
  const h = answer.headers;
  equal(h.get("lambda-runtime-aws-request-id"), handle.requestId);
  equal(h.get("lambda-runtime-invocation-id"), handle.invocationId);
  ok(/^[0-9a-f-]{36}$/.test(handle.requestId));
  ok(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/.test(handle.traceId));
  equal(h.get("lambda-runtime-client-context"), null);
  equal(h.get("lambda-runtime-cognito-identity"), null);
  equal(h.get("lambda-runtime-aws-tenant-id"), null);
  equal(answer.body, null);
});

Deno.test("a /next poll waits until an invocation arrives", async () => {
  await using server = await RuntimeApiServer.start();
  const polling = next(server);
  await server.waitForPolls(1);
  equal(server.openPolls, 1);
  const handle = server.invoke({ n: 1 }, { rawBody: '{"n": 1}' });
  const answer = await polling;
  equal(answer.headers.get("lambda-runtime-aws-request-id"), handle.requestId);
  deepEqual(answer.body, { n: 1 });
  equal(server.openPolls, 0);
});

Deno.test("concurrent /next polls are counted and served in order", async () => {
  await using server = await RuntimeApiServer.start();
  const polls = [next(server), next(server), next(server)];
  await server.waitForPolls(3);
  equal(server.openPolls, 3);
  equal(server.maxOpenPolls, 3);
  const ids = [server.invoke(1), server.invoke(2), server.invoke(3)].map((h) => h.requestId);
  const answers = await Promise.all(polls);
  deepEqual(
    answers.map((a) => a.headers.get("lambda-runtime-aws-request-id")).sort(),
    [...ids].sort(),
  );
  equal(server.openPolls, 0);
  equal(server.maxOpenPolls, 3);
});

Deno.test("a buffered response resolves the result", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const answer = await respond(server, handle.requestId, '{"ok":true}', {
    "content-type": "application/json",
    "lambda-runtime-invocation-id": handle.invocationId,
  });
  equal(answer.status, 202);
  deepEqual(answer.body, { status: "OK" });
  const result = await handle.result;
  equal(result.kind, "response");
  if (result.kind !== "response") return;
  equal(result.contentType, "application/json");
  equal(result.text(), '{"ok":true}');
  deepEqual(result.json(), { ok: true });
});

Deno.test("answering twice gets 400", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  equal((await respond(server, handle.requestId, "1")).status, 202);
  const second = await respond(server, handle.requestId, "2");
  equal(second.status, 400);
  deepEqual(second.body, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
  const error = await call(server, "POST", `${RUNTIME}/invocation/${handle.requestId}/error`, "{}");
  equal(error.status, 400);
  const result = await handle.result;
  equal(result.kind === "response" && result.text(), "1");
});

Deno.test("an unknown or undelivered request id gets 400", async () => {
  await using server = await RuntimeApiServer.start();
  equal((await respond(server, "nope", "{}")).status, 400);
  const queued = server.invoke({});
  equal((await respond(server, queued.requestId, "{}")).status, 400);
});

Deno.test("a response of exactly 6 MiB + 100 bytes is accepted", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const body = new Uint8Array(MAX_BUFFERED_RESPONSE_BYTES).fill(0x61);
  equal((await respond(server, handle.requestId, body)).status, 202);
  const result = await handle.result;
  equal(result.kind === "response" && result.body.length, 6_291_556);
});

Deno.test("a response over 6 MiB + 100 bytes gets 413 and fails the invocation", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const body = new Uint8Array(MAX_BUFFERED_RESPONSE_BYTES + 1).fill(0x61);
  const answer = await respond(server, handle.requestId, body);
  equal(answer.status, 413);
  deepEqual(answer.body, {
    errorMessage: "Exceeded maximum allowed payload size (6291556 bytes).",
    errorType: "RequestEntityTooLarge",
  });
  const result = await handle.result;
  equal(result.kind, "error");
  if (result.kind === "error") equal(result.errorType, "Function.ResponseSizeTooLarge");
  equal((await respond(server, handle.requestId, "{}")).status, 400);
  equal(server.requests.at(-2)?.bodyBytes, MAX_BUFFERED_RESPONSE_BYTES + 1);
});

Deno.test("an answer after the deadline gets 410 and the result is timeout", async () => {
  let now = 10_000;
  await using server = await RuntimeApiServer.start({ now: () => now });
  const handle = server.invoke({}, { timeoutMs: 60_000 });
  const delivered = await next(server);
  equal(delivered.headers.get("lambda-runtime-deadline-ms"), "70000");
  now = 70_001;
  const late = await respond(server, handle.requestId, "{}");
  equal(late.status, 410);
  deepEqual(await handle.result, { kind: "timeout" });
  equal((await respond(server, handle.requestId, "{}")).status, 410);
});

Deno.test("the deadline timer resolves an unanswered invocation as timeout", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({}, { timeoutMs: 5 });
  await next(server);
  deepEqual(await handle.result, { kind: "timeout" });
  const late = await call(server, "POST", `${RUNTIME}/invocation/${handle.requestId}/error`, "{}");
  equal(late.status, 410);
});

Deno.test("an answer with a mismatched invocation id gets 410 and leaves the invocation open", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const stale = await respond(server, handle.requestId, "{}", {
    "lambda-runtime-invocation-id": "an-earlier-attempt",
  });
  equal(stale.status, 410);
  const fresh = await respond(server, handle.requestId, "{}", {
    "lambda-runtime-invocation-id": handle.invocationId,
  });
  equal(fresh.status, 202);
  equal((await handle.result).kind, "response");
});

Deno.test("/error records the error type, body and X-Ray cause", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const error = { errorMessage: "boom", errorType: "Error", trace: ["at handler (x.ts:1)"] };
  const answer = await call(
    server,
    "POST",
    `${RUNTIME}/invocation/${handle.requestId}/error`,
    JSON.stringify(error),
    {
      "lambda-runtime-function-error-type": "Runtime.HandlerError",
      "lambda-runtime-function-xray-error-cause": '{"exceptions":[]}',
    },
  );
  equal(answer.status, 202);
  deepEqual(await handle.result, {
    kind: "error",
    errorType: "Runtime.HandlerError",
    error,
    xrayCause: '{"exceptions":[]}',
  });
});

Deno.test("/error with an error type outside Runtime.* and Function.* is recorded as Runtime.Unknown", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  await call(server, "POST", `${RUNTIME}/invocation/${handle.requestId}/error`, "not json", {
    "lambda-runtime-function-error-type": "TypeError",
  });
  const result = await handle.result;
  equal(result.kind, "error");
  if (result.kind !== "error") return;
  equal(result.errorType, "Runtime.Unknown");
  deepEqual(result.error, {
    errorMessage: "not json",
    errorType: "Runtime.Unknown",
    trace: [],
  });
});

Deno.test("/init/error is recorded", async () => {
  await using server = await RuntimeApiServer.start();
  const body = { errorMessage: "no handler", errorType: "Runtime.HandlerNotFound", trace: [] };
  const answer = await call(server, "POST", `${RUNTIME}/init/error`, JSON.stringify(body), {
    "lambda-runtime-function-error-type": "Runtime.HandlerNotFound",
  });
  equal(answer.status, 202);
  deepEqual(answer.body, { status: "OK" });
  const report = await server.initError;
  equal(report.errorType, "Runtime.HandlerNotFound");
  deepEqual(report.error, body);
  equal(server.initErrors.length, 1);
});

Deno.test("a streamed response is observed chunk by chunk, with its error trailers decoded", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const client = await RawClient.connect(server);
  await client.send(
    `POST ${RUNTIME}/invocation/${handle.requestId}/response HTTP/1.1\r\nHost: ${server.address}\r\n` +
      "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
      "Content-Type: text/plain\r\n" +
      "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n" +
      "5\r\nhello\r\n",
  );
  const result = await handle.result;
  equal(result.kind, "stream");
  if (result.kind !== "stream") return;
  equal(result.contentType, "text/plain");
  const chunks = result.chunks[Symbol.asyncIterator]();
  const first = await chunks.next();
  equal(decoder.decode(first.value), "hello");

  const error = { errorMessage: "stream failed", errorType: "Error", trace: [] };
  await client.send(
    "6\r\n world\r\n0\r\nLambda-Runtime-Function-Error-Type: Function.StreamError\r\n" +
      `Lambda-Runtime-Function-Error-Body: ${btoa(JSON.stringify(error))}\r\n\r\n`,
  );
  equal(decoder.decode((await chunks.next()).value), " world");
  equal((await chunks.next()).done, true);
  deepEqual(await result.done, {
    bytes: 11,
    complete: true,
    errorType: "Function.StreamError",
    errorBody: error,
  });
  equal((await client.response()).status, 202);
  equal(
    server.requests.at(-1)?.trailers?.get("lambda-runtime-function-error-type"),
    "Function.StreamError",
  );
  client.close();
});

Deno.test("a streamed response without trailers completes cleanly", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const answer = await respond(
    server,
    handle.requestId,
    new Blob(["a", "b"]).stream(),
    { "lambda-runtime-function-response-mode": "streaming" },
  );
  equal(answer.status, 202);
  const result = await handle.result;
  equal(result.kind, "stream");
  if (result.kind !== "stream") return;
  const parts: string[] = [];
  for await (const chunk of result.chunks) parts.push(decoder.decode(chunk));
  equal(parts.join(""), "ab");
  deepEqual(await result.done, {
    bytes: 2,
    complete: true,
    errorType: undefined,
    errorBody: undefined,
  });
});

Deno.test("an unknown response mode gets 400", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  const answer = await respond(server, handle.requestId, "{}", {
    "lambda-runtime-function-response-mode": "buffered-ish",
  });
  equal(answer.status, 400);
  deepEqual(answer.body, {
    errorMessage: "Invalid function response mode",
    errorType: "InvalidFunctionResponseMode",
  });
});

Deno.test("failNext(500) answers the next /next with 500 and then serves normally", async () => {
  await using server = await RuntimeApiServer.start();
  server.failNext(500);
  const handle = server.invoke({});
  const failed = await next(server);
  equal(failed.status, 500);
  deepEqual(failed.body, {
    errorMessage: "Internal Server Error",
    errorType: "InternalServerError",
  });
  const served = await next(server);
  equal(served.headers.get("lambda-runtime-aws-request-id"), handle.requestId);
});

Deno.test("failNext() can fail another route several times", async () => {
  await using server = await RuntimeApiServer.start();
  server.failNext(403, { route: "response", times: 2 });
  const handle = server.invoke({});
  await next(server);
  equal((await respond(server, handle.requestId, "{}")).status, 403);
  equal((await respond(server, handle.requestId, "{}")).status, 403);
  equal((await respond(server, handle.requestId, "{}")).status, 202);
});

Deno.test("an unknown path gets 404", async () => {
  await using server = await RuntimeApiServer.start();
  equal((await call(server, "GET", "/2018-06-01/runtime/invocation")).status, 404);
  equal((await call(server, "POST", `${RUNTIME}/invocation/id/reply`, "{}")).status, 404);
  equal((await call(server, "GET", "/")).status, 404);
});

Deno.test("a wrong method gets 405", async () => {
  await using server = await RuntimeApiServer.start();
  const answer = await call(server, "POST", `${RUNTIME}/invocation/next`, "{}");
  equal(answer.status, 405);
  equal(answer.headers.get("allow"), "GET");
  equal((await call(server, "GET", `${RUNTIME}/init/error`)).status, 405);
});

Deno.test("extension register is answered with an identifier and the function's identity", async () => {
  await using server = await RuntimeApiServer.start({
    functionName: "echo",
    functionVersion: "7",
    handler: "echo.handler",
  });
  const answer = await call(server, "POST", "/2020-01-01/extension/register", '{"events":[]}', {
    "lambda-extension-name": "lambdeno",
  });
  equal(answer.status, 200);
  deepEqual(answer.body, { functionName: "echo", functionVersion: "7", handler: "echo.handler" });
  const identifier = answer.headers.get("lambda-extension-identifier");
  ok(identifier);
  deepEqual(server.extensions, [{ name: "lambdeno", identifier, body: { events: [] } }]);
});

Deno.test("extension event/next is held until the server closes", async () => {
  const server = await RuntimeApiServer.start();
  const registered = await call(server, "POST", "/2020-01-01/extension/register", "{}", {
    "lambda-extension-name": "lambdeno",
  });
  const identifier = registered.headers.get("lambda-extension-identifier") ?? "";
  const client = await RawClient.connect(server);
  await client.send(
    `GET /2020-01-01/extension/event/next HTTP/1.1\r\nHost: ${server.address}\r\n` +
      `Lambda-Extension-Identifier: ${identifier}\r\n\r\n`,
  );
  await server.close();
  // No answer ever came: the connection just ends.
  equal(await client.reader.readHead().catch(() => null), null);
  equal(server.openExtensionPolls, 0);
  client.close();
});

Deno.test("extension event/next with an unknown identifier gets 403", async () => {
  await using server = await RuntimeApiServer.start();
  const answer = await call(server, "GET", "/2020-01-01/extension/event/next", undefined, {
    "lambda-extension-identifier": "nobody",
  });
  equal(answer.status, 403);
});

Deno.test("keep-alive serves several invocations on one connection", async () => {
  await using server = await RuntimeApiServer.start();
  const client = await RawClient.connect(server);
  for (let i = 0; i < 3; i++) {
    const handle = server.invoke({ i });
    await client.send(`GET ${RUNTIME}/invocation/next HTTP/1.1\r\nHost: ${server.address}\r\n\r\n`);
    const delivered = await client.response();
    equal(delivered.text, `{"i":${i}}`);
    const body = `{"o":${i}}`;
    await client.send(
      `POST ${RUNTIME}/invocation/${handle.requestId}/response HTTP/1.1\r\nHost: ${server.address}\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body}`,
    );
    equal((await client.response()).status, 202);
    const result = await handle.result;
    equal(result.kind === "response" && result.text(), body);
  }
  client.close();
});

Deno.test("every request is recorded with its status", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  await next(server);
  await respond(server, handle.requestId, "done");
  const [poll, answer] = server.requests;
  equal(poll?.route, "next");
  equal(poll?.status, 200);
  equal(answer?.method, "POST");
  equal(answer?.route, "response");
  equal(answer?.body, "done");
  equal(answer?.bodyBytes, 4);
  equal(answer?.status, 202);
});

Deno.test("close() ends held polls and settles unfinished invocations", async () => {
  const server = await RuntimeApiServer.start();
  const delivered = server.invoke({});
  await next(server);
  const queued = server.invoke({});
  const client = await RawClient.connect(server);
  await client.send(`GET ${RUNTIME}/invocation/next HTTP/1.1\r\nHost: ${server.address}\r\n\r\n`);
  equal(
    (await client.response()).head.headers.get("lambda-runtime-aws-request-id"),
    queued.requestId,
  );
  const waiting = server.invoke({});
  await server.close();
  deepEqual(await delivered.result, { kind: "closed" });
  deepEqual(await queued.result, { kind: "closed" });
  deepEqual(await waiting.result, { kind: "closed" });
  await rejects(waiting.delivered);
  client.close();
});

Deno.test("a request naming another Host cannot take /next nor answer an invocation", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({ secret: "the caller's" });
  // A page that rebound its own name to 127.0.0.1 sends that name, with the right port.
  const foreign = `Host: rebound.example:${server.port}\r\n`;
  for (
    const request of [
      `GET ${RUNTIME}/invocation/next HTTP/1.1\r\n${foreign}\r\n`,
      `GET ${RUNTIME}/invocation/next HTTP/1.1\r\n\r\n`,
    ]
  ) {
    const client = await RawClient.connect(server);
    await client.send(request);
    const refused = await client.response();
    equal(refused.status, 403);
    equal(refused.head.headers.get("connection"), "close");
    equal(JSON.parse(refused.text).errorType, "AccessDeniedException");
    client.close();
  }
  const forger = await RawClient.connect(server);
  await forger.send(
    `POST ${RUNTIME}/invocation/${handle.requestId}/response HTTP/1.1\r\n${foreign}` +
      'Content-Length: 8\r\n\r\n"forged"',
  );
  equal((await forger.response()).status, 403);
  forger.close();
  // The event is still there for the runtime, which answers it.
  equal(server.queued, 1);
  const delivered = await next(server);
  deepEqual(delivered.body, { secret: "the caller's" });
  equal((await respond(server, handle.requestId, '"real"')).status, 202);
  const result = await handle.result;
  equal(result.kind === "response" && result.text(), '"real"');
});

Deno.test("a browser's request (Origin, Sec-Fetch-Site) cannot take /next nor answer", async () => {
  await using server = await RuntimeApiServer.start();
  const handle = server.invoke({});
  const browser = [
    { origin: "https://evil.example" },
    { origin: "null" },
    { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
  ];
  for (const headers of browser) {
    const poll = await call(server, "GET", `${RUNTIME}/invocation/next`, undefined, headers);
    equal(poll.status, 403);
    const answer = await respond(server, handle.requestId, '"forged"', headers);
    equal(answer.status, 403);
  }
  equal(server.queued, 1);
  await next(server);
  equal((await respond(server, handle.requestId, '"real"')).status, 202);
  const result = await handle.result;
  equal(result.kind === "response" && result.text(), '"real"');
});
