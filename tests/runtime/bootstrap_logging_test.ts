// The real bootstrap as a child process: what it writes to stdout, how it reports faults, and
// how it shuts down.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { MOD_URL, startBootstrap } from "./_bootstrap_support.ts";

const TEXT_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\t([^\t]+)\t([A-Z]+)\t(.*)$/s;

const LOGGER = `
export async function handler(event) {
  for (const [method, text] of event.calls) console[method](text);
  if (event.error) console.error("failed:", new RangeError(event.error));
  if (event.object) console.info(event.object);
  return "ok";
}
`;

const CALLS = [
  ["trace", "t"],
  ["debug", "d"],
  ["log", "l"],
  ["info", "i"],
  ["warn", "w"],
  ["error", "e"],
];

Deno.test("bootstrap writes TEXT lines with the request id, every level, multi-line as one line", async () => {
  await using b = await startBootstrap({
    handlers: { "h.ts": LOGGER },
    handler: "h.handler",
    // Lambda filters by level only in JSON; in TEXT every line is written.
    env: { AWS_LAMBDA_LOG_LEVEL: "ERROR" },
  });
  const handle = b.server.invoke({ calls: [...CALLS, ["log", "first\nsecond\nthird"]] });
  equal((await handle.result).kind, "response");
  const mine = b.lines.filter((line) => line.includes(`\t${handle.requestId}\t`));
  deepEqual(
    mine.map((line) => {
      const [, , id, level, message] = TEXT_LINE.exec(line) ?? [];
      equal(id, handle.requestId);
      return `${level} ${message}`;
    }),
    ["TRACE t", "DEBUG d", "INFO l", "INFO i", "WARN w", "ERROR e", "INFO first\rsecond\rthird"],
  );
});

Deno.test("bootstrap writes JSON lines, filters by AWS_LAMBDA_LOG_LEVEL, keeps objects and errors structured", async () => {
  await using b = await startBootstrap({
    handlers: { "h.ts": LOGGER },
    handler: "h.handler",
    env: { AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "INFO" },
  });
  const handle = b.server.invoke({ calls: CALLS, error: "too far", object: { user: { id: 7 } } });
  equal((await handle.result).kind, "response");
  const records = b.lines.map((line) => JSON.parse(line)).filter((r) =>
    r.requestId === handle.requestId
  );
  deepEqual(records.map((r) => `${r.level} ${typeof r.message}`), [
    "INFO string",
    "INFO string",
    "WARN string",
    "ERROR string",
    "ERROR string",
    "INFO object",
  ]);
  for (const r of records) ok(!Number.isNaN(Date.parse(r.timestamp)));
  const failed = records[4];
  equal(failed.errorType, "RangeError");
  equal(failed.errorMessage, "too far");
  ok(Array.isArray(failed.stackTrace) && failed.stackTrace[0] === "RangeError: too far");
  deepEqual(records[5].message, { user: { id: 7 } });
});

const THROWER = `
export function handler(event) {
  if (event.mark) return console.log("mark");
  throw new TypeError("no such order");
}
`;

Deno.test("bootstrap logs a failed invocation as an Invoke Error line, in TEXT and JSON", async () => {
  for (const format of ["TEXT", "JSON"]) {
    await using b = await startBootstrap({
      handlers: { "h.ts": THROWER },
      handler: "h.handler",
      env: { AWS_LAMBDA_LOG_FORMAT: format },
    });
    const handle = b.server.invoke({});
    equal((await handle.result).kind, "error");
    // Lines are written in order: once the next invocation's line is read, so is this one.
    await b.server.invoke({ mark: true }).result;
    await b.waitForLine((l) => l.includes("mark"));
    if (format === "TEXT") {
      const line = b.lines.find((l) => l.includes("Invoke Error")) ?? "no Invoke Error line";
      const [, , id, level, message] = TEXT_LINE.exec(line) ?? [];
      deepEqual([id, level], [handle.requestId, "ERROR"]);
      ok(message!.startsWith("Invoke Error \t{"), message);
      const body = JSON.parse(message!.slice("Invoke Error \t".length));
      deepEqual([body.errorType, body.errorMessage], ["TypeError", "no such order"]);
      equal(body.stack[0], "TypeError: no such order");
    } else {
      // Node logs the error alone, nested under message.
      const line = b.lines.find((l) => l.includes('"errorMessage":"no such order"')) ?? "none";
      const record = JSON.parse(line);
      deepEqual(
        [record.level, record.requestId, record.message.errorType, record.message.errorMessage],
        ["ERROR", handle.requestId, "TypeError", "no such order"],
      );
      equal(record.message.stackTrace[0], "TypeError: no such order");
    }
  }
});

Deno.test("bootstrap tags each line with its own request id at concurrency 8", async () => {
  await using b = await startBootstrap({
    handlers: {
      "h.ts": `
export async function handler(event) {
  for (let i = 0; i < 5; i++) {
    console.log("tag=" + event.tag + " step=" + i);
    await new Promise((resolve) => setTimeout(resolve, (event.tag * 7 + i * 3) % 5));
  }
  return event.tag;
}
`,
    },
    handler: "h.handler",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "8" },
  });
  await b.server.waitForPolls(8);
  const handles = Array.from({ length: 32 }, (_, tag) => b.server.invoke({ tag }));
  const results = await Promise.all(handles.map((h) => h.result));
  ok(results.every((r) => r.kind === "response"));
  const lines = b.lines.filter((line) => line.includes("\ttag="));
  equal(lines.length, 32 * 5);
  let interleaved = false;
  let previous = "";
  for (const line of lines) {
    const [, , id, level, message] = TEXT_LINE.exec(line) ?? [];
    equal(level, "INFO");
    const tag = Number(/tag=(\d+)/.exec(message!)![1]);
    equal(id, handles[tag]!.requestId, line);
    if (previous !== "" && previous !== id) interleaved = true;
    previous = id!;
  }
  ok(interleaved, "the invocations' lines were expected to interleave");
});

Deno.test("bootstrap fails the invocation whose floating promise rejects, and goes on", async () => {
  await using b = await startBootstrap({
    handlers: {
      "h.ts": `
export async function handler(event) {
  if (event.fault === "rejection") Promise.reject(new TypeError("nobody awaited me"));
  if (event.fault === "timer") setTimeout(() => { throw new SyntaxError("thrown in a timer"); }, 1);
  await new Promise((resolve) => setTimeout(resolve, event.waitMs ?? 0));
  return "fine";
}
`,
    },
    handler: "h.handler",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "2" },
  });
  const rejection = b.server.invoke({ fault: "rejection", waitMs: 60_000 });
  const timer = b.server.invoke({ fault: "timer", waitMs: 60_000 });
  const first = await rejection.result;
  ok(first.kind === "error", JSON.stringify(first));
  equal(first.errorType, "Runtime.UnhandledPromiseRejection");
  equal(first.error.errorMessage, "TypeError: nobody awaited me");
  const cause = JSON.parse(first.xrayCause ?? "null");
  equal(cause.exceptions[0].type, "Runtime.UnhandledPromiseRejection");
  ok(cause.exceptions[0].stack.some((f: { path: string }) => f.path.endsWith("/h.ts")));
  const second = await timer.result;
  ok(second.kind === "error", JSON.stringify(second));
  // Node posts an uncaught exception as it was thrown.
  equal(second.errorType, "Function.SyntaxError");
  equal(second.error.errorType, "SyntaxError");
  equal(second.error.errorMessage, "thrown in a timer");
  const after = await b.server.invoke({}).result;
  ok(after.kind === "response" && after.text() === '"fine"');
  // One answer per invocation, though the faulty handlers are still waiting.
  for (const id of [rejection.requestId, timer.requestId]) {
    equal(b.server.requests.filter((r) => r.path.includes(`/${id}/`)).length, 1);
  }
});

Deno.test("bootstrap exits when a handler calls Deno.exit, leaving the invocation unanswered", async () => {
  await using b = await startBootstrap({
    handlers: { "h.ts": `export function handler() { Deno.exit(7); }` },
    handler: "h.handler",
  });
  const handle = b.server.invoke({});
  await handle.delivered;
  equal((await b.status()).code, 7);
  equal(b.server.requests.filter((r) => r.path.includes(`/${handle.requestId}/`)).length, 0);
  equal(b.server.queued, 0);
});

Deno.test("bootstrap on SIGTERM aborts running invocations, runs onShutdown hooks, exits 0", async () => {
  await using b = await startBootstrap({
    handlers: {
      "h.ts": `
import { onShutdown } from "${MOD_URL}";
onShutdown(async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  console.log("hook 1 ran");
});
onShutdown(() => { throw new Error("hook 2 broke"); });
onShutdown(() => console.log("hook 3 ran"));
export async function handler(event, ctx) {
  console.log("started " + event.n);
  await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
  console.log("aborted " + event.n + ": " + ctx.signal.reason);
  return null;
}
`,
    },
    handler: "h.handler",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "2" },
  });
  b.server.invoke({ n: 1 });
  b.server.invoke({ n: 2 });
  await b.waitForLine((line) => line.endsWith("\tstarted 1"));
  await b.waitForLine((line) => line.endsWith("\tstarted 2"));
  b.process.kill("SIGTERM");
  equal((await b.status()).code, 0);
  const messages = b.lines.map((line) => line.split("\t")[3]);
  ok(messages.includes("aborted 1: SIGTERM"), b.lines.join("\n"));
  ok(messages.includes("aborted 2: SIGTERM"));
  ok(messages.includes("hook 1 ran"));
  ok(messages.includes("hook 3 ran"));
  ok(messages.some((m) => m?.startsWith("Shutdown hook 2 of 3 failed: Error: hook 2 broke")));
  // Registered during init: before the first /next.
  const routes = b.server.requests.map((r) => r.route);
  ok(routes.indexOf("extensionRegister") >= 0);
  ok(routes.indexOf("extensionRegister") < routes.indexOf("next"), routes.join(","));
  deepEqual(b.server.extensions.map((e) => [e.name, e.body]), [["lambdeno", { events: [] }]]);
  equal(
    b.server.requests.find((r) => r.route === "extensionRegister")?.headers.get(
      "lambda-extension-name",
    ),
    "lambdeno",
  );
});

const HOOKED = `
import { onShutdown } from "${MOD_URL}";
onShutdown(() => {});
export const handler = () => 1;
`;

const registrations: [string, string, Record<string, string>, number][] = [
  ["a handler without shutdown hooks", `export const handler = () => 1;`, {}, 0],
  ["LAMBDENO_EXTENSION=off, even with a hook", HOOKED, { LAMBDENO_EXTENSION: "off" }, 0],
  ["LAMBDENO_EXTENSION=on, even without hooks", `export const handler = () => 1;`, {
    LAMBDENO_EXTENSION: "on",
  }, 1],
  ["a handler that adds a hook at init", HOOKED, {}, 1],
  [
    "a handler that listens for SIGTERM itself",
    `Deno.addSignalListener("SIGTERM", () => {});\nexport const handler = () => 1;`,
    {},
    1,
  ],
  [
    "a handler that listens with process.on",
    `import process from "node:process";\nprocess.on("SIGTERM", () => {});\n` +
    `export const handler = () => 1;`,
    {},
    1,
  ],
];

for (const [what, source, env, expected] of registrations) {
  Deno.test(`bootstrap registers ${expected} extension(s) for ${what}`, async () => {
    await using b = await startBootstrap({
      handlers: { "h.ts": source },
      handler: "h.handler",
      env,
    });
    equal((await b.server.invoke({}).result).kind, "response");
    equal(b.server.extensions.length, expected);
    equal(b.server.openExtensionPolls, expected);
  });
}

Deno.test("bootstrap warns that hooks added at init will not run when LAMBDENO_EXTENSION=off", async () => {
  await using b = await startBootstrap({
    handlers: { "h.ts": HOOKED },
    handler: "h.handler",
    env: { LAMBDENO_EXTENSION: "off" },
  });
  equal((await b.server.invoke({}).result).kind, "response");
  ok(
    b.lines.some((line) => /\tWARN\tLAMBDENO_EXTENSION=off: the 1 shutdown hook/.test(line)),
    b.lines.join("\n"),
  );
});

Deno.test("bootstrap warns once when onShutdown() is first called after an init without hooks", async () => {
  await using b = await startBootstrap({
    handlers: {
      "h.ts": `
import { onShutdown } from "${MOD_URL}";
export function handler() {
  onShutdown(() => {});
  return 1;
}
`,
    },
    handler: "h.handler",
  });
  equal((await b.server.invoke({}).result).kind, "response");
  equal((await b.server.invoke({}).result).kind, "response");
  const warnings = b.lines.filter((line) => line.includes("was added after init"));
  equal(warnings.length, 1, b.lines.join("\n"));
  match(warnings[0]!, /\tWARN\t.*set LAMBDENO_EXTENSION=on/);
  equal(b.server.extensions.length, 0);
});

Deno.test("bootstrap gives the AWS SDK each invocation's trace id through the invoke store", async () => {
  const seen = new Map<string, string | null>();
  await using sts = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.text();
    seen.set(req.headers.get("x-test-request-id") ?? "?", req.headers.get("x-amzn-trace-id"));
    return new Response(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
        `<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn>` +
        `<UserId>AIDTEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>` +
        `</GetCallerIdentityResponse>`,
      { headers: { "content-type": "text/xml" } },
    );
  });
  await using b = await startBootstrap({
    handlers: {
      "h.ts": `
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
export async function handler(event, ctx) {
  const client = new STSClient({ endpoint: "http://127.0.0.1:${sts.addr.port}", region: "us-east-1" });
  client.middlewareStack.add((next) => (args) => {
    args.request.headers["x-test-request-id"] = ctx.awsRequestId;
    return next(args);
  }, { step: "build" });
  await new Promise((resolve) => setTimeout(resolve, event.n % 4));
  const identity = await client.send(new GetCallerIdentityCommand({}));
  return identity.Account;
}
`,
    },
    handler: "h.handler",
    env: {
      AWS_LAMBDA_MAX_CONCURRENCY: "8",
      AWS_LAMBDA_FUNCTION_NAME: "sdk-test",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
  });
  await b.server.waitForPolls(8);
  const handles = Array.from({ length: 16 }, (_, n) =>
    b.server.invoke({ n }, {
      traceId: `Root=1-5759e988-${String(n).padStart(24, "0")};Parent=53995c3f42cd8ad8;Sampled=1`,
    }));
  const results = await Promise.all(handles.map((h) => h.result));
  for (const result of results) {
    ok(result.kind === "response" && result.text() === '"123456789012"', JSON.stringify(result));
  }
  for (const handle of handles) equal(seen.get(handle.requestId), handle.traceId);
});
