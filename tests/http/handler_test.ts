import { deepEqual, equal, ok } from "node:assert/strict";
import type { Context } from "../../src/runtime/context.ts";
import { httpHandler, requestInfo } from "../../src/http/mod.ts";
import { captureErrors, context, fixture, type FixtureName } from "./_support.ts";

const echo = httpHandler((request) =>
  Response.json({ method: request.method, url: request.url }, {
    headers: { "set-cookie": "seen=1" },
  })
);

Deno.test("malformed event answers 400", async () => {
  for (const event of [null, "GET /", { Records: [] }, { requestContext: {} }]) {
    const result = await echo(event, context());
    equal(result.statusCode, 400);
    ok(result.body.startsWith("Cannot read the HTTP event:"), result.body);
    // Unknown shapes get the v2 shape, which every HTTP source accepts.
    deepEqual(result.headers, { "content-type": "text/plain; charset=utf-8" });
    equal(result.isBase64Encoded, false);
  }
});

Deno.test("an event without a path answers 400 in its own source's shape", async () => {
  const event = fixture("alb_multi_value");
  delete event.path;
  const result = await echo(event, context());
  equal(result.statusCode, 400);
  equal(result.body, "Cannot read the HTTP event: it has no path");
  equal(result.statusDescription, "400 Bad Request");
  deepEqual(result.multiValueHeaders, { "content-type": ["text/plain; charset=utf-8"] });
});

Deno.test("a throwing handler answers 500 and logs the stack", async () => {
  const failing = httpHandler(() => {
    throw new Error("database is down");
  });
  let result;
  const logged = await captureErrors(async () => {
    result = await failing(fixture("api_gateway_v2"), context());
  });
  deepEqual(result, {
    statusCode: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: "Internal Server Error",
    isBase64Encoded: false,
  });
  equal(logged.length, 1);
  const error = logged[0]?.find((arg) => arg instanceof Error);
  ok(error instanceof Error);
  equal(error.message, "database is down");
  ok(error.stack?.includes("handler_test.ts"), "the stack points at the handler");
  ok(String(logged[0]?.[0]).includes("GET /"), "the log names the request");
});

Deno.test("a throwing handler's log names the path, never the query string", async () => {
  const failing = httpHandler(() => {
    throw new Error("boom");
  });
  const event = fixture("function_url");
  event.rawPath = "/orders/7";
  event.rawQueryString = "api_key=s3cret&x=1";
  event.queryStringParameters = { api_key: "s3cret", x: "1" };
  const logged = await captureErrors(async () => {
    await failing(event, context());
  });
  equal(logged.length, 1);
  const text = logged[0]?.map((arg) => arg instanceof Error ? arg.stack : String(arg)).join(" ");
  ok(text?.includes("POST /orders/7"), text);
  ok(!text?.includes("s3cret"), text);
  ok(!text?.includes("?"), text);
});

Deno.test("a non-Response result is logged without the query string", async () => {
  const wrong = httpHandler((() => 42) as unknown as () => Response);
  const event = fixture("function_url");
  event.rawQueryString = "token=s3cret";
  event.queryStringParameters = { token: "s3cret" };
  const logged = await captureErrors(async () => {
    await wrong(event, context());
  });
  const text = logged[0]?.map((arg) => arg instanceof Error ? arg.message : String(arg)).join(" ");
  ok(text?.includes("the handler returned number"), text);
  ok(!text?.includes("s3cret"), text);
});

Deno.test("a handler that returns something other than a Response answers 500", async () => {
  const wrong = httpHandler((() => ({ status: 200 })) as unknown as () => Response);
  let result;
  const logged = await captureErrors(async () => {
    result = await wrong(fixture("function_url"), context());
  });
  equal(result!.statusCode, 500);
  const error = logged[0]?.find((arg) => arg instanceof TypeError);
  ok(error instanceof TypeError);
  ok(error.message.includes("the handler returned Object, not a Response"), error.message);
});

Deno.test("a response body that fails while read answers 500", async () => {
  const broken = httpHandler(() =>
    new Response(
      new ReadableStream({
        pull() {
          throw new Error("disk gone");
        },
      }),
    )
  );
  let result;
  const logged = await captureErrors(async () => {
    result = await broken(fixture("api_gateway_v1"), context());
  });
  equal(result!.statusCode, 500);
  equal(logged.length, 1);
});

Deno.test("requestInfo exposes source IP, request id, event and context", async () => {
  let seen: unknown;
  const ctx = context("lambda-42");
  const event = fixture("api_gateway_v1");
  await httpHandler((request, c: Context) => {
    const info = requestInfo(request);
    seen = {
      source: info?.source,
      sourceIp: info?.sourceIp,
      requestId: info?.requestId,
      sameEvent: info?.event === event,
      sameContext: info?.context === c,
      forwardedFor: request.headers.get("x-forwarded-for"),
    };
    return new Response(null, { status: 204 });
  })(event, ctx);
  deepEqual(seen, {
    source: "v1",
    sourceIp: "203.0.113.7",
    requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    sameEvent: true,
    sameContext: true,
    forwardedFor: "203.0.113.7, 130.176.1.10",
  });
});

Deno.test("each source is answered in its own result shape", async () => {
  const shapes: Record<FixtureName, string[]> = {
    api_gateway_v1: ["body", "headers", "isBase64Encoded", "multiValueHeaders", "statusCode"],
    api_gateway_v2: ["body", "cookies", "headers", "isBase64Encoded", "statusCode"],
    function_url: ["body", "cookies", "headers", "isBase64Encoded", "statusCode"],
    alb: ["body", "headers", "isBase64Encoded", "statusCode", "statusDescription"],
    alb_multi_value: [
      "body",
      "isBase64Encoded",
      "multiValueHeaders",
      "statusCode",
      "statusDescription",
    ],
  };
  for (const [name, keys] of Object.entries(shapes)) {
    const result = await echo(fixture(name as FixtureName), context());
    deepEqual([name, Object.keys(result).sort()], [name, keys]);
    equal(result.statusCode, 200);
  }
});

Deno.test("stripStage is passed on to the request", async () => {
  let path = "";
  const handler = httpHandler((request) => {
    path = new URL(request.url).pathname;
    return new Response();
  }, { stripStage: true });
  await handler(fixture("api_gateway_v2"), context());
  equal(path, "/hello");
});
