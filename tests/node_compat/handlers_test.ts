import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { InvocationContext } from "../../src/runtime/context.ts";
import type { Context, Handler } from "../../src/runtime/context.ts";
import type { RuntimeError } from "../../src/runtime/errors.ts";
import {
  adaptHandler,
  type CallbackContext,
  HANDLER_STREAMING,
  type NodeCallback,
} from "../../src/node_compat/handlers.ts";
import { invocation } from "../runtime/_fake_runtime_api.ts";
import { startBootstrap } from "../runtime/_bootstrap_support.ts";

const info = {
  functionName: "f",
  functionVersion: "$LATEST",
  memoryLimitInMB: "128",
  logGroupName: "g",
  logStreamName: "s",
};

function context(): InvocationContext {
  return new InvocationContext(invocation({ deadlineMs: Date.now() + 10_000 }), info);
}

type NodeContext = Context & CallbackContext;

async function adapt(fn: (...args: never[]) => unknown, warnings: string[] = []): Promise<Handler> {
  return await adaptHandler(fn, { warn: (m) => warnings.push(m) });
}

Deno.test("adaptHandler() returns a two-parameter handler itself", async () => {
  const fn = (event: unknown, _ctx: Context) => event;
  equal(await adapt(fn), fn);
});

Deno.test("a callback handler answers with callback(null, result), called later", async () => {
  const handler = await adapt((event: unknown, _ctx: NodeContext, cb: NodeCallback) => {
    setTimeout(() => cb(null, { echoed: event }), 1);
  });
  deepEqual(await handler({ a: 1 }, context()), { echoed: { a: 1 } });
});

Deno.test("a callback handler fails with callback(error)", async () => {
  const handler = await adapt((_e: unknown, _c: NodeContext, cb: NodeCallback) => {
    cb(new TypeError("bad"));
  });
  await rejects(Promise.resolve(handler({}, context())), { name: "TypeError", message: "bad" });
});

Deno.test("a callback handler that throws fails its invocation", async () => {
  const handler = await adapt((_e: unknown, _c: NodeContext, _cb: NodeCallback) => {
    throw new Error("boom");
  });
  await rejects(Promise.resolve(handler({}, context())), { message: "boom" });
});

Deno.test("a callback called twice answers once and warns about the second call", async () => {
  const warnings: string[] = [];
  const handler = await adapt((_e: unknown, _c: NodeContext, cb: NodeCallback) => {
    cb(null, "first");
    cb(null, "second");
    cb(new Error("third"));
  }, warnings);
  equal(await handler({}, context()), "first");
  equal(warnings.length, 2);
  match(warnings[0]!, /Ignored callback\(\): invocation 8476a536-\S+ already has its answer/);
});

Deno.test("an async callback handler answers with whichever comes first", async () => {
  const warnings: string[] = [];
  const viaCallback = await adapt(async (_e: unknown, _c: NodeContext, cb: NodeCallback) => {
    cb(null, "callback");
    await Promise.resolve();
    return "promise";
  }, warnings);
  equal(await viaCallback({}, context()), "callback");
  const viaPromise = await adapt(async (_e: unknown, _c: NodeContext, cb: NodeCallback) => {
    setTimeout(() => cb(null, "callback"), 5);
    return await Promise.resolve("promise");
  }, warnings);
  equal(await viaPromise({}, context()), "promise");
  const rejected = await adapt(async (_e: unknown, _c: NodeContext, _cb: NodeCallback) => {
    await Promise.resolve();
    throw new Error("async boom");
  });
  await rejects(Promise.resolve(rejected({}, context())), { message: "async boom" });
  // The promise settling after the callback is the ordinary async style: no warning.
  deepEqual(warnings, []);
});

Deno.test("context.succeed, context.fail and context.done answer a callback handler", async () => {
  const succeed = await adapt((_e: unknown, ctx: NodeContext, _cb: NodeCallback) => {
    ctx.succeed({ ok: true });
  });
  deepEqual(await succeed({}, context()), { ok: true });
  const fail = await adapt((_e: unknown, ctx: NodeContext, _cb: NodeCallback) => {
    ctx.fail(new Error("failed"));
  });
  await rejects(Promise.resolve(fail({}, context())), { message: "failed" });
  const failHandled = await adapt((_e: unknown, ctx: NodeContext, _cb: NodeCallback) => {
    ctx.fail();
  });
  await rejects(Promise.resolve(failHandled({}, context())), (e) => e === "handled");
  const warnings: string[] = [];
  const done = await adapt((_e: unknown, ctx: NodeContext, cb: NodeCallback) => {
    ctx.done(null, 42);
    cb(null, 43);
  }, warnings);
  equal(await done({}, context()), 42);
  equal(warnings.length, 1);
});

Deno.test("callbackWaitsForEmptyEventLoop stays settable and does not hold the answer", async () => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const handler = await adapt((_e: unknown, ctx: NodeContext, cb: NodeCallback) => {
    equal(ctx.callbackWaitsForEmptyEventLoop, true);
    ctx.callbackWaitsForEmptyEventLoop = true;
    timer = setTimeout(() => {}, 60_000);
    cb(null, "now");
  });
  try {
    equal(await handler({}, context()), "now");
  } finally {
    clearTimeout(timer);
  }
});

Deno.test("adaptHandler() refuses a streaming mark other than response streaming", async () => {
  const fn = Object.assign(async () => {}, { [HANDLER_STREAMING]: "request" });
  await rejects(adapt(fn), (error) => {
    equal((error as RuntimeError).errorType, "Runtime.MalformedStreamingHandler");
    return true;
  });
});

Deno.test("bootstrap answers a Node.js callback handler with its callback's result", async () => {
  await using b = await startBootstrap({
    handler: "cb.handler",
    handlers: {
      "cb.js": `export function handler(event, context, callback) {
        if (event.fail) return callback(new Error("declined"));
        setTimeout(() => { callback(null, { id: context.awsRequestId }); callback(null, 2); }, 1);
      }`,
    },
  });
  const ok = await b.server.invoke({}, { requestId: "req-cb-1" }).result;
  if (ok.kind !== "response") throw new Error(`expected a response, got ${ok.kind}`);
  deepEqual(ok.json(), { id: "req-cb-1" });
  await b.waitForLine((line) => line.includes("Ignored callback()"));
  const failed = await b.server.invoke({ fail: true }).result;
  if (failed.kind !== "error") throw new Error(`expected an error, got ${failed.kind}`);
  equal(failed.error.errorMessage, "declined");
});
