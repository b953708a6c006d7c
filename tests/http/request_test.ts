import { deepEqual, equal, throws } from "node:assert/strict";
import { HttpEventError, toRequest } from "../../src/http/mod.ts";
import { fixture } from "./_support.ts";

Deno.test("v1 query string values are re-encoded", () => {
  const { request } = toRequest(fixture("api_gateway_v1"));
  const url = new URL(request.url);
  equal(url.search, "?name=Ada%20Lovelace%20%26%20co&tag=a&tag=b");
  equal(url.searchParams.get("name"), "Ada Lovelace & co");
});

Deno.test("v1 repeated query keys come from multiValueQueryStringParameters", () => {
  const { request } = toRequest(fixture("api_gateway_v1"));
  deepEqual(new URL(request.url).searchParams.getAll("tag"), ["a", "b"]);
});

Deno.test("v1 without multiValueQueryStringParameters falls back to queryStringParameters", () => {
  const event = fixture("api_gateway_v1");
  delete event.multiValueQueryStringParameters;
  const url = new URL(toRequest(event).request.url);
  deepEqual(url.searchParams.getAll("tag"), ["b"]);
  equal(url.searchParams.get("name"), "Ada Lovelace & co");
});

Deno.test("v2 rawQueryString is used as-is", () => {
  const { request } = toRequest(fixture("api_gateway_v2"));
  equal(new URL(request.url).search, "?name=Ada%20Lovelace%20%26%20co&tag=a&tag=b");
});

Deno.test("ALB query string values are passed on still encoded", () => {
  const { request } = toRequest(fixture("alb"));
  const url = new URL(request.url);
  equal(url.search, "?name=Ada%20Lovelace%20%26%20co&tag=b");
  equal(url.searchParams.get("name"), "Ada Lovelace & co");
});

Deno.test("ALB multi-value query keys are repeated", () => {
  const { request } = toRequest(fixture("alb_multi_value"));
  deepEqual(new URL(request.url).searchParams.getAll("tag"), ["a", "b"]);
});

Deno.test("multiValueHeaders win over headers", () => {
  const event = fixture("api_gateway_v1");
  event.headers = { ...(event.headers as object), "X-Custom": "last" };
  event.multiValueHeaders = { ...(event.multiValueHeaders as object), "X-Custom": ["1", "2"] };
  const { request } = toRequest(event);
  equal(request.headers.get("x-custom"), "1, 2");
});

Deno.test("ALB multi-value headers keep every value", () => {
  const { request } = toRequest(fixture("alb_multi_value"));
  equal(request.headers.get("x-custom"), "one, two");
});

Deno.test("v2 cookies are joined into Cookie", () => {
  const { request } = toRequest(fixture("api_gateway_v2"));
  equal(request.headers.get("cookie"), "session=abc123; theme=dark");
});

Deno.test("base64 request bodies are decoded", async () => {
  const { request } = toRequest(fixture("function_url"));
  equal(request.method, "POST");
  equal(await request.text(), "name=Grace+Hopper");
  equal((await toRequest(fixture("function_url")).request.formData()).get("name"), "Grace Hopper");
});

Deno.test("binary request bodies survive base64", async () => {
  const bytes = new Uint8Array([0, 255, 128, 10, 13]);
  const event = fixture("function_url");
  event.body = bytes.toBase64();
  const { request } = toRequest(event);
  deepEqual(new Uint8Array(await request.arrayBuffer()), bytes);
});

Deno.test("text request bodies arrive as sent", async () => {
  const event = fixture("api_gateway_v1");
  event.httpMethod = "PUT";
  event.body = '{"name":"Zoë"}';
  const { request } = toRequest(event);
  deepEqual(await request.json(), { name: "Zoë" });
  // A string body must not invent a content type the client never sent.
  equal(request.headers.get("content-type"), null);
});

Deno.test("GET bodies are dropped rather than refused", async () => {
  const event = fixture("api_gateway_v1");
  event.body = "ignored";
  const { request } = toRequest(event);
  equal(request.body, null);
  equal(await request.text(), "");
});

Deno.test("non-ASCII header values survive", () => {
  const event = fixture("api_gateway_v2");
  event.headers = { ...(event.headers as object), "x-name": "Zoë 日本 🎉" };
  const { request } = toRequest(event);
  const raw = request.headers.get("x-name") ?? "";
  // The handler sees the UTF-8 bytes, as Deno.serve would show them.
  const text = new TextDecoder().decode(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
  equal(text, "Zoë 日本 🎉");
});

Deno.test("headers that no server would accept are dropped, not fatal", () => {
  const event = fixture("api_gateway_v2");
  event.headers = { ...(event.headers as object), "bad name": "x", "x-bad": "a\nb" };
  const { request } = toRequest(event);
  equal(request.headers.get("x-bad"), null);
  equal(request.headers.get("accept"), "text/plain");
});

Deno.test("a refused Host or Cookie header is dropped without losing the URL or v2 cookies", () => {
  const event = fixture("api_gateway_v2");
  const context = event.requestContext as Record<string, unknown>;
  event.headers = { ...(event.headers as object), host: "evil\r\nx", cookie: "a=1\nb" };
  event.cookies = ["c=3"];
  const { request } = toRequest(event);
  equal(new URL(request.url).host, context.domainName);
  equal(request.headers.get("cookie"), "c=3");
});

Deno.test("a header value ending in a line break is dropped whatever else the event holds", () => {
  for (const extra of [{}, { "bad name": "x" }]) {
    const event = fixture("api_gateway_v1");
    event.multiValueHeaders = {
      ...(event.multiValueHeaders as object),
      Host: ["h1.example\n", "h2.example"],
      "X-Trailing": ["abc\n"],
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [v]])),
    };
    const { request } = toRequest(event);
    equal(new URL(request.url).host, "h2.example");
    equal(request.headers.get("host"), "h2.example");
    equal(request.headers.get("x-trailing"), null);
  }
});

Deno.test("a v2 cookie with a line break makes a 400-worthy event, not a silent loss", () => {
  const event = fixture("api_gateway_v2");
  event.cookies = ["a=1", "b=2\nc"];
  throws(() => toRequest(event), HttpEventError);
});

Deno.test("stage prefix is kept by default", () => {
  const { request } = toRequest(fixture("api_gateway_v2"));
  equal(new URL(request.url).pathname, "/prod/hello");
});

Deno.test("stage prefix is stripped when asked", () => {
  const { request } = toRequest(fixture("api_gateway_v2"), { stripStage: true });
  equal(new URL(request.url).pathname, "/hello");
  const root = fixture("api_gateway_v2");
  root.rawPath = "/prod";
  equal(new URL(toRequest(root, { stripStage: true }).request.url).pathname, "/");
});

Deno.test("stripStage leaves paths that merely start like the stage", () => {
  const event = fixture("api_gateway_v2");
  event.rawPath = "/production/hello";
  equal(new URL(toRequest(event, { stripStage: true }).request.url).pathname, "/production/hello");
});

Deno.test("stripStage leaves the $default stage alone", () => {
  const { request } = toRequest(fixture("function_url"), { stripStage: true });
  equal(new URL(request.url).pathname, "/hello");
});

Deno.test("the URL comes from Host and X-Forwarded-Proto", () => {
  equal(
    toRequest(fixture("alb")).request.url,
    "http://lambda-hello-846800462.eu-west-1.elb.amazonaws.com/hello?name=Ada%20Lovelace%20%26%20co&tag=b",
  );
  equal(
    new URL(toRequest(fixture("api_gateway_v1")).request.url).origin,
    "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
  );
});

Deno.test("the URL falls back to requestContext.domainName, then localhost", () => {
  const event = fixture("api_gateway_v2");
  event.headers = {};
  equal(
    new URL(toRequest(event).request.url).origin,
    "https://r3pmxmplak.execute-api.eu-west-1.amazonaws.com",
  );
  delete (event.requestContext as Record<string, unknown>).domainName;
  equal(new URL(toRequest(event).request.url).origin, "http://localhost");
});

Deno.test("a literal ? in a decoded path stays in the path", () => {
  const event = fixture("api_gateway_v1");
  event.path = "/files/what?.txt";
  const url = new URL(toRequest(event).request.url);
  equal(decodeURIComponent(url.pathname), "/files/what?.txt");
  deepEqual(url.searchParams.getAll("tag"), ["a", "b"]);
});

Deno.test("source IP and request id are read where each source keeps them", () => {
  const v1 = toRequest(fixture("api_gateway_v1"));
  deepEqual([v1.source, v1.sourceIp, v1.requestId], [
    "v1",
    "203.0.113.7",
    "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  ]);
  const v2 = toRequest(fixture("function_url"));
  deepEqual([v2.source, v2.sourceIp, v2.requestId], [
    "v2",
    "198.51.100.23",
    "8f5d0a2e-3c1b-4e7f-9a6d-5b4c3a2e1f0d",
  ]);
  const alb = toRequest(fixture("alb"));
  deepEqual([alb.source, alb.sourceIp, alb.requestId], ["alb", "203.0.113.7", undefined]);
});

Deno.test("events that are not HTTP events are refused with a clear message", () => {
  throws(() => toRequest({ Records: [] }), HttpEventError);
  throws(() => toRequest(null), /Cannot read the HTTP event: it is not an API Gateway/);
  const noPath = fixture("api_gateway_v2");
  delete noPath.rawPath;
  throws(() => toRequest(noPath), /Cannot read the HTTP event: it has no path/);
  const noMethod = fixture("api_gateway_v2");
  (noMethod.requestContext as Record<string, unknown>).http = {};
  throws(() => toRequest(noMethod), /Cannot read the HTTP event: it has no method/);
  const badBody = fixture("function_url");
  badBody.body = "not base64!";
  throws(() => toRequest(badBody), /Cannot read the HTTP event: its body is not valid base64/);
  const badHost = fixture("alb");
  badHost.headers = { host: "bad host" };
  throws(() => toRequest(badHost), /Cannot read the HTTP event: Invalid URL/);
});
