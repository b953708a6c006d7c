/**
 * Pipelined polls against the strict Runtime API server: the client sends a `/next` in the same
 * write as an answer when asked to, and the pollers ask exactly once per invocation.
 */

import { deepEqual, equal, rejects } from "node:assert/strict";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { RuntimeApiError } from "../../src/runtime/errors.ts";
import { RuntimeApiClient } from "../../src/runtime_api/client.ts";
import { Pollers } from "../../src/runtime/pollers.ts";
import { Runtime } from "../../src/runtime/runtime.ts";

/** Resolves once a poll is open; fails the test instead of hanging when none comes. */
async function pollOpen(server: RuntimeApiServer): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no /next poll was opened within 2 s")), 2_000);
  });
  try {
    await Promise.race([server.waitForPolls(1), bound]);
  } finally {
    clearTimeout(timer);
  }
}

function client(server: RuntimeApiServer): RuntimeApiClient {
  return new RuntimeApiClient(server.address, { userAgent: "test" });
}

Deno.test("RuntimeApiClient.respondAndPoll() and failAndPoll() poll in the same write as the answer", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  try {
    const first = server.invoke({ n: 1 });
    const a = await api.next();
    equal(a.requestId, first.requestId);
    const answered = await api.respondAndPoll(a, '"one"');
    equal(answered.status, 202);
    // The poll is open before anything else is sent: it travelled with the answer.
    await pollOpen(server);
    const second = server.invoke({ n: 2 });
    const b = await answered.next!;
    equal(b.requestId, second.requestId);
    const failed = await api.failAndPoll(b, {
      errorType: "Error",
      errorMessage: "x",
      trace: [],
    });
    equal(failed.status, 202);
    await pollOpen(server);
    deepEqual(server.requests.map((r) => r.route), ["next", "response", "next", "error", "next"]);
    const result = await first.result;
    equal(result.kind === "response" && result.text(), '"one"');
    equal((await second.result).kind, "error");
  } finally {
    api.close();
  }
});

Deno.test("Pollers with pipelining send one poll per invocation, even after a 413", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  const stop = new AbortController();
  const pollers = new Pollers(api, { slots: 1, pipeline: true, signal: stop.signal });
  const runtime = new Runtime({
    answers: pollers.answers,
    handler: () => "small",
    info: {
      functionName: "f",
      functionVersion: "1",
      memoryLimitInMB: "128",
      logGroupName: "",
      logStreamName: "",
    },
    log: () => {},
  });
  const running = runtime.run(pollers.invocations);
  try {
    await pollOpen(server);
    server.failNext(413, { route: "response" });
    const result = await server.invoke({}).result;
    equal(result.kind === "error" && result.errorType, "Function.ResponseSizeTooLarge");
    await pollOpen(server);
    equal(server.openPolls, 1);
    deepEqual(server.requests.map((r) => r.route), ["next", "response", "next", "error"]);
  } finally {
    stop.abort();
    server.invoke({});
    await running;
    api.close();
  }
});

Deno.test("RuntimeApiClient.respondAndPoll() surfaces a failed pipelined poll from its next", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  try {
    server.invoke({});
    const invocation = await api.next();
    server.failNext(500, { route: "next" });
    const { status, next } = await api.respondAndPoll(invocation, "null");
    equal(status, 202);
    await rejects(next!, (error: unknown) => {
      equal(error instanceof RuntimeApiError, true);
      equal(String((error as Error).message).includes("answered 500 to GET /next"), true);
      return true;
    });
  } finally {
    api.close();
  }
});
