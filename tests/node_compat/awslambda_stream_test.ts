// `awslambda.streamifyResponse` and `awslambda.HttpResponseStream.from`, through the real
// bootstrap and the Runtime API server, with a handler written as for Lambda's Node.js runtime.

import { deepEqual, equal, ok } from "node:assert/strict";
import type { InvocationResult, StreamEnd } from "../../src/emulator/runtime_api_server/server.ts";
import { type Bootstrap, startBootstrap } from "../runtime/_bootstrap_support.ts";
import { type ResponseStream, streamingHandler } from "../../src/node_compat/response_stream.ts";
import {
  HttpResponseStream,
  installAwsLambda,
  streamifyResponse,
} from "../../src/node_compat/awslambda.ts";

// One module, one bootstrap: `event.kind` picks the behaviour.
const NODE_HANDLER = `
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

async function* failing() {
  yield "one,";
  yield "two,";
  throw new Error("source failed");
}

export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  switch (event.kind) {
    case "plain":
      responseStream.setContentType("text/plain");
      responseStream.write("hello ");
      responseStream.write(context.awsRequestId);
      responseStream.end();
      return;
    case "http": {
      const http = awslambda.HttpResponseStream.from(responseStream, {
        statusCode: 201,
        headers: { "x-custom": "yes" },
        cookies: ["a=1"],
      });
      http.write("created");
      http.end();
      return;
    }
    case "pipeline":
      responseStream.setContentType("text/csv");
      await pipeline(Readable.from(["a,", "b,", "c"]), responseStream);
      return;
    case "pipeline-fails":
      await pipeline(Readable.from(failing()), responseStream);
      return;
    case "throw-midway":
      responseStream.write("partial");
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error("midway");
    case "throw-early":
      throw new TypeError("before any byte");
    case "late-end":
      responseStream.write("start;");
      setTimeout(() => responseStream.end("end"), 20);
      return;
  }
});
`;

async function node(): Promise<Bootstrap> {
  return await startBootstrap({ handler: "node.handler", handlers: { "node.js": NODE_HANDLER } });
}

async function streamed(
  result: InvocationResult,
): Promise<{ contentType: string | undefined; bytes: Uint8Array; end: StreamEnd }> {
  if (result.kind !== "stream") throw new Error(`expected a stream, got ${result.kind}`);
  const parts: number[] = [];
  for await (const chunk of result.chunks) parts.push(...chunk);
  const bytes = Uint8Array.from(parts);
  return { contentType: result.contentType, bytes, end: await result.done };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("a streamifyResponse handler streams what it writes, with its content type", async () => {
  await using b = await node();
  const { contentType, bytes, end } = await streamed(
    await b.server.invoke({ kind: "plain" }, { requestId: "req-s1" }).result,
  );
  equal(contentType, "text/plain");
  equal(text(bytes), "hello req-s1");
  equal(end.complete, true);
  equal(end.errorType, undefined);

  // HttpResponseStream.from: prelude, eight NUL bytes, body.
  const http = await streamed(await b.server.invoke({ kind: "http" }).result);
  equal(http.contentType, "application/vnd.awslambda.http-integration-response");
  const nul = http.bytes.indexOf(0);
  deepEqual(JSON.parse(text(http.bytes.subarray(0, nul))), {
    statusCode: 201,
    headers: { "x-custom": "yes" },
    cookies: ["a=1"],
  });
  deepEqual([...http.bytes.subarray(nul, nul + 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  equal(text(http.bytes.subarray(nul + 8)), "created");

  // pipeline() from node:stream/promises into the response stream.
  const piped = await streamed(await b.server.invoke({ kind: "pipeline" }).result);
  equal(piped.contentType, "text/csv");
  equal(text(piped.bytes), "a,b,c");
  equal(piped.end.errorType, undefined);

  // The invocation lasts until the stream ends, even after the handler has returned.
  const late = await streamed(await b.server.invoke({ kind: "late-end" }).result);
  equal(text(late.bytes), "start;end");
  equal(late.end.complete, true);
});

Deno.test("a streamifyResponse handler that fails ends its stream with the error trailers", async () => {
  await using b = await node();
  const midway = await streamed(await b.server.invoke({ kind: "throw-midway" }).result);
  equal(text(midway.bytes), "partial");
  equal(midway.end.errorType, "Error");
  equal((midway.end.errorBody as { errorMessage: string }).errorMessage, "midway");

  const piped = await streamed(await b.server.invoke({ kind: "pipeline-fails" }).result);
  equal(text(piped.bytes), "one,two,");
  equal((piped.end.errorBody as { errorMessage: string }).errorMessage, "source failed");

  // Nothing written yet: an ordinary error answer.
  const early = await b.server.invoke({ kind: "throw-early" }).result;
  if (early.kind !== "error") throw new Error(`expected an error, got ${early.kind}`);
  equal(early.error.errorType, "TypeError");
  equal(early.error.errorMessage, "before any byte");

  // And the runtime carries on.
  const after = await streamed(await b.server.invoke({ kind: "plain" }).result);
  ok(text(after.bytes).startsWith("hello "));
});

Deno.test("installAwsLambda() adds to globalThis.awslambda and keeps what is there", () => {
  const store = {};
  const target: { awslambda?: unknown } = { awslambda: { InvokeStore: store } };
  installAwsLambda(target);
  const installed = target.awslambda as Record<string, unknown>;
  equal(installed.InvokeStore, store);
  equal(installed.streamifyResponse, streamifyResponse);
  equal(installed.HttpResponseStream, HttpResponseStream);
});

Deno.test("HttpResponseStream.from() cannot follow a write", async () => {
  let thrown: unknown;
  const handler = await streamingHandler(
    (_event: unknown, stream: ResponseStream) => {
      stream.write("x");
      try {
        HttpResponseStream.from(stream, { statusCode: 200 });
      } catch (error) {
        thrown = error;
      }
      stream.end();
      return Promise.resolve();
    },
    { highWaterMark: undefined, warn: () => {} },
  );
  const res = await handler({}, {} as never) as { body: ReadableStream<Uint8Array> };
  equal(await new Response(res.body).text(), "x");
  ok(thrown instanceof Error && /already been written/.test(thrown.message));
});
