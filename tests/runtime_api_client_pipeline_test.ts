/**
 * The client's pipelined polls, against the strict Runtime API server: the next `/next` goes out
 * in the same write as each answer, exactly once per invocation.
 */

import { deepEqual, equal, rejects } from "node:assert/strict";
import { RuntimeApiServer } from "../src/emulator/runtime_api_server/server.ts";
import { RuntimeApiError } from "../src/runtime/errors.ts";
import { RuntimeApiClient } from "../src/runtime_api/client.ts";

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
  return new RuntimeApiClient(server.address, { userAgent: "test", pipelineNext: true });
}

Deno.test("RuntimeApiClient with pipelineNext polls again in the same write as the answer", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  try {
    const first = server.invoke({ n: 1 });
    const a = await api.next();
    equal(a.requestId, first.requestId);
    equal(await api.respond(a, '"one"'), 202);
    // The poll is open before next() is called: it travelled with the answer.
    await pollOpen(server);
    const second = server.invoke({ n: 2 });
    const b = await api.next();
    equal(b.requestId, second.requestId);
    equal(await api.fail(b, { errorType: "Error", errorMessage: "x", stackTrace: [] }), 202);
    await pollOpen(server);
    deepEqual(server.requests.map((r) => r.route), ["next", "response", "next", "error", "next"]);
    const result = await first.result;
    equal(result.kind === "response" && result.text(), '"one"');
    equal((await second.result).kind, "error");
  } finally {
    api.close();
  }
});

Deno.test("RuntimeApiClient with pipelineNext sends one poll per invocation, even after a 413", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  try {
    server.invoke({});
    const invocation = await api.next();
    const tooLarge = JSON.stringify("x".repeat(6 * 1024 * 1024 + 100));
    equal(await api.respond(invocation, tooLarge), 413);
    await api.fail(invocation, {
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "too large",
      stackTrace: [],
    });
    await pollOpen(server);
    equal(server.openPolls, 1);
    equal(server.requests.filter((r) => r.route === "next").length, 2);
  } finally {
    api.close();
  }
});

Deno.test("RuntimeApiClient with pipelineNext surfaces a failed pipelined poll from next()", async () => {
  await using server = await RuntimeApiServer.start();
  const api = client(server);
  try {
    server.invoke({});
    const invocation = await api.next();
    server.failNext(500, { route: "next" });
    equal(await api.respond(invocation, "null"), 202);
    await rejects(api.next(), (error: unknown) => {
      equal(error instanceof RuntimeApiError, true);
      equal(String((error as Error).message).includes("answered 500 to GET /next"), true);
      return true;
    });
  } finally {
    api.close();
  }
});
