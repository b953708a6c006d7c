import { deepEqual, equal, ok } from "node:assert/strict";
import { StreamingResponse } from "../../src/runtime/streaming.ts";
import {
  encodePrelude,
  HTTP_INTEGRATION_CONTENT_TYPE,
  streamingHttpHandler,
  toStreamingResponse,
} from "../../src/http/mod.ts";
import { ticks } from "../../handlers/stream.ts";
import { context, fixture } from "./_support.ts";

const decoder = new TextDecoder();

/** Splits a streamed integration response into its prelude, separator and body. */
function split(bytes: Uint8Array): { prelude: unknown; separator: Uint8Array; body: Uint8Array } {
  const end = bytes.indexOf(0);
  ok(end > 0, "the stream has a prelude ended by NUL");
  return {
    prelude: JSON.parse(decoder.decode(bytes.subarray(0, end))),
    separator: bytes.subarray(end, end + 8),
    body: bytes.subarray(end + 8),
  };
}

async function streamOf(result: unknown): Promise<StreamingResponse> {
  ok(result instanceof StreamingResponse, "the result is streamed");
  equal(result.contentType, HTTP_INTEGRATION_CONTENT_TYPE);
  return await Promise.resolve(result);
}

Deno.test("a streamed result is prelude, exactly 8 NUL bytes, then the body", async () => {
  // A body that itself starts with NUL bytes shows the separator is exactly eight long.
  const payload = new Uint8Array([0, 0, 1, 2, 3]);
  const handler = streamingHttpHandler(() =>
    new Response(payload, {
      status: 201,
      headers: { "content-type": "application/octet-stream", "set-cookie": "a=1" },
    })
  );
  const streamed = await streamOf(await handler(fixture("function_url"), context()));
  const bytes = new Uint8Array(await new Response(streamed.body).arrayBuffer());
  const { prelude, separator, body } = split(bytes);
  deepEqual(prelude, {
    statusCode: 201,
    headers: { "content-type": "application/octet-stream" },
    cookies: ["a=1"],
  });
  deepEqual(separator, new Uint8Array(8));
  deepEqual(body, payload);
});

Deno.test("body chunks arrive before the handler's stream has finished", async () => {
  let source!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      source = controller;
    },
  });
  const handler = streamingHttpHandler(() => new Response(body));
  const streamed = await streamOf(await handler(fixture("api_gateway_v2"), context()));
  const reader = streamed.body.getReader();

  const first = await reader.read();
  ok(!first.done && first.value.at(-1) === 0, "the prelude and separator come first");

  source.enqueue(new TextEncoder().encode("chunk one"));
  const second = await reader.read();
  equal(decoder.decode(second.value), "chunk one");
  equal(closed, false, "the source is still open when its first chunk is out");

  source.enqueue(new TextEncoder().encode("chunk two"));
  source.close();
  closed = true;
  equal(decoder.decode((await reader.read()).value), "chunk two");
  equal((await reader.read()).done, true);
});

Deno.test("cancelling the streamed result cancels the response body", async () => {
  let cancelled: unknown = "not cancelled";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array([1]));
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  const streamed = toStreamingResponse(new Response(body), { source: "v2", multiValue: false });
  const reader = streamed.body.getReader();
  await reader.read(); // prelude
  await reader.read(); // first chunk
  await reader.cancel("caller went away");
  equal(cancelled, "caller went away");
});

Deno.test("the prelude for a REST API carries Set-Cookie in multiValueHeaders", async () => {
  const handler = streamingHttpHandler(() => {
    const headers = new Headers({ "content-type": "text/plain" });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    return new Response("hi", { headers });
  });
  const streamed = await streamOf(await handler(fixture("api_gateway_v1"), context()));
  const { prelude, body } = split(new Uint8Array(await new Response(streamed.body).arrayBuffer()));
  deepEqual(prelude, {
    statusCode: 200,
    headers: { "content-type": "text/plain" },
    multiValueHeaders: { "set-cookie": ["a=1", "b=2"] },
  });
  equal(decoder.decode(body), "hi");
});

Deno.test("the prelude holds no NUL byte even when a value would", () => {
  const bytes = encodePrelude({ statusCode: 200, headers: { "x-odd": "a\u0000b" }, cookies: [] });
  const json = bytes.subarray(0, bytes.length - 8);
  equal(json.indexOf(0), -1);
  deepEqual(JSON.parse(decoder.decode(json)).headers, { "x-odd": "a\u0000b" });
});

Deno.test("errors before streaming starts are answered in the stream's prelude", async () => {
  const handler = streamingHttpHandler(() => new Response("never"));
  const streamed = await streamOf(await handler({ not: "http" }, context()));
  const { prelude, body } = split(new Uint8Array(await new Response(streamed.body).arrayBuffer()));
  equal((prelude as { statusCode: number }).statusCode, 400);
  ok(decoder.decode(body).startsWith("Cannot read the HTTP event:"));
});

Deno.test("ALB events get a buffered result, as an ALB cannot stream", async () => {
  const handler = streamingHttpHandler(() => new Response("buffered"));
  const result = await handler(fixture("alb"), context());
  ok(!(result instanceof StreamingResponse));
  equal(result.body, "buffered");
  equal(result.statusDescription, "200 OK");
});

Deno.test("the SSE example emits its events", async () => {
  const handler = streamingHttpHandler(ticks({ intervalMs: 0 }));
  const streamed = await streamOf(await handler(fixture("function_url"), context()));
  const { prelude, body } = split(new Uint8Array(await new Response(streamed.body).arrayBuffer()));
  equal(
    (prelude as { headers: Record<string, string> }).headers["content-type"],
    "text/event-stream; charset=utf-8",
  );
  const events = decoder.decode(body).split("\n\n").filter((e) => e !== "");
  deepEqual(events.map((e) => e.split("\n").slice(0, 2).join("|")), [
    "id: 1|event: tick",
    "id: 2|event: tick",
    "id: 3|event: tick",
    "id: 4|event: tick",
    "id: 5|event: tick",
  ]);
  equal(JSON.parse(events[4]!.split("data: ")[1]!).n, 5);
});

Deno.test("the SSE example stops when the invocation's signal aborts", async () => {
  const abort = new AbortController();
  // An hour between events: only the abort can end this stream within the test.
  const response = ticks({ intervalMs: 3_600_000 })(new Request("http://localhost/"), {
    signal: abort.signal,
  });
  const reader = response.body!.getReader();
  ok(decoder.decode((await reader.read()).value).startsWith("id: 1\n"));
  const next = reader.read();
  abort.abort(new DOMException("deadline", "TimeoutError"));
  equal((await next).done, true);
});
