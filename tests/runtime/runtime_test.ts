import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import type { Context, Handler } from "../../src/runtime/context.ts";
import { RuntimeApiError } from "../../src/runtime/errors.ts";
import { Pollers } from "../../src/runtime/pollers.ts";
import { Runtime, type RuntimeOptions } from "../../src/runtime/runtime.ts";
import { ErrorRecord, installConsoleLogging } from "../../src/process/logging.ts";
import { currentContext } from "../../src/process/scope.ts";
import { StreamingResponse } from "../../src/runtime/streaming.ts";
import {
  type Answer,
  FakeRuntimeApi,
  FakeStopped,
  invocation as anInvocation,
} from "./_fake_runtime_api.ts";

const info = {
  functionName: "fake",
  functionVersion: "7",
  memoryLimitInMB: "512",
  logGroupName: "/aws/lambda/fake",
  logStreamName: "2026/11/27/[7]abc",
};

interface Harness {
  api: FakeRuntimeApi;
  runtime: Runtime;
  logs: string[];
  traceIds: (string | undefined)[];
  done: Promise<void>;
  stop(): Promise<void>;
}

function start(handler: Handler, options: Partial<RuntimeOptions> = {}): Harness {
  const api = new FakeRuntimeApi();
  const logs: string[] = [];
  const traceIds: (string | undefined)[] = [];
  const pollers = new Pollers(api, { slots: options.concurrency ?? 1 });
  const runtime = new Runtime({
    answers: pollers.answers,
    handler,
    info,
    log: (level, ...args) =>
      logs.push(
        [
          level,
          ...args.map((a) => a instanceof ErrorRecord ? `${a.error.name}: ${a.error.message}` : a),
        ]
          .join(" "),
      ),
    onTraceId: (id) => traceIds.push(id),
    ...options,
  });
  const done = runtime.run(pollers.invocations);
  return {
    api,
    runtime,
    logs,
    traceIds,
    done,
    async stop() {
      api.stop();
      await rejects(done, FakeStopped);
    },
  };
}

function errorOf(answer: Answer) {
  if (answer.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(answer)}`);
  return answer.error;
}

Deno.test("Runtime answers with the handler's result as JSON", async () => {
  const h = start((event) => event);
  const { answer } = h.api.push({ hello: "world", n: [1, 2] });
  deepEqual(await answer, { kind: "response", json: '{"hello":"world","n":[1,2]}' });
  await h.stop();
});

Deno.test("Runtime sends an undefined result as null", async () => {
  const h = start(() => undefined);
  deepEqual(await h.api.push({}).answer, { kind: "response", json: "null" });
  await h.stop();
});

Deno.test("Runtime hands every /next header to the context", async () => {
  let seen: Context | undefined;
  const now = 1_000_000;
  const h = start((_event, ctx) => {
    seen = ctx;
    return null;
  }, { now: () => now });
  await h.api.push({}, {
    requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    deadlineMs: now + 2_500,
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:fake:prod",
    traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    clientContext: '{"client":{"appTitle":"app"},"custom":{"k":"v"},"env":{"platform":"ios"}}',
    cognitoIdentity: '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}',
    tenantId: "tenant-42",
    invocationId: "attempt-3",
  }).answer;
  ok(seen);
  equal(seen.awsRequestId, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  equal(seen.invokedFunctionArn, "arn:aws:lambda:eu-west-1:123456789012:function:fake:prod");
  equal(seen.traceId, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
  equal(seen.tenantId, "tenant-42");
  equal(seen.invocationId, "attempt-3");
  equal(seen.deadlineMs, now + 2_500);
  equal(seen.getRemainingTimeInMillis(), 2_500);
  deepEqual(seen.identity, { cognitoIdentityId: "id-1", cognitoIdentityPoolId: "pool-1" });
  deepEqual(seen.clientContext, {
    client: { appTitle: "app" },
    custom: { k: "v" },
    env: { platform: "ios" },
  });
  equal(seen.functionName, "fake");
  equal(seen.functionVersion, "7");
  equal(seen.memoryLimitInMB, "512");
  equal(seen.logGroupName, "/aws/lambda/fake");
  equal(seen.logStreamName, "2026/11/27/[7]abc");
  equal(seen.callbackWaitsForEmptyEventLoop, true);
  await h.stop();
});

Deno.test("Runtime reports a thrown Error with its name, message and stack", async () => {
  class ValidationError extends Error {}
  const h = start(() => {
    throw new ValidationError("amount must be positive");
  });
  const error = errorOf(await h.api.push({}).answer);
  // Node reports error.name: a subclass that does not set it is an Error.
  equal(error.errorType, "Error");
  equal(error.errorMessage, "amount must be positive");
  equal(error.trace[0], "Error: amount must be positive");
  ok(error.trace.slice(1).every((line) => line.startsWith("    at ")), error.trace.join("\n"));
  await h.stop();
});

Deno.test("Runtime reports thrown non-Error values by their typeof, as Node does", async () => {
  const thrown: unknown[] = ["plain string", { code: 7 }, 42];
  let i = 0;
  const h = start(() => {
    throw thrown[i++];
  });
  const errors = [];
  for (let n = 0; n < thrown.length; n++) errors.push(errorOf(await h.api.push({}).answer));
  deepEqual(errors, [
    { errorType: "string", errorMessage: "plain string", trace: [] },
    { errorType: "object", errorMessage: "[object Object]", trace: [] },
    { errorType: "number", errorMessage: "42", trace: [] },
  ]);
  await h.stop();
});

Deno.test("Runtime reports a result that cannot be serialised, and goes on", async () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const results: unknown[] = [circular, { n: 10n }, { fine: true }];
  let i = 0;
  const h = start(() => results[i++]);
  // Node 22's type and message.
  for (let n = 0; n < 2; n++) {
    const error = errorOf(await h.api.push({}).answer);
    equal(error.errorType, "Error");
    equal(error.errorMessage, "Unable to stringify response body");
    equal(error.trace[0], "Error: Unable to stringify response body");
  }
  deepEqual(await h.api.push({}).answer, { kind: "response", json: '{"fine":true}' });
  await h.stop();
});

Deno.test("Runtime keeps its worker after a handler failure", async () => {
  const h = start((event) => {
    if ((event as { fail?: boolean }).fail) throw new Error("boom");
    return "ok";
  });
  equal(errorOf(await h.api.push({ fail: true }).answer).errorMessage, "boom");
  deepEqual(await h.api.push({}).answer, { kind: "response", json: '"ok"' });
  await h.stop();
});

Deno.test("Runtime reports a malformed event as Runtime.MalformedEvent", async () => {
  const h = start(() => "never");
  const error = errorOf(await h.api.push(undefined, { body: "{not json" }).answer);
  equal(error.errorType, "Runtime.MalformedEvent");
  await h.stop();
});

Deno.test("Runtime logs a 410 answer and goes on", async () => {
  const h = start((event) => event);
  h.api.status = (_kind, inv) => inv.requestId === "late" ? 410 : 202;
  await h.api.push({}, { requestId: "late" }).answer;
  deepEqual(await h.api.push({ next: 1 }).answer, { kind: "response", json: '{"next":1}' });
  deepEqual(h.logs, ["WARN The response for late arrived after its deadline; Lambda discarded it"]);
  await h.stop();
});

Deno.test("Runtime logs a 400 answer and goes on", async () => {
  const h = start((event) => event);
  h.api.status = (_kind, inv) => inv.requestId === "dup" ? 400 : 202;
  await h.api.push({}, { requestId: "dup" }).answer;
  deepEqual(await h.api.push(1).answer, { kind: "response", json: "1" });
  deepEqual(h.logs, ["WARN The Runtime API rejected the response for dup with status 400"]);
  await h.stop();
});

Deno.test("Runtime turns a 413 into Function.ResponseSizeTooLarge", async () => {
  const h = start(() => "x".repeat(100));
  h.api.status = (kind) => kind === "response" ? 413 : 202;
  const error = errorOf(await h.api.push({}).answer);
  equal(error.errorType, "Function.ResponseSizeTooLarge");
  match(error.errorMessage, /Response payload size \(102 bytes\) exceeded maximum allowed/);
  equal(h.logs.length, 1);
  match(h.logs[0]!, /^ERROR Invoke Error RuntimeError: Response payload size/);
  await h.stop();
});

Deno.test("Runtime.run() rejects when the Runtime API fails", async () => {
  const api = new FakeRuntimeApi();
  api.nextError = new RuntimeApiError("Runtime API answered 500 to GET /next: boom");
  const pollers = new Pollers(api, { slots: 3 });
  const runtime = new Runtime({
    answers: pollers.answers,
    handler: (e) => e,
    info,
    concurrency: 3,
  });
  await rejects(runtime.run(pollers.invocations), /answered 500 to GET \/next/);
});

Deno.test("Runtime with concurrency 4 runs four invocations at once", async () => {
  const gate = Promise.withResolvers<void>();
  let running = 0;
  let peak = 0;
  const h = start(async (event) => {
    running++;
    peak = Math.max(peak, running);
    await gate.promise;
    running--;
    return event;
  }, { concurrency: 4 });
  await h.api.waitForPolls(4);
  equal(h.api.openPolls, 4);
  const answers = Array.from({ length: 6 }, (_, i) => h.api.push(i).answer);
  // Four are handed out; two wait at the API because no worker is free to take them.
  await new Promise((resolve) => setTimeout(resolve, 0));
  equal(h.api.held, 4);
  equal(h.api.openPolls, 0);
  gate.resolve();
  const results = await Promise.all(answers);
  deepEqual(results.map((a) => a.kind === "response" && a.json), ["0", "1", "2", "3", "4", "5"]);
  equal(peak, 4);
  equal(h.api.maxHeld, 4);
  await h.api.waitForPolls(4);
  equal(h.api.openPolls, 4);
  await h.stop();
});

Deno.test("Runtime never holds more invocations than free workers", async () => {
  const gates = new Map<number, PromiseWithResolvers<void>>();
  const h = start(async (event) => {
    const gate = Promise.withResolvers<void>();
    gates.set(event as number, gate);
    await gate.promise;
    return event;
  }, { concurrency: 2 });
  const answers = Array.from({ length: 5 }, (_, i) => h.api.push(i).answer);
  for (let i = 0; i < 5; i++) {
    while (!gates.has(i)) await new Promise((resolve) => setTimeout(resolve, 0));
    ok(h.api.held <= 2, `held ${h.api.held} with two workers`);
    gates.get(i)!.resolve();
  }
  await Promise.all(answers);
  equal(h.api.maxHeld, 2);
  await h.stop();
});

Deno.test("Runtime gives each concurrent invocation its own async context", async () => {
  const h = start(async (_event, ctx) => {
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      seen.push(currentContext()?.awsRequestId);
    }
    return seen.every((id) => id === ctx.awsRequestId);
  }, { concurrency: 8 });
  const answers = await Promise.all(Array.from({ length: 16 }, () => h.api.push({}).answer));
  deepEqual(answers.map((a) => a.kind === "response" && a.json), Array(16).fill("true"));
  equal(currentContext(), undefined);
  await h.stop();
});

Deno.test("Runtime sets the trace id per invocation only when one runs at a time", async () => {
  const single = start(() => null);
  await single.api.push({}, { traceId: "Root=1-a" }).answer;
  await single.api.push({}).answer;
  deepEqual(single.traceIds, ["Root=1-a", undefined]);
  await single.stop();
  const many = start(() => null, { concurrency: 2 });
  await many.api.push({}, { traceId: "Root=1-b" }).answer;
  deepEqual(many.traceIds, []);
  await many.stop();
});

Deno.test("Runtime's context signal aborts at the deadline less the margin", async () => {
  let clock = 5_000;
  const h = start(async (_event, ctx) => {
    equal(ctx.signal.aborted, false);
    clock = 9_000; // the fake clock jumps; the timer was armed for what was left then
    const reason = await new Promise((resolve) => {
      ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason));
    });
    return reason instanceof DOMException ? reason.name : "other";
  }, { now: () => clock, deadlineMarginMs: 990 });
  const answer = await h.api.push({}, { deadlineMs: 6_000 }).answer;
  deepEqual(answer, { kind: "response", json: '"TimeoutError"' });
  equal(clock, 9_000);
  await h.stop();
});

Deno.test("Runtime's context signal is already aborted when the deadline has passed", async () => {
  const h = start((_event, ctx) => ctx.signal.aborted, { now: () => 10_000 });
  deepEqual(await h.api.push({}, { deadlineMs: 9_000 }).answer, {
    kind: "response",
    json: "true",
  });
  await h.stop();
});

Deno.test("Runtime.abortAll() aborts every running invocation's signal", async () => {
  const started = Promise.withResolvers<void>();
  const h = start(async (_event, ctx) => {
    started.resolve();
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    return String(ctx.signal.reason);
  });
  const { answer } = h.api.push({});
  await started.promise;
  h.runtime.abortAll("shutting down");
  deepEqual(await answer, { kind: "response", json: '"shutting down"' });
  await h.stop();
});

Deno.test("Runtime streams a StreamingResponse result", async () => {
  const h = start(() =>
    new StreamingResponse(
      (async function* () {
        yield "a";
        yield new TextEncoder().encode("b");
      })(),
      { contentType: "text/plain" },
    )
  );
  deepEqual(await h.api.push({}).answer, { kind: "stream", contentType: "text/plain", text: "ab" });
  await h.stop();
});

Deno.test("Runtime reports a stream that fails before its first chunk as an error", async () => {
  const h = start(() =>
    new StreamingResponse(
      new ReadableStream<Uint8Array>({
        pull() {
          throw new RangeError("no data");
        },
      }),
    )
  );
  const error = errorOf(await h.api.push({}).answer);
  equal(error.errorType, "RangeError");
  equal(error.errorMessage, "no data");
  await h.stop();
});

Deno.test("Runtime logs a stream that fails after it started", async () => {
  const h = start(() =>
    new StreamingResponse(
      (async function* () {
        yield "partial";
        throw new Error("stream failed");
      })(),
    )
  );
  const answer = await h.api.push({}).answer;
  equal(answer.kind, "stream");
  await h.api.push({}).answer; // the worker logs before it takes the next invocation
  // Node's line, in the invocation's scope.
  deepEqual(h.logs, ["ERROR Invoke Error Error: stream failed"]);
  await h.stop();
});

Deno.test("Runtime.failInvocation() answers a running invocation with the error, once", async () => {
  const started = Promise.withResolvers<Context>();
  const release = Promise.withResolvers<void>();
  const h = start(async (_event, ctx) => {
    started.resolve(ctx);
    await release.promise;
    return "late result";
  });
  const { answer } = h.api.push({});
  const ctx = await started.promise;
  const id = ctx.awsRequestId;
  equal(h.runtime.failInvocation(ctx, new TypeError("floating promise")), true);
  const error = errorOf(await answer);
  equal(error.errorType, "TypeError");
  equal(error.errorMessage, "floating promise");
  // The second failure and the handler's own result find the invocation closed.
  equal(h.runtime.failInvocation(ctx, new Error("again")), false);
  release.resolve();
  deepEqual(await h.api.push("next").answer, { kind: "response", json: '"late result"' });
  equal(h.api.answers.filter((a) => a.requestId === id).length, 1);
  await h.stop();
});

Deno.test("Runtime.failInvocation() is false for an invocation already answered", async () => {
  let seen: Context | undefined;
  const h = start((_event, ctx) => {
    seen = ctx;
    return Promise.resolve(1);
  });
  deepEqual(await h.api.push({}).answer, { kind: "response", json: "1" });
  ok(seen);
  equal(h.runtime.failInvocation(seen, new Error("too late")), false);
  equal(h.runtime.failInvocation({ ...seen }, new Error("never ran")), false);
  await h.stop();
});

Deno.test("Runtime reports a handler that returns a locked stream, and goes on", async () => {
  const h = start((event) => {
    if (event === "next") return "fine";
    const stream = new ReadableStream<Uint8Array>();
    stream.getReader(); // locked: it can no longer be read by anyone else
    return stream;
  }, { concurrency: 2 });
  const error = errorOf(await h.api.push({}).answer);
  equal(error.errorType, "TypeError");
  deepEqual(await h.api.push("next").answer, { kind: "response", json: '"fine"' });
  await h.stop();
});

Deno.test("Runtime reports a result over 6 MB without sending it", async () => {
  const h = start(() => "x".repeat(7 * 1024 * 1024));
  const error = errorOf(await h.api.push({}).answer);
  equal(error.errorType, "Function.ResponseSizeTooLarge");
  match(error.errorMessage, /\(7340034 bytes\) exceeded maximum allowed payload size/);
  deepEqual(h.api.answers.map((a) => a.answer.kind), ["error"]);
  await h.stop();
});

Deno.test("Runtime streams byte views and ArrayBuffers, and fails a stream of other values", async () => {
  const h = start((event) =>
    new StreamingResponse(
      (async function* () {
        yield new Uint16Array([0x6968]) as unknown as Uint8Array; // "hi" in little-endian
        yield new TextEncoder().encode("!").buffer as unknown as Uint8Array;
        if (event === "bad") yield 42 as unknown as Uint8Array;
      })(),
    )
  );
  deepEqual(await h.api.push("good").answer, {
    kind: "stream",
    contentType: "application/octet-stream",
    text: "hi!",
  });
  await h.api.push("bad").answer;
  await h.api.push("good").answer; // the worker logs before it takes the next invocation
  match(h.logs.join("\n"), /Invoke Error TypeError: Cannot stream a chunk of type number/);
  await h.stop();
});

Deno.test("Runtime fails only its own invocation for any hostile thrown value", async () => {
  const boom = () => {
    throw new Error("getter");
  };
  const hostile: (() => unknown)[] = [
    () => Object.defineProperty(new Error("x"), "message", { get: boom }),
    () => Object.defineProperty(new Error("x"), "name", { get: boom }),
    () => Object.defineProperty(new Error("x"), "stack", { get: boom }),
    () => Object.defineProperty(new Error("x"), "cause", { get: boom }),
    () => new Proxy({}, { get: boom, has: boom, getPrototypeOf: boom }),
    () => new Proxy(new Error("x"), { get: boom }),
    () => ({ message: { toString: boom } }),
    () => ({ toString: boom, toJSON: boom }),
    () => null,
    () => Symbol("odd"),
    () => Object.create(null),
    () => Object.defineProperty(new Error("x"), "message", { get: () => ({ toString: boom }) }),
  ];
  const gate = Promise.withResolvers<void>();
  const h = start(async (event) => {
    const n = event as number;
    if (n < 0) {
      await gate.promise;
      return "survivor";
    }
    throw hostile[n]!();
  }, { concurrency: 2 });
  // One invocation stays in flight on the other worker while every hostile value is thrown.
  const survivor = h.api.push(-1).answer;
  for (let n = 0; n < hostile.length; n++) {
    const error = errorOf(await h.api.push(n).answer);
    equal(typeof error.errorType, "string", `value ${n}`);
    equal(typeof error.errorMessage, "string", `value ${n}`);
    ok(Array.isArray(error.trace), `value ${n}`);
  }
  gate.resolve();
  deepEqual(await survivor, { kind: "response", json: '"survivor"' });
  await h.stop();
});

Deno.test("Runtime fails the invocation whose result is a Proxy that throws, and goes on", async () => {
  const trap = () => {
    throw new Error("trap");
  };
  const h = start((event) =>
    event === 1 ? new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap }) : event
  );
  equal(errorOf(await h.api.push(1).answer).errorType, "Error");
  deepEqual(await h.api.push(2).answer, { kind: "response", json: "2" });
  await h.stop();
});

Deno.test("Runtime logs an Invoke Error line for each failed invocation, in its scope", async () => {
  const scoped: (string | undefined)[] = [];
  const records: ErrorRecord[] = [];
  const h = start((event) => {
    if (event === "throw") throw new TypeError("bad input");
    return event;
  }, {
    log: (level, message, record) => {
      scoped.push(currentContext()?.awsRequestId);
      equal(level, "ERROR");
      equal(message, "Invoke Error");
      ok(record instanceof ErrorRecord);
      records.push(record);
    },
  });
  await h.api.push("ok").answer;
  const { invocation, answer } = h.api.push("throw");
  errorOf(await answer);
  deepEqual(scoped, [invocation.requestId]);
  equal(records[0]!.error.name, "TypeError");
  equal(records[0]!.error.message, "bad input");
  await h.stop();
});

Deno.test("Runtime's Invoke Error line honours the log level", async () => {
  for (const [minLevel, expected] of [["ERROR", 1], ["FATAL", 0]] as const) {
    const lines: string[] = [];
    const log = installConsoleLogging({} as Console, {
      format: "JSON",
      minLevel,
      scope: currentContext,
      write: (line) => lines.push(line),
    });
    const h = start(() => {
      throw new Error("boom");
    }, { log });
    const { invocation, answer } = h.api.push({});
    errorOf(await answer);
    equal(lines.length, expected, minLevel);
    if (expected === 1) equal(JSON.parse(lines[0]!).requestId, invocation.requestId);
    await h.stop();
  }
});

Deno.test("Runtime.run() runs any stream of invocations, without a Runtime API", async () => {
  const answered: string[] = [];
  const runtime = new Runtime({
    answers: {
      respond: (
        invocation,
        json,
      ) => (answered.push(`${invocation.requestId}=${json}`), Promise.resolve(202)),
      respondStream: () => Promise.reject(new Error("unused")),
      fail: (
        invocation,
        error,
      ) => (answered.push(`${invocation.requestId}!${error.errorMessage}`), Promise.resolve(202)),
    },
    handler: (event) => {
      if (event === 2) throw new Error("two");
      return event;
    },
    info,
    concurrency: 2,
    log: () => {},
  });
  async function* invocations() {
    for (let n = 1; n <= 4; n++) yield anInvocation({ requestId: `r${n}`, body: String(n) });
  }
  await runtime.run(invocations());
  deepEqual(answered.sort(), ["r1=1", "r2!two", "r3=3", "r4=4"]);
});

Deno.test("Runtime fails the invocation whose promise's then() throws, and goes on", async () => {
  const h = start((event) => {
    if (event !== 1) return event;
    const promise = Promise.resolve("never read");
    promise.then = () => {
      throw new Error("then trap");
    };
    return promise;
  });
  equal(errorOf(await h.api.push(1).answer).errorMessage, "then trap");
  deepEqual(await h.api.push(2).answer, { kind: "response", json: "2" });
  await h.stop();
});
