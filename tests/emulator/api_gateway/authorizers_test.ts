// Lambda authorizers in front of routes: their events (checked against src/events/ schemas),
// what their answers do, and how long those answers are kept.
import { deepEqual, equal, match } from "node:assert/strict";
import type { ApiAuthorizer } from "../../../src/builder/functions/api_routes.ts";
import { ApiGatewayRequestAuthorizerEventV2Schema } from "../../../src/events/http/api_gateway_http.ts";
import {
  ApiGatewayProxyEventSchema,
  ApiGatewayRequestAuthorizerEventSchema,
  ApiGatewayTokenAuthorizerEventSchema,
} from "../../../src/events/http/api_gateway_rest.ts";
import { echoEvent, fake, FakeError, route, startApi } from "./_support.ts";

function authorizer(extra: Partial<ApiAuthorizer>): ApiAuthorizer {
  return {
    function: "auth",
    type: "REQUEST",
    payloadFormatVersion: "2.0",
    simpleResponses: false,
    headers: [],
    queryStrings: [],
    context: [],
    ttlSeconds: 0,
    ...extra,
  };
}

/** An IAM policy answer, as a TOKEN or REQUEST authorizer gives it. */
function policy(effect: "Allow" | "Deny", resource: string, context: Record<string, unknown> = {}) {
  return {
    principalId: "user-1",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
    },
    context,
  };
}

Deno.test("an HTTP API simple authorizer: 401 unseen without its identity, 403 when false, context when true", async () => {
  const auth = fake((event) => ({
    isAuthorized: (event.headers as Record<string, string>).authorization === "let-me-in",
    context: { user: "ada", roles: ["admin"], n: 1 },
  }));
  const users = fake(echoEvent);
  const { gateway, log } = startApi("http", [[
    "users",
    route("http", "GET", "/users/{id}", {
      authorizer: authorizer({ simpleResponses: true, headers: ["Authorization"] }),
    }),
  ]], { users, auth });
  await using _ = gateway;
  const missing = await fetch(`${gateway.url}users/1`);
  equal(missing.status, 401);
  deepEqual(await missing.json(), { message: "Unauthorized" });
  equal(auth.events.length, 0);
  const refused = await fetch(`${gateway.url}users/1`, { headers: { authorization: "nope" } });
  equal(refused.status, 403);
  deepEqual(await refused.json(), { message: "Forbidden" });
  match(log.at(-1)!, /authorizer auth refused the request \(isAuthorized is false\)/);
  const allowed = await fetch(`${gateway.url}users/1?q=1`, {
    headers: { authorization: "let-me-in" },
  });
  equal(allowed.status, 200);
  const event = await allowed.json();
  deepEqual(event.requestContext.authorizer, {
    lambda: { user: "ada", roles: ["admin"], n: 1 },
  });
  equal(users.events.length, 1);
  // The authorizer's event: payload 2.0 with the route's ARN and the identity values.
  const asked = ApiGatewayRequestAuthorizerEventV2Schema.parse(auth.events.at(-1));
  equal(asked.type, "REQUEST");
  deepEqual(asked.identitySource, ["let-me-in"]);
  equal(asked.routeKey, "GET /users/{id}");
  deepEqual(asked.pathParameters, { id: "1" });
  equal(
    asked.routeArn,
    "arn:aws:execute-api:eu-west-1:123456789012:localhttp0/$default/GET/users/1",
  );
  equal("body" in asked, false);
});

Deno.test("a REST TOKEN authorizer: policy decides, context reaches the function as strings", async () => {
  const auth = fake((event) => {
    const token = event.authorizationToken as string;
    if (token === "Bearer expired") return new FakeError("Unauthorized");
    if (token === "Bearer broken") return new FakeError("database down");
    if (token === "Bearer junk") return { allow: true };
    const arn = event.methodArn as string;
    if (token === "Bearer elsewhere") return policy("Allow", `${arn}/other`);
    return policy(token === "Bearer deny" ? "Deny" : "Allow", arn, {
      n: 1,
      admin: true,
      who: "ada",
    });
  });
  const items = fake(echoEvent);
  const { gateway } = startApi("rest", [[
    "items",
    route("rest", "GET", "/items/{id}", {
      authorizer: authorizer({
        type: "TOKEN",
        payloadFormatVersion: "1.0",
        headers: ["Authorization"],
        validationExpression: "^Bearer ",
      }),
    }),
  ]], { items, auth });
  await using _ = gateway;
  const ask = async (token: string) => {
    const response = await fetch(`${gateway.url}items/7`, { headers: { authorization: token } });
    return { status: response.status, body: await response.json() };
  };
  deepEqual(await ask("Basic x"), { status: 401, body: { message: "Unauthorized" } });
  equal(auth.events.length, 0);
  deepEqual(await ask("Bearer expired"), { status: 401, body: { message: "Unauthorized" } });
  deepEqual(await ask("Bearer broken"), { status: 500, body: { message: null } });
  deepEqual(await ask("Bearer junk"), { status: 500, body: { message: null } });
  deepEqual(await ask("Bearer deny"), {
    status: 403,
    body: { message: "User is not authorized to access this resource with an explicit deny" },
  });
  deepEqual(await ask("Bearer elsewhere"), {
    status: 403,
    body: { message: "User is not authorized to access this resource" },
  });
  const allowed = await ask("Bearer good");
  equal(allowed.status, 200);
  ApiGatewayProxyEventSchema.parse(allowed.body);
  const { integrationLatency, ...context } = allowed.body.requestContext.authorizer;
  equal(typeof integrationLatency, "number");
  deepEqual(context, { n: "1", admin: "true", who: "ada", principalId: "user-1" });
  const token = ApiGatewayTokenAuthorizerEventSchema.parse(auth.events.at(-1));
  deepEqual(token, {
    type: "TOKEN",
    authorizationToken: "Bearer good",
    methodArn: "arn:aws:execute-api:eu-west-1:123456789012:localrest0/Prod/GET/items/7",
  });
});

Deno.test("a REST REQUEST authorizer gets the request, and an HTTP API's format 1.0 its identity too", async () => {
  const auth = fake(() => policy("Allow", "*", { tier: 2 }));
  const fn = fake(echoEvent);
  const rest = startApi("rest", [[
    "fn",
    route("rest", "GET", "/a", {
      authorizer: authorizer({
        payloadFormatVersion: "1.0",
        queryStrings: ["key"],
        context: ["identity.sourceIp"],
      }),
    }),
  ]], { fn, auth });
  const http = startApi("http", [
    [
      "fn",
      route("http", "GET", "/a", {
        payloadFormatVersion: "1.0",
        authorizer: authorizer({
          payloadFormatVersion: "1.0",
          headers: ["x-key"],
          context: ["identity.sourceIp"],
        }),
      }),
    ],
    [
      "fn",
      route("http", "GET", "/b", {
        authorizer: authorizer({ payloadFormatVersion: "1.0", context: ["sourceIp"] }),
      }),
    ],
  ], { fn, auth });
  await using _rest = rest.gateway;
  await using _http = http.gateway;
  const status = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    await response.body?.cancel();
    return response.status;
  };
  equal(await status(`${rest.gateway.url}a`), 401);
  equal(await status(`${rest.gateway.url}a?key=k1`), 200);
  const restEvent = ApiGatewayRequestAuthorizerEventSchema.parse(auth.events[0]);
  equal(restEvent.methodArn, "arn:aws:execute-api:eu-west-1:123456789012:localrest0/Prod/GET/a");
  deepEqual(restEvent.queryStringParameters, { key: "k1" });
  equal("identitySource" in restEvent, false);
  // An HTTP API's format 1.0 says which identity values it checked.
  const answer = await fetch(`${http.gateway.url}a`, { headers: { "x-key": "k2" } });
  const event = await answer.json();
  const httpEvent = ApiGatewayRequestAuthorizerEventSchema.parse(auth.events[1]);
  equal(httpEvent.version, "1.0");
  equal(httpEvent.identitySource, "k2,127.0.0.1");
  equal(httpEvent.authorizationToken, "k2,127.0.0.1");
  // A route of format 1.0 finds the context in requestContext.authorizer itself.
  deepEqual(event.requestContext.authorizer, { tier: 2, principalId: "user-1" });
  // There is no context variable sourceIp: the request is refused unseen.
  equal(await status(`${http.gateway.url}b`), 401);
  equal(auth.events.length, 2);
});

Deno.test("kept answers: a REST policy is kept for its TTL and checked against each new route", async () => {
  let now = 1_000_000;
  const auth = fake((event) => policy("Allow", event.methodArn as string));
  const files = fake(echoEvent);
  const { gateway } = startApi(
    "rest",
    [[
      "files",
      route("rest", "GET", "/files/{proxy+}", {
        authorizer: authorizer({
          type: "TOKEN",
          payloadFormatVersion: "1.0",
          headers: ["Authorization"],
          ttlSeconds: 300,
        }),
      }),
    ]],
    { files, auth },
    { now: () => now },
  );
  await using _ = gateway;
  const get = async (path: string, token = "t1") => {
    const response = await fetch(`${gateway.url}files/${path}`, {
      headers: { authorization: token },
    });
    await response.body?.cancel();
    return response.status;
  };
  equal(await get("a"), 200);
  equal(await get("a"), 200);
  equal(auth.events.length, 1);
  // The kept policy allows files/a only: API Gateway's well-known 403 on a greedy route.
  equal(await get("b"), 403);
  equal(auth.events.length, 1);
  equal(await get("b", "t2"), 200);
  equal(auth.events.length, 2);
  now += 300_000;
  equal(await get("b"), 200);
  equal(auth.events.length, 3);
  // New routes (a changed config or source) forget kept answers.
  gateway.setRoutes(gateway.routes);
  equal(await get("a"), 200);
  equal(auth.events.length, 4);
});

Deno.test("an HTTP API IAM-policy authorizer refuses with 403 Forbidden, and is asked every time by default", async () => {
  const auth = fake((event) =>
    policy(event.rawPath === "/open" ? "Allow" : "Deny", event.routeArn as string)
  );
  const fn = fake(echoEvent);
  const { gateway } = startApi("http", [
    ["fn", route("http", "GET", "/open", { authorizer: authorizer({}) })],
    ["fn", route("http", "GET", "/closed", { authorizer: authorizer({}) })],
  ], { fn, auth });
  await using _ = gateway;
  const open = await (await fetch(`${gateway.url}open`)).json();
  deepEqual(open.requestContext.authorizer, { lambda: { principalId: "user-1" } });
  await (await fetch(`${gateway.url}open`)).body?.cancel();
  const closed = await fetch(`${gateway.url}closed`);
  equal(closed.status, 403);
  deepEqual(await closed.json(), { message: "Forbidden" });
  equal(auth.events.length, 3);
});
