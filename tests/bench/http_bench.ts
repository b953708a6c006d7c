/**
 * What the HTTP adapter costs per invocation: a v2 event made into a `Request`, handed to an
 * echo handler, and its `Response` made into a result — against a plain Lambda handler that
 * builds the same result straight from the event, and against the echo handler called with a
 * ready-made `Request` (the price of the web objects alone).
 *
 * Run: `deno bench -A tests/bench/http_bench.ts`
 */

import { httpHandler, streamingHttpHandler } from "../../src/http/mod.ts";
import { StreamingResponse } from "../../src/runtime/streaming.ts";
import { context } from "../http/_support.ts";

const event = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/http/api_gateway_v2.json", import.meta.url)),
) as Record<string, unknown>;
event.requestContext = {
  ...(event.requestContext as object),
  http: { method: "POST", path: "/prod/hello", sourceIp: "203.0.113.7" },
};
event.headers = { ...(event.headers as object), "content-type": "application/json" };
event.body = JSON.stringify({ name: "Ada Lovelace", tags: ["a", "b"], n: 42 });

const ctx = context("bench");

/** The plain Lambda way: read the event, build the result by hand. */
function plainEcho(e: Record<string, unknown>): Record<string, unknown> {
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: typeof e.body === "string" ? e.body : "",
    isBase64Encoded: false,
  };
}

/** The same echo, written for Deno.serve. */
async function fetchEcho(request: Request): Promise<Response> {
  return new Response(await request.text(), { headers: { "content-type": "application/json" } });
}

const adapted = httpHandler(fetchEcho);
const streamed = streamingHttpHandler(fetchEcho);
const ready = new Request("https://example.com/prod/hello?name=x", {
  method: "POST",
  body: event.body as string,
});

Deno.bench("plain Lambda echo handler", { group: "v2 round trip", baseline: true }, () => {
  plainEcho(event);
});

Deno.bench("httpHandler(echo): event → Request → Response → result", {
  group: "v2 round trip",
}, async () => {
  await adapted(event, ctx);
});

Deno.bench("echo with a ready Request, body read as text", { group: "v2 round trip" }, async () => {
  await (await fetchEcho(ready.clone())).text();
});

Deno.bench("streamingHttpHandler(echo), stream read to the end", {
  group: "v2 round trip",
}, async () => {
  const result = await streamed(event, ctx);
  if (result instanceof StreamingResponse) {
    for await (const _ of result.body) { /* drain */ }
  }
});
