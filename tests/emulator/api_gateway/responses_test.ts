// What each API answers: the function's answer read per payload format, and API Gateway's own
// answers when there is no route, the function fails, or its answer cannot be read.
import { deepEqual, equal, match } from "node:assert/strict";
import type { Outcome } from "../../../src/emulator/sandbox/function_types.ts";
import { fake, FakeError, route, startApi } from "./_support.ts";

Deno.test("no route: 404 Not Found from an HTTP API, 403 Missing Authentication Token from a REST API", async () => {
  const fn = fake(() => ({ statusCode: 200 }));
  const http = startApi("http", [["fn", route("http", "GET", "/a")]], { fn });
  const rest = startApi("rest", [["fn", route("rest", "GET", "/a")]], { fn });
  await using _http = http.gateway;
  await using _rest = rest.gateway;
  const notFound = await fetch(`${http.gateway.url}b`);
  equal(notFound.status, 404);
  deepEqual(await notFound.json(), { message: "Not Found" });
  equal((await fetch(`${http.gateway.url}a`, { method: "POST" })).status, 404);
  for (const path of ["Prod/b", "a", "Prod/a/"]) {
    const response = await fetch(`http://127.0.0.1:${rest.gateway.port}/${path}`, {
      method: path.endsWith("/") ? "DELETE" : "GET",
    });
    equal(response.status, 403, path);
    deepEqual(await response.json(), { message: "Missing Authentication Token" });
    equal(response.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
  }
  equal(fn.events.length, 0);
  // Outside the stage, the log says where the routes are.
  match(
    rest.log.join("\n"),
    /no route for GET \/a \(the REST API's routes are under its stage, http:\/\/127\.0\.0\.1:\d+\/Prod\/\)/,
  );
});

Deno.test("an HTTP API (format 2.0) takes a bare value as a JSON 200, and cookies as Set-Cookie", async () => {
  const answers: unknown[] = [
    { hello: "world" },
    "plain text",
    { statusCode: 201, headers: { "x-a": 1 }, cookies: ["a=1", "b=2"], body: "made" },
    { statusCode: 200, body: new TextEncoder().encode("bin").toBase64(), isBase64Encoded: true },
  ];
  const fn = fake(() => answers.shift());
  const { gateway } = startApi("http", [["fn", route("http", "GET", "/a")]], { fn });
  await using _ = gateway;
  const json = await fetch(`${gateway.url}a`);
  equal(json.headers.get("content-type"), "application/json");
  equal(await json.text(), '{"hello":"world"}');
  equal(await (await fetch(`${gateway.url}a`)).text(), "plain text");
  const made = await fetch(`${gateway.url}a`);
  equal(made.status, 201);
  equal(made.headers.get("x-a"), "1");
  deepEqual(made.headers.getSetCookie(), ["a=1", "b=2"]);
  equal(await made.text(), "made");
  equal(await (await fetch(`${gateway.url}a`)).text(), "bin");
});

Deno.test("a REST API takes only the proxy result shape; anything else is a 502", async () => {
  const answers: unknown[] = [
    {
      statusCode: 200,
      headers: { "x-one": "1", "x-both": "b" },
      multiValueHeaders: { "x-both": ["a", "b"], "set-cookie": ["a=1", "b=2"] },
      body: "ok",
    },
    { hello: "world" },
    { statusCode: 200, body: "x", cookies: ["a=1"] },
    { statusCode: 200, body: { not: "a string" } },
    { statusCode: "200", body: "x" },
    { statusCode: 200, body: btoa("raw"), isBase64Encoded: true },
  ];
  const fn = fake(() => answers.shift());
  const { gateway, log } = startApi("rest", [["fn", route("rest", "GET", "/a")]], { fn });
  await using _ = gateway;
  const good = await fetch(`${gateway.url}a`);
  equal(good.status, 200);
  equal(good.headers.get("content-type"), "application/json");
  equal(good.headers.get("x-both"), "a, b");
  deepEqual(good.headers.getSetCookie(), ["a=1", "b=2"]);
  equal(await good.text(), "ok");
  for (
    const why of [
      /the answer also has hello/,
      /also has cookies/,
      /body must be a string/,
      /statusCode "200"/,
    ]
  ) {
    const bad = await fetch(`${gateway.url}a`);
    equal(bad.status, 502);
    deepEqual(await bad.json(), { message: "Internal server error" });
    match(log.at(-1)!, why);
  }
  equal(await (await fetch(`${gateway.url}a`)).text(), "raw");
});

Deno.test("an HTTP API on format 1.0 ignores unknown keys but needs a statusCode", async () => {
  const answers: unknown[] = [{ statusCode: 202, body: "ok", extra: true }, { body: "no status" }];
  const fn = fake(() => answers.shift());
  const { gateway } = startApi("http", [[
    "fn",
    route("http", "GET", "/a", { payloadFormatVersion: "1.0" }),
  ]], {
    fn,
  });
  await using _ = gateway;
  const ok = await fetch(`${gateway.url}a`);
  equal(ok.status, 202);
  equal(await ok.text(), "ok");
  const bad = await fetch(`${gateway.url}a`);
  equal(bad.status, 500);
  deepEqual(await bad.json(), { message: "Internal Server Error" });
});

Deno.test("a failing function is a 502 behind a REST API and a 500 behind an HTTP API", async () => {
  const fn = fake(() => new FakeError("boom"));
  const rest = startApi("rest", [["fn", route("rest", "GET", "/a")]], { fn });
  const http = startApi("http", [["fn", route("http", "GET", "/a")]], {});
  await using _rest = rest.gateway;
  await using _http = http.gateway;
  const restAnswer = await fetch(`${rest.gateway.url}a`);
  equal(restAnswer.status, 502);
  equal(restAnswer.headers.get("x-amzn-errortype"), "InternalServerErrorException");
  deepEqual(await restAnswer.json(), { message: "Internal server error" });
  match(rest.log.at(-1)!, /GET \/a: fn failed: Error: boom/);
  // A route whose function is gone fails the same way.
  const httpAnswer = await fetch(`${http.gateway.url}a`);
  equal(httpAnswer.status, 500);
  match(http.log.at(-1)!, /fn is not a function of this emulator/);
});

Deno.test("a function slower than the API waits is 504 (REST) or 503 (HTTP), the function left to finish", async () => {
  const late = Promise.withResolvers<Outcome>();
  const slow = fake(() => late.promise);
  const rest = startApi("rest", [["slow", route("rest", "GET", "/a")]], { slow }, {
    integrationTimeoutMs: 1,
  });
  const http = startApi("http", [["slow", route("http", "GET", "/a")]], { slow }, {
    integrationTimeoutMs: 1,
  });
  await using _rest = rest.gateway;
  await using _http = http.gateway;
  const restAnswer = await fetch(`${rest.gateway.url}a`);
  equal(restAnswer.status, 504);
  deepEqual(await restAnswer.json(), { message: "Endpoint request timed out" });
  const httpAnswer = await fetch(`${http.gateway.url}a`);
  equal(httpAnswer.status, 503);
  deepEqual(await httpAnswer.json(), { message: "Service Unavailable" });
  late.resolve({
    kind: "response",
    requestId: "r",
    contentType: undefined,
    body: new Uint8Array(),
  });
});

Deno.test("the APIs refuse another site's Host and Origin, as the front does", async () => {
  const fn = fake(() => ({ statusCode: 200 }));
  const { gateway } = startApi("http", [["fn", route("http", "GET", "/a")]], { fn });
  await using _ = gateway;
  // Fetch sends the URL's host whatever it is told, so the request goes in without a socket.
  const rebound = await gateway.fetch(
    new Request(`${gateway.url}a`, { headers: { host: `evil.example:${gateway.port}` } }),
  );
  equal(rebound.status, 403);
  await rebound.body?.cancel();
  const foreign = await fetch(`${gateway.url}a`, { headers: { origin: "https://evil.example" } });
  equal(foreign.status, 403);
  await foreign.body?.cancel();
  equal(fn.events.length, 0);
});
