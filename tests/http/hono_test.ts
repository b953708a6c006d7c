import { deepEqual, equal } from "node:assert/strict";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { httpHandler, requestInfo } from "../../src/http/mod.ts";
import { asResponse, context, fixture } from "./_support.ts";

function app(): Hono {
  const app = new Hono();
  app.get("/hello", (c) =>
    c.json({
      name: c.req.query("name"),
      tags: c.req.queries("tag"),
      session: getCookie(c, "session"),
      requestId: requestInfo(c.req.raw)?.requestId,
    }));
  app.get("/prod/hello", (c) => c.text(`staged ${c.req.query("name")}`));
  app.post("/hello", async (c) => {
    const form = await c.req.parseBody();
    setCookie(c, "greeted", String(form.name), { path: "/", httpOnly: true });
    setCookie(c, "lang", c.req.query("lang") ?? "", { path: "/" });
    return c.text(`Hello, ${form.name}!`, 201);
  });
  return app;
}

Deno.test("a Hono app's fetch runs through the adapter from a v1 event", async () => {
  const result = await httpHandler(app().fetch)(fixture("api_gateway_v1"), context());
  equal(result.statusCode, 200);
  deepEqual(JSON.parse(result.body), {
    name: "Ada Lovelace & co",
    tags: ["a", "b"],
    session: "abc123",
    requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  });
});

Deno.test("a Hono app sees v2 cookies and the stage-prefixed path", async () => {
  const handler = httpHandler(app().fetch);
  const staged = await handler(fixture("api_gateway_v2"), context());
  equal(staged.body, "staged Ada Lovelace & co");
  const stripped = await httpHandler(app().fetch, { stripStage: true })(
    fixture("api_gateway_v2"),
    context(),
  );
  equal(JSON.parse(stripped.body).session, "abc123");
});

Deno.test("a Hono app's cookies come back as v2 cookies from a Function URL", async () => {
  const result = await httpHandler(app().fetch)(fixture("function_url"), context());
  equal(result.statusCode, 201);
  equal(result.body, "Hello, Grace Hopper!");
  deepEqual(result.cookies, ["greeted=Grace%20Hopper; Path=/; HttpOnly", "lang=en; Path=/"]);
});

Deno.test("a Hono app answers 404 through a multi-value ALB", async () => {
  const event = fixture("alb_multi_value");
  event.path = "/nowhere";
  const result = await httpHandler(app().fetch)(event, context());
  equal(result.statusCode, 404);
  equal(result.statusDescription, "404 Not Found");
  equal(await asResponse(result).text(), "404 Not Found");
});
