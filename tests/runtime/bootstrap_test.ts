/**
 * The real bootstrap (`deno run -A src/main.ts`) against the strict Runtime API server: what a
 * deployed function does, end to end.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { InvocationResult } from "../../src/emulator/runtime_api_server/server.ts";
import { handlersDir, SRC, startBootstrap } from "./_bootstrap_support.ts";

function text(result: InvocationResult): string {
  if (result.kind !== "response") throw new Error(`expected a response, got ${result.kind}`);
  return result.text();
}

function errorOf(result: InvocationResult) {
  if (result.kind !== "error") throw new Error(`expected an error, got ${result.kind}`);
  return result;
}

Deno.test("bootstrap echoes an event through the real runtime", async () => {
  await using b = await startBootstrap({ handler: "echo.handler" });
  const event = { hello: "world", nested: { list: [1, 2, 3] }, unicode: "héllo ✓" };
  deepEqual(JSON.parse(text(await b.server.invoke(event).result)), event);
  // And again, on the kept-alive connection.
  deepEqual(JSON.parse(text(await b.server.invoke([1, "two"]).result)), [1, "two"]);
});

Deno.test("bootstrap hands every /next header to the handler's context", async () => {
  const dir = await handlersDir({
    "ctx.ts": `import type { Context } from "${new URL("runtime/context.ts", SRC).href}";
    export function handler(_event: unknown, ctx: Context) {
      return {
        awsRequestId: ctx.awsRequestId, invokedFunctionArn: ctx.invokedFunctionArn,
        traceId: ctx.traceId, tenantId: ctx.tenantId, invocationId: ctx.invocationId,
        identity: ctx.identity, clientContext: ctx.clientContext, deadlineMs: ctx.deadlineMs,
        remaining: ctx.getRemainingTimeInMillis(), functionName: ctx.functionName,
        memoryLimitInMB: ctx.memoryLimitInMB, envTraceId: Deno.env.get("_X_AMZN_TRACE_ID"),
      };
    }`,
  });
  await using b = await startBootstrap({ handler: "ctx.handler", handlersDir: dir });
  const handle = b.server.invoke({}, {
    requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    tenantId: "tenant-42",
    invocationId: "attempt-7",
    clientContext: '{"custom":{"k":"v"}}',
    cognitoIdentity: '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}',
    timeoutMs: 5_000,
  });
  const seen = JSON.parse(text(await handle.result));
  equal(seen.awsRequestId, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  match(seen.invokedFunctionArn, /^arn:aws:lambda:/);
  equal(seen.traceId, handle.traceId);
  equal(seen.envTraceId, handle.traceId);
  equal(seen.tenantId, "tenant-42");
  equal(seen.invocationId, "attempt-7");
  deepEqual(seen.identity, { cognitoIdentityId: "id-1", cognitoIdentityPoolId: "pool-1" });
  deepEqual(seen.clientContext, { custom: { k: "v" } });
  ok(seen.remaining > 0 && seen.remaining <= 5_000);
  equal(typeof seen.deadlineMs, "number");
  equal(seen.functionName, "test-function");
  equal(seen.memoryLimitInMB, "256");
  const answer = b.server.requests.find((r) => r.route === "response");
  equal(answer?.headers.get("lambda-runtime-invocation-id"), "attempt-7");
  match(answer?.headers.get("user-agent") ?? "", /^lambdeno\/\d+\.\d+\.\d+/);
});

Deno.test("bootstrap gives each invocation its trace id in process.env without setenv", async () => {
  const dir = await handlersDir({
    "trace.ts": `import process from "node:process";
    export function handler() {
      // The process's real environment, as a child inherits it: setenv would have put every
      // trace id there, each kept by glibc for good.
      const child = new Deno.Command("printenv", { args: ["_X_AMZN_TRACE_ID"] }).outputSync();
      return {
        processEnv: process.env._X_AMZN_TRACE_ID,
        inEnviron: new TextDecoder().decode(child.stdout).trim().length,
      };
    }`,
  });
  await using b = await startBootstrap({ handler: "trace.handler", handlersDir: dir });
  for (const traceId of ["Root=1-00000000-000000000000000000000001", "Root=1-00000000-2"]) {
    const handle = b.server.invoke({}, { traceId });
    deepEqual(JSON.parse(text(await handle.result)), { processEnv: traceId, inEnviron: 0 });
  }
});

Deno.test("bootstrap reports a handler error and keeps serving", async () => {
  await using b = await startBootstrap({ handler: "echo.handler" });
  const failed = errorOf(await b.server.invoke({ throw: "card declined" }).result);
  equal(failed.errorType, "Function.Error");
  equal(failed.error.errorType, "Error");
  equal(failed.error.errorMessage, "card declined");
  ok(failed.error.trace.some((line) => line.includes("echo.ts")));
  deepEqual(JSON.parse(text(await b.server.invoke({ ok: true }).result)), { ok: true });
});

const LONG_NAMES = `
export function handler(event) {
  const error = new Error("m".repeat(event.message));
  error.name = "N".repeat(event.name);
  throw error;
}
`;

Deno.test("bootstrap reports errors with very long names and goes on", async () => {
  await using b = await startBootstrap({ handlers: { "h.ts": LONG_NAMES }, handler: "h.handler" });
  for (const [name, message] of [[70_000, 10], [4_500, 60_000]]) {
    const failed = errorOf(await b.server.invoke({ name, message }).result);
    ok(failed.errorType.startsWith("Function.NNN") && failed.errorType.length <= 128);
    equal(failed.error.errorType.length, name);
    equal(failed.error.errorMessage.length, message);
  }
});

const initFailures: [string, string | undefined, Record<string, string>, string, RegExp][] = [
  ["_HANDLER is unset", undefined, {}, "Runtime.MalformedHandlerName", /_HANDLER is not set/],
  [
    "the module does not exist",
    "nope.handler",
    {},
    "Runtime.ImportModuleError",
    /Cannot find module handlers\/nope/,
  ],
  [
    "the export does not exist",
    "fine.missing",
    { "fine.ts": "export const handler = () => 1;" },
    "Runtime.HandlerNotFound",
    /does not export "missing" \(its function exports: handler\)/,
  ],
  [
    "the export is not a function",
    "fine.value",
    { "fine.ts": "export const value = 42;" },
    "Runtime.HandlerNotFound",
    /exports "value" as a number, not a function/,
  ],
  [
    "the module throws while loading",
    "boom.handler",
    { "boom.ts": "throw new Error('missing TABLE_NAME');\nexport const handler = () => 1;" },
    "Runtime.ImportModuleError",
    /handlers\/boom\.ts: Error: missing TABLE_NAME/,
  ],
];

for (const [what, handler, files, type, message] of initFailures) {
  Deno.test(`bootstrap reports an init failure when ${what}, then exits non-zero`, async () => {
    const dir = await handlersDir(files);
    await using b = await startBootstrap({ handler, handlersDir: dir });
    const report = await b.server.initError;
    equal(report.errorType, type);
    equal(report.error.errorType, type);
    match(report.error.errorMessage, message);
    equal(await b.exited, 1);
    match(b.output(), new RegExp(`Init failed: ${type.replace(".", "\\.")}`));
  });
}

const badSettings: [string, string, RegExp][] = [
  ["AWS_LAMBDA_MAX_CONCURRENCY", "0", /AWS_LAMBDA_MAX_CONCURRENCY must be a positive integer/],
  ["LAMBDENO_DEADLINE_MARGIN_MS", "-5", /LAMBDENO_DEADLINE_MARGIN_MS must be a non-negative/],
  ["LAMBDENO_EXTENSION", "yes", /LAMBDENO_EXTENSION must be auto, on or off, got "yes"/],
];

for (const [name, value, message] of badSettings) {
  Deno.test(`bootstrap reports ${name}=${value} as an init failure, then exits non-zero`, async () => {
    await using b = await startBootstrap({ handler: "echo.handler", env: { [name]: value } });
    const report = await b.server.initError;
    equal(report.errorType, "Runtime.InvalidConfiguration");
    match(report.error.errorMessage, message);
    equal(await b.exited, 1);
  });
}

Deno.test("bootstrap exits non-zero when the Runtime API answers 500", async () => {
  await using b = await startBootstrap({ handler: "echo.handler" });
  await b.server.waitForPolls(1);
  b.server.failNext(500, { route: "next" });
  // The open poll is answered with the event; the pipelined poll behind its answer gets 500.
  b.server.invoke({});
  equal(await b.exited, 1);
  match(b.output(), /Exiting: RuntimeApiError: Runtime API answered 500 to GET \/next/);
});

Deno.test("bootstrap exits non-zero, saying so, when the Runtime API cannot be reached", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await using b = await startBootstrap({
    handler: "echo.handler",
    runtimeApi: `127.0.0.1:${port}`,
  });
  equal(await b.exited, 1);
  match(b.output(), new RegExp(`Cannot reach the Runtime API at 127\\.0\\.0\\.1:${port}`));
});

for (const runtimeApi of ["localhost", "127.0.0.1:0", "127.0.0.1:99999", "http://127.0.0.1:9001"]) {
  Deno.test(`bootstrap explains AWS_LAMBDA_RUNTIME_API=${runtimeApi} and exits non-zero`, async () => {
    await using b = await startBootstrap({ handler: "echo.handler", runtimeApi });
    equal(await b.exited, 1);
    match(b.output(), /Cannot start: AWS_LAMBDA_RUNTIME_API must be host:port/);
    ok(!/\n\s+at /.test(b.output()), "no stack trace");
  });
}

Deno.test("bootstrap logs an answer that came after the deadline (410) and goes on", async () => {
  await using b = await startBootstrap({ handler: "echo.handler" });
  const late = await b.server.invoke({ sleepMs: 300 }, { timeoutMs: 50 }).result;
  equal(late.kind, "timeout");
  deepEqual(JSON.parse(text(await b.server.invoke({ after: 1 }).result)), { after: 1 });
  match(b.output(), /arrived after its deadline; Lambda discarded it/);
});

Deno.test("bootstrap turns a response over 6 MB into Function.ResponseSizeTooLarge", async () => {
  const dir = await handlersDir({
    "big.ts": "export const handler = (e: { n: number }) => 'x'.repeat(e.n);",
  });
  await using b = await startBootstrap({ handler: "big.handler", handlersDir: dir });
  const result = errorOf(await b.server.invoke({ n: 7 * 1024 * 1024 }).result);
  equal(result.errorType, "Function.ResponseSizeTooLarge");
  equal(text(await b.server.invoke({ n: 3 }).result), '"xxx"');
  match(b.output(), /exceeded maximum allowed payload size \(6291556 bytes\)/);
});

Deno.test("bootstrap with AWS_LAMBDA_MAX_CONCURRENCY=4 runs four at once and keeps four polls open", async () => {
  await using b = await startBootstrap({
    handler: "echo.handler",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "4" },
  });
  await b.server.waitForPolls(4);
  equal(b.server.openPolls, 4);
  const handles = Array.from({ length: 8 }, (_, i) => b.server.invoke({ i, sleepMs: 150 }));
  await Promise.all(handles.slice(0, 4).map((h) => h.delivered));
  // Four run; the other four wait at the API, since no worker could take them.
  equal(b.server.openPolls, 0);
  equal(b.server.queued, 4);
  const results = await Promise.all(handles.map((h) => h.result));
  deepEqual(results.map((r) => JSON.parse(text(r)).i), [0, 1, 2, 3, 4, 5, 6, 7]);
  await b.server.waitForPolls(4);
  equal(b.server.maxOpenPolls, 4);
});

Deno.test("bootstrap keeps each concurrent invocation's own request id across awaits", async () => {
  const dir = await handlersDir({
    "ids.ts": `import { currentContext } from "${new URL("process/scope.ts", SRC).href}";
      export async function handler(event: { delays: number[] }) {
        const seen: (string | undefined)[] = [];
        for (const ms of event.delays) {
          await new Promise((r) => setTimeout(r, ms));
          seen.push(currentContext()?.awsRequestId);
        }
        return seen;
      }`,
  });
  await using b = await startBootstrap({
    handler: "ids.handler",
    handlersDir: dir,
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "8" },
  });
  const handles = Array.from(
    { length: 16 },
    (_, i) => b.server.invoke({ delays: [(i * 7) % 5, (i * 3) % 4, i % 3] }),
  );
  for (const handle of handles) {
    deepEqual(JSON.parse(text(await handle.result)), Array(3).fill(handle.requestId));
  }
});

Deno.test("bootstrap streams chunks to the Runtime API before the handler has finished", async () => {
  await using b = await startBootstrap({ handler: "echo.stream" });
  const handle = b.server.invoke({ chunks: 3, bytes: 4, delayMs: 100 });
  const result = await handle.result;
  if (result.kind !== "stream") throw new Error(`expected a stream, got ${result.kind}`);
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  let settledAtFirst: boolean | undefined;
  let settled = false;
  result.done.then(() => settled = true);
  for await (const chunk of result.chunks) {
    settledAtFirst ??= settled;
    chunks.push(decoder.decode(chunk));
  }
  equal(settledAtFirst, false);
  equal(chunks.join(""), "xxxxxxxxxxxx");
  ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
  const end = await result.done;
  equal(end.complete, true);
  equal(end.errorType, undefined);
});

Deno.test("bootstrap ends a stream that fails mid-way with the error trailers", async () => {
  await using b = await startBootstrap({ handler: "echo.stream" });
  const result = await b.server.invoke({ chunks: 3, bytes: 2, failAfter: 2 }).result;
  if (result.kind !== "stream") throw new Error(`expected a stream, got ${result.kind}`);
  let body = "";
  for await (const chunk of result.chunks) body += new TextDecoder().decode(chunk);
  equal(body, "xxxx");
  const end = await result.done;
  equal(end.errorType, "Error");
  const error = end.errorBody as { errorType: string; errorMessage: string };
  equal(error.errorType, "Error");
  equal(error.errorMessage, "stream failed");
});

Deno.test("bootstrap loads a handler from a directory whose path has #, ? and %", async () => {
  // Path characters that are URL syntax: a URL made by concatenation cuts or decodes the path.
  const dir = `${await handlersDir({})}/a#b?c%41 d`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/echo.ts`, "export const handler = (event: unknown) => event;\n");
  await using b = await startBootstrap({ handler: "echo.handler", handlersDir: dir });
  const failed = b.server.initError.then((report) => {
    throw new Error(`init failed: ${report.error.errorMessage}`);
  });
  const result = await Promise.race([b.server.invoke({ hello: "#%" }).result, failed]);
  deepEqual(JSON.parse(text(result)), { hello: "#%" });
});
