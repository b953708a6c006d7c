// The events a route's function gets, checked against the schemas of src/events/ and against
// what API Gateway fills in.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiGatewayProxyEventV2Schema } from "../../../src/events/http/api_gateway_http.ts";
import {
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventSchema,
} from "../../../src/events/http/api_gateway_rest.ts";
import { echoEvent, fake, route, startApi } from "./_support.ts";

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };

Deno.test("an HTTP API route's function gets a payload 2.0 event, as AWS fills it", async () => {
  const users = fake(echoEvent);
  const { gateway } = startApi("http", [["users", route("http", "GET", "/users/{id}")]], { users });
  await using _ = gateway;
  const before = Date.now();
  const response = await fetch(`${gateway.url}users/Ada%20L?tag=a&tag=b&x=1`, {
    headers: { cookie: "a=1; b=2", "x-forwarded-for": "203.0.113.9" },
  });
  equal(response.status, 200);
  const event = (await response.json()) as Event;
  ApiGatewayProxyEventV2Schema.parse(event);
  deepEqual(users.events[0], event);
  equal(event.version, "2.0");
  equal(event.routeKey, "GET /users/{id}");
  equal(event.rawPath, "/users/Ada%20L");
  equal(event.rawQueryString, "tag=a&tag=b&x=1");
  deepEqual(event.queryStringParameters, { tag: "a,b", x: "1" });
  deepEqual(event.pathParameters, { id: "Ada L" });
  deepEqual(event.cookies, ["a=1", "b=2"]);
  equal(event.stageVariables, undefined);
  const headers = event.headers as Record<string, string>;
  equal(headers.cookie, undefined);
  equal(headers["x-forwarded-for"], "203.0.113.9, 127.0.0.1");
  equal(headers["x-forwarded-port"], String(gateway.port));
  match(headers["x-amzn-trace-id"]!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  const context = event.requestContext;
  equal(context.routeKey, "GET /users/{id}");
  equal(context.stage, "$default");
  equal(context.apiId, "localhttp0");
  equal(context.domainName, "localhttp0.execute-api.eu-west-1.amazonaws.com");
  equal(context.domainPrefix, "localhttp0");
  equal(context.accountId, "123456789012");
  equal((context.http as Record<string, string>).sourceIp, "127.0.0.1");
  equal(response.headers.get("apigw-requestid"), context.requestId);
  ok((context.timeEpoch as number) >= before);
});

Deno.test("a REST API route's function gets a payload 1.0 event, its stage in requestContext.path", async () => {
  const items = fake(echoEvent);
  const { gateway } = startApi("rest", [["items", route("rest", "POST", "/items/{id}")]], {
    items,
  });
  await using _ = gateway;
  equal(gateway.url, `http://127.0.0.1:${gateway.port}/Prod/`);
  const response = await fetch(`${gateway.url}items/7?tag=a&tag=b`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: "a=1" },
    body: '{"n":1}',
  });
  const event = (await response.json()) as Event;
  ApiGatewayProxyEventSchema.parse(event);
  equal("version" in event, false);
  equal(event.resource, "/items/{id}");
  equal(event.path, "/items/7");
  equal(event.httpMethod, "POST");
  deepEqual(event.pathParameters, { id: "7" });
  deepEqual(event.queryStringParameters, { tag: "b" });
  deepEqual(event.multiValueQueryStringParameters, { tag: ["a", "b"] });
  equal(event.stageVariables, null);
  equal(event.body, '{"n":1}');
  equal(event.isBase64Encoded, false);
  const headers = event.headers as Record<string, string>;
  equal(headers["Content-Type"], "application/json");
  equal(headers.Cookie, "a=1");
  deepEqual((event.multiValueHeaders as Record<string, string[]>)["X-Forwarded-Proto"], ["http"]);
  const context = event.requestContext;
  equal(context.path, "/Prod/items/7");
  equal(context.resourcePath, "/items/{id}");
  equal(context.httpMethod, "POST");
  equal(context.stage, "Prod");
  match(context.resourceId as string, /^[0-9a-z]{6}$/);
  equal(context.domainName, "localrest0.execute-api.eu-west-1.amazonaws.com");
  equal((context.identity as Record<string, unknown>).sourceIp, "127.0.0.1");
  equal((context.identity as Record<string, unknown>).accessKey, null);
  equal(typeof context.requestTimeEpoch, "number");
  match(context.requestTime as string, /^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  equal(response.headers.get("x-amzn-requestid"), context.requestId);
});

Deno.test("an HTTP API route on payload format 1.0 gets the REST shape with version 1.0", async () => {
  const old = fake(echoEvent);
  const { gateway } = startApi("http", [[
    "old",
    route("http", "ANY", "/{proxy+}", { payloadFormatVersion: "1.0" }),
  ]], { old });
  await using _ = gateway;
  const event = (await (await fetch(`${gateway.url}a/b`)).json()) as Event;
  ApiGatewayHttpV1EventSchema.parse(event);
  equal(event.version, "1.0");
  equal(event.resource, "/{proxy+}");
  deepEqual(event.pathParameters, { proxy: "a/b" });
  equal(event.requestContext.resourceId, null);
  equal(event.requestContext.path, "/a/b");
  equal(event.requestContext.stage, "$default");
  equal(event.body, null);
  // HTTP APIs lower-case header names, in both formats.
  ok("user-agent" in (event.headers as object));
});

Deno.test("a binary body travels base64-encoded, and the root resource has no stage slash", async () => {
  const root = fake(echoEvent);
  const { gateway } = startApi("rest", [["root", route("rest", "PUT", "/")]], { root });
  await using _ = gateway;
  const bytes = new Uint8Array([0, 255, 1, 254]);
  const event = (await (await fetch(`${gateway.url.slice(0, -1)}`, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  })).json()) as Event;
  equal(event.isBase64Encoded, true);
  equal(event.body, bytes.toBase64());
  equal(event.path, "/");
  equal(event.requestContext.path, "/Prod");
});
