/**
 * The kinds of function `deno task new` writes that answer HTTP: a route of the HTTP API, a
 * route of the REST API, a Function URL, and a streamed Function URL.
 *
 * @module
 */

import { sampleEvent } from "../events/samples/mod.ts";
import type { Kind, Names } from "./kind.ts";

function _route(api: "HttpApi" | "Api"): Kind {
  const http = api === "HttpApi";
  const schema = http ? "ApiGatewayProxyEventV2Schema" : "ApiGatewayProxyEventSchema";
  const module = http ? "http/api_gateway_http" : "http/api_gateway_rest";
  const where = http
    ? "the HTTP API (SAM's `ServerlessHttpApi`)"
    : "the REST API (SAM's `ServerlessRestApi`)";
  return {
    description: http
      ? "a route of the HTTP API: GET /NAME/{id} (payload format 2.0)"
      : "a route of the REST API: GET /NAME/{id} (payload format 1.0)",
    handler: ({ name }) =>
      `/**
 * ${name}: answers \`GET /${name}/{id}\` on the project's ${
        http ? "HTTP" : "REST"
      } API with the id it
 * was given.
 *
 * @module
 */

import { ${schema} } from "../src/events/${module}.ts";
import { defineHandler } from "../src/events/define_handler.ts";
import type { HandlerConfig } from "../src/mod.ts";

/** Answers with the id in the path, as JSON. */
export const handler = defineHandler({
  event: ${schema},
  handler: (event, context) => ({
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: event.pathParameters?.id, requestId: context.awsRequestId }),
  }),
});

/** Deployed behind \`GET /${name}/{id}\` of ${where}. */
export const config = {
  handler: {
    events: { Get: { type: "${api}", method: "GET", path: "/${name}/{id}" } },
  },
} satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual, equal } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} answers GET /${name}/{id} with the id", async () => {
  const result = await handler(event, { awsRequestId: "req-1" } as Context);
  equal(result.statusCode, 200);
  deepEqual(JSON.parse(result.body), { id: "42", requestId: "req-1" });
});
`,
    event: ({ name }) =>
      sampleEvent(http ? "api-gateway-http" : "api-gateway-rest", {
        route: [`GET /${name}/{id}`],
        path: [`/${name}/42`],
        // SAM's stage for the implicit REST API, as the emulator serves it.
        ...(http ? {} : { stage: ["Prod"] }),
      }),
    tryIt: ({ name }) =>
      http ? `curl http://127.0.0.1:3001/${name}/42` : `curl http://127.0.0.1:3002/Prod/${name}/42`,
  };
}

const _greeting = (n: Names, streamed: boolean) =>
  `/**
 * ${n.name}: a web handler behind a Function URL, written as for \`Deno.serve\`: ${
    streamed
      ? "`GET /?count=3` streams three lines, one at a time"
      : "`GET /?name=Ada` answers `Hello, Ada!`"
  }. \`deno serve handlers/${n.name}.ts\` runs it as a plain web server too.
 *
 * @module
 */

import { type HandlerConfig, ${
    streamed ? "streamingHttpHandler" : "httpHandler"
  } } from "../src/mod.ts";
`;

/** The kinds that answer HTTP, by name. */
export const HTTP_KINDS: Readonly<Record<string, Kind>> = {
  "http-api": _route("HttpApi"),
  "rest-api": _route("Api"),
  "function-url": {
    description: "a Function URL, written as a fetch handler (Request in, Response out)",
    handler: (n) =>
      `${_greeting(n, false)}
/**
 * Greets whoever the query's \`name\` says.
 *
 * @param request The request.
 * @returns The greeting, as text.
 */
export function respond(request: Request): Response {
  const name = new URL(request.url).searchParams.get("name") ?? "world";
  return new Response(\`Hello, \${name}!\\n\`, {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** The Lambda handler: each Function URL event as a \`Request\`, each \`Response\` as its answer. */
export const handler = httpHandler(respond);

/** Deployed with a Function URL (the template's \`UrlAuthType\` says who may call it). */
export const config = { handler: { url: "buffered" } } satisfies HandlerConfig;

/** Lets \`deno serve handlers/${n.name}.ts\` run the same handler. */
export default { fetch: respond } satisfies Deno.ServeDefaultExport;
`,
    test: ({ name }) =>
      `import { equal } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler, respond } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} greets by name", async () => {
  const response = respond(new Request("http://localhost/?name=Ada"));
  equal(await response.text(), "Hello, Ada!\\n");
});

Deno.test("${name} answers a Function URL event", async () => {
  const result = await handler(event, { awsRequestId: "req-1" } as Context);
  equal(result.statusCode, 200);
  equal(result.body, "Hello, Ada!\\n");
});
`,
    event: () => sampleEvent("function-url", { path: ["/?name=Ada"] }),
    tryIt: ({ name }) => `deno task dev, then curl 'http://127.0.0.1:3000/${name}/?name=Ada'`,
  },
  streaming: {
    description: "a Function URL that streams its response as it is produced",
    handler: (n) =>
      `${_greeting(n, true)}
/**
 * Streams \`count\` lines (3 by default), each as soon as it is made.
 *
 * @param request The request.
 * @returns The lines, as a streamed text body.
 */
export function respond(request: Request): Response {
  const count = Number(new URL(request.url).searchParams.get("count") ?? "3");
  const lines = ReadableStream.from(
    Array.from({ length: count }, (_, i) => \`line \${i + 1}\\n\`),
  );
  return new Response(lines.pipeThrough(new TextEncoderStream()), {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** The Lambda handler: the \`Response\` body goes out chunk by chunk, behind the HTTP prelude. */
export const handler = streamingHttpHandler(respond);

/** Deployed with a Function URL in \`RESPONSE_STREAM\` mode. */
export const config = { handler: { url: "stream" } } satisfies HandlerConfig;

/** Lets \`deno serve handlers/${n.name}.ts\` run the same handler. */
export default { fetch: respond } satisfies Deno.ServeDefaultExport;
`,
    test: ({ name }) =>
      `import { equal, ok } from "node:assert/strict";
import { type Context, StreamingResponse } from "../src/mod.ts";
import { handler, respond } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} streams the lines asked for", async () => {
  const response = respond(new Request("http://localhost/?count=2"));
  equal(await response.text(), "line 1\\nline 2\\n");
});

Deno.test("${name} answers a Function URL event with a stream", async () => {
  const result = await handler(event, { awsRequestId: "req-1" } as Context);
  ok(result instanceof StreamingResponse);
  const text = await new Response(result.body).text();
  ok(text.endsWith("\\0".repeat(8) + "line 1\\nline 2\\nline 3\\n"), text);
});
`,
    event: () => sampleEvent("function-url", { path: ["/"] }),
    tryIt: ({ name }) => `deno task dev, then curl -N 'http://127.0.0.1:3000/${name}/?count=5'`,
  },
};
