import { deepEqual, equal, match, ok } from "node:assert/strict";
import { decodeMessages } from "../../src/emulator/mod.ts";
import { invoke, shippedFunctions, startEmulator, testHandlersDir } from "./_support.ts";

Deno.test("The Invoke API answers a buffered invocation of echo with its event", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", '{"hi":1}');
  equal(response.status, 200);
  equal(response.headers.get("x-amz-executed-version"), "$LATEST");
  ok(response.headers.get("x-amzn-requestid"));
  equal(response.headers.get("x-amz-function-error"), null);
  deepEqual(await response.json(), { hi: 1 });
});

Deno.test("`function` stands for the default function, as in AWS's emulator", async () => {
  const { emulator } = await startEmulator({ defaultFunction: "echo" });
  await using _ = emulator;
  const response = await invoke(emulator, "function", '{"via":"alias"}');
  deepEqual(await response.json(), { via: "alias" });
});

Deno.test("An empty payload is delivered as {}", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", "");
  deepEqual(await response.json(), {});
});

Deno.test("Client context, tenant and trace headers reach the handler's context", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({ handlersDir: dir, memoryMb: 256 });
  await using _ = emulator;
  const clientContext = { custom: { user: "ada" }, env: { locale: "en" } };
  const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const response = await invoke(emulator, "context", "{}", {
    "X-Amz-Client-Context": btoa(JSON.stringify(clientContext)),
    "X-Amz-Tenant-Id": "tenant-7",
    "X-Amzn-Trace-Id": trace,
  });
  const body = await response.json();
  deepEqual(body.clientContext, clientContext);
  equal(body.tenantId, "tenant-7");
  equal(body.traceId, trace);
  deepEqual(body.env, {
    name: "context",
    version: "$LATEST",
    memory: "256",
    logGroup: "/aws/lambda/context",
    initType: "on-demand",
    maxConcurrency: null,
    tz: ":UTC",
    region: "us-east-1",
  });
});

Deno.test("A client context that is not base64 JSON is refused with 400", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", "{}", { "X-Amz-Client-Context": "%%%" });
  equal(response.status, 400);
  equal(response.headers.get("x-amzn-errortype"), "InvalidRequestContentException");
  await response.body?.cancel();
});

Deno.test("A payload that is not JSON is refused with 400", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", "{nope");
  equal(response.status, 400);
  match((await response.json()).message, /Could not parse request body into json/);
});

Deno.test("A function error comes back as 200 with X-Amz-Function-Error: Unhandled", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", '{"throw":"boom"}');
  equal(response.status, 200);
  equal(response.headers.get("x-amz-function-error"), "Unhandled");
  const body = await response.json();
  equal(body.errorType, "Error");
  equal(body.errorMessage, "boom");
  ok(Array.isArray(body.trace));
});

Deno.test("Error bodies carry no terminal escapes, from a function or from its init", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-ansi-" });
  try {
    await Deno.writeTextFile(
      `${dir}/red.ts`,
      `export function handler() {
  throw new Error("\\u001b[31mred\\u001b[0m failure \\u001b]8;;http://x\\u0007link\\u001b]8;;\\u0007");
}
`,
    );
    await Deno.writeTextFile(
      `${dir}/redinit.ts`,
      `throw new TypeError("\\u001b[1mcannot\\u001b[22m start");
export function handler() {}
`,
    );
    const { emulator } = await startEmulator({ handlersDir: dir });
    await using _ = emulator;
    const failed = await (await invoke(emulator, "red", "{}")).text();
    ok(!failed.includes("\\u001b"), failed);
    equal(JSON.parse(failed).errorMessage, "red failure link");
    const init = await (await invoke(emulator, "redinit", "{}")).text();
    ok(!init.includes("\\u001b"), init);
    match(JSON.parse(init).errorMessage, /cannot start/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("An unknown function is a 404 that lists the functions", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "nope", "{}");
  equal(response.status, 404);
  equal(response.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
  const body = await response.json();
  match(body.message, /Function not found: .*:function:nope/);
  deepEqual(body.functions, shippedFunctions());
});

Deno.test("A payload over 6 MB is refused with 413 before the function runs", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const big = `"${"x".repeat(6_291_456)}"`;
  const response = await invoke(emulator, "echo", big);
  equal(response.status, 413);
  equal(response.headers.get("x-amzn-errortype"), "RequestEntityTooLargeException");
  match((await response.json()).message, /6291456 bytes/);
  equal(log.matching(/START/).length, 0);
});

Deno.test("A payload of exactly 6 MB is accepted", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const exact = `"${"x".repeat(6_291_456 - 2)}"`;
  const response = await invoke(emulator, "echo", exact);
  equal(response.status, 200);
  equal((await response.text()).length, 6_291_456);
});

Deno.test("A streamed function invoked on the buffered endpoint returns the whole body", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo.stream", '{"chunks":3,"bytes":4}');
  equal(response.status, 200);
  equal(await response.text(), "xxxxxxxxxxxx");
});

Deno.test("An Event invocation is accepted with 202 and runs in the background", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const response = await invoke(emulator, "echo", '{"log":"async hello"}', {
    "X-Amz-Invocation-Type": "Event",
  });
  equal(response.status, 202);
  await response.body?.cancel();
  const id = response.headers.get("x-amzn-requestid");
  await log.waitFor(new RegExp(`REPORT RequestId: ${id}`));
  ok(log.matching(new RegExp(`\\[echo\\] \\S+\\t${id}\\tINFO\\tasync hello`)).length === 1);
});

Deno.test("A failed Event invocation is written to the log with its request id and error", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const ids: string[] = [];
  for (const event of ['{"throw":"async boom"}', '{"chunks":2,"bytes":3,"failAfter":1}']) {
    const name = event.includes("chunks") ? "echo.stream" : "echo";
    const response = await invoke(emulator, name, event, { "X-Amz-Invocation-Type": "Event" });
    equal(response.status, 202);
    await response.body?.cancel();
    ids.push(response.headers.get("x-amzn-requestid") ?? "");
  }
  const [thrown, streamed] = ids;
  // Both streams' START lines have passed: a synchronous call then runs after them.
  await log.waitFor(new RegExp(`REPORT RequestId: ${streamed}`));
  await (await invoke(emulator, "echo", "{}")).body?.cancel();
  deepEqual(log.matching(new RegExp(`Event invocation ${thrown} failed`)), [
    `[echo] Event invocation ${thrown} failed: Error: async boom`,
  ]);
  const [line] = log.matching(new RegExp(`Event invocation ${streamed} failed`));
  match(
    line ?? "",
    new RegExp(`^\\[echo\\.stream\\] Event invocation ${streamed} failed: Error: stream failed`),
  );
});

Deno.test("A backlog of Event invocations runs each event once, in no more environments than the cap", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir, maxEnvironments: 2 });
  await using _ = emulator;
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const response = await invoke(emulator, "slow", '{"sleepMs":30}', {
      "X-Amz-Invocation-Type": "Event",
    });
    equal(response.status, 202);
    await response.body?.cancel();
    ids.push(response.headers.get("x-amzn-requestid") ?? "");
  }
  for (const id of ids) await log.waitFor(new RegExp(`^\\[slow\\] REPORT RequestId: ${id}\t`));
  equal(log.matching(/^\[slow\] REPORT/).length, 20);
  ok(log.matching(/^\[slow\] INIT_START/).length <= 2);
});

Deno.test("Event invocations past the queue's bound are refused with 429", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({
    handlersDir: dir,
    maxQueuedEvents: 2,
    maxEnvironments: 1,
  });
  await using _ = emulator;
  const statuses: number[] = [];
  let refused: Response | undefined;
  for (let i = 0; i < 4; i++) {
    const response = await invoke(emulator, "slow", '{"sleepMs":2000}', {
      "X-Amz-Invocation-Type": "Event",
    });
    statuses.push(response.status);
    if (response.status === 429) refused = response;
    else await response.body?.cancel();
  }
  // One running, two waiting, the fourth refused.
  deepEqual(statuses, [202, 202, 202, 429]);
  equal(refused?.headers.get("x-amzn-errortype"), "TooManyRequestsException");
  equal(refused?.headers.get("retry-after"), "1");
  const body = await refused?.json();
  equal(body.Reason, "FunctionInvocationRateLimitExceeded");
  match(body.message, /queue of Event invocations is full/);
});

async function readEvents(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return decodeMessages(bytes).map((m) => ({ type: m.headers[":event-type"], payload: m.payload }));
}

Deno.test("The streaming endpoint answers with PayloadChunk events, then InvokeComplete", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(
    `${emulator.url}2021-11-15/functions/echo.stream/response-streaming-invocations`,
    { method: "POST", body: '{"chunks":3,"bytes":5,"delayMs":20}' },
  );
  equal(response.status, 200);
  equal(response.headers.get("x-amz-executed-version"), "$LATEST");
  const events = await readEvents(response);
  deepEqual(events.map((e) => e.type), [
    "PayloadChunk",
    "PayloadChunk",
    "PayloadChunk",
    "InvokeComplete",
  ]);
  equal(new TextDecoder().decode(events[0]?.payload), "xxxxx");
  deepEqual(JSON.parse(new TextDecoder().decode(events[3]?.payload)), {});
});

Deno.test("A stream that fails part way ends with InvokeComplete naming the error", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(
    `${emulator.url}2021-11-15/functions/echo.stream/response-streaming-invocations`,
    { method: "POST", body: '{"chunks":3,"bytes":2,"failAfter":1}' },
  );
  const events = await readEvents(response);
  deepEqual(events.map((e) => e.type), ["PayloadChunk", "InvokeComplete"]);
  const complete = JSON.parse(new TextDecoder().decode(events[1]?.payload));
  ok(complete.ErrorCode);
  equal(JSON.parse(complete.ErrorDetails).errorMessage, "stream failed");
});

Deno.test("The streaming endpoint carries a buffered answer, and an error, as events", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const url = `${emulator.url}2021-11-15/functions/echo/response-streaming-invocations`;
  const ok1 = await readEvents(await fetch(url, { method: "POST", body: '{"a":1}' }));
  deepEqual(ok1.map((e) => e.type), ["PayloadChunk", "InvokeComplete"]);
  equal(new TextDecoder().decode(ok1[0]?.payload), '{"a":1}');
  const failed = await readEvents(await fetch(url, { method: "POST", body: '{"throw":"x"}' }));
  deepEqual(failed.map((e) => e.type), ["InvokeComplete"]);
  equal(JSON.parse(new TextDecoder().decode(failed[0]?.payload)).ErrorCode, "Function.Error");
});
