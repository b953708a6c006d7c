// The example functions invoked by events (echo, stream, orders_queue, scheduled), each built as
// it ships and run from its read-only artifact with only Lambda's variables, with the assertions
// of their tests (tests/examples/, and the echo contract of design.md).
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { fixtureText } from "../examples/_support.ts";
import { streamed } from "../node_compat/_node_style.ts";
import { type ArtifactTest, exampleBuild } from "./_artifact.ts";
import { invoke, json, Sandbox, startFunction, stopAndRead } from "./_sandbox.ts";

const echoAndStream: ArtifactTest = {
  name: "echo and stream answer from their artifacts as the runtime's contract says",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await using sandbox = await Sandbox.of(built, "echo");
    await t.step("echo.handler echoes, logs and throws on request", async () => {
      await using fn = await startFunction(sandbox, { handler: "echo.handler", memoryMb: 128 });
      deepEqual(json(await invoke(fn, { hello: "artifact", n: [1, 2] })), {
        hello: "artifact",
        n: [1, 2],
      });
      await invoke(fn, { log: "a line from the artifact" });
      const failed = await invoke(fn, { throw: "on purpose" });
      equal(failed.kind, "error");
      if (failed.kind === "error") {
        equal(failed.error.errorType, "Error");
        equal(failed.error.errorMessage, "on purpose");
      }
      // V8's heap is sized from AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128.
      const cmdline = await Deno.readTextFile(`/proc/${fn.pid}/cmdline`);
      ok(cmdline.includes("--max-semi-space-size=6,--max-old-space-size=116"), cmdline);
      ok(cmdline.startsWith(`${sandbox.opt}/bin/deno\0`), "the layer's deno runs the bundle");
      const logged = (await stopAndRead(fn)).filter((line) => line.includes("\tINFO\t"));
      equal(logged.length, 1);
      match(logged[0]!, /^\S+\t[0-9a-f-]{36}\tINFO\ta line from the artifact$/);
    });
    await t.step(
      "echo.stream streams its chunks, and ends a failure with the trailers",
      async () => {
        await using fn = await startFunction(sandbox, { handler: "echo.stream" });
        const whole = await streamed(await invoke(fn, { chunks: 3, bytes: 5 }));
        equal(new TextDecoder().decode(whole.body), "x".repeat(15));
        equal(whole.complete, true);
        const failing = await invoke(fn, { chunks: 3, bytes: 4, failAfter: 2 });
        if (failing.kind !== "stream") throw new Error(`expected a stream, got ${failing.kind}`);
        let bytes = 0;
        for await (const chunk of failing.chunks) bytes += chunk.length;
        equal(bytes, 8);
        const end = await failing.done;
        equal(end.errorType, "Error");
        const error = end.errorBody as { errorType: string; errorMessage: string };
        equal(error.errorType, "Error");
        equal(error.errorMessage, "stream failed");
      },
    );
    await t.step(
      "stream.handler sends five server-sent events after its HTTP prelude",
      async () => {
        await using streamBox = await Sandbox.of(built, "stream");
        await using fn = await startFunction(streamBox, { handler: "stream.handler" });
        const event = JSON.parse(fixtureText("site_function_url.json"));
        const got = await streamed(await invoke(fn, event));
        equal(got.contentType, "application/vnd.awslambda.http-integration-response");
        const text = new TextDecoder().decode(got.body);
        const end = text.indexOf("\0".repeat(8));
        const prelude = JSON.parse(text.slice(0, end));
        equal(prelude.statusCode, 200);
        equal(prelude.headers["content-type"], "text/event-stream; charset=utf-8");
        const ids = [...text.slice(end + 8).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
        deepEqual(ids, [1, 2, 3, 4, 5]);
      },
    );
  },
};

function message(messageId: string, body: string) {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1700000000000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1700000000001",
    },
    messageAttributes: {},
    md5OfBody: "0",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
    awsRegion: "eu-west-1",
  };
}

const queueAndSchedule: ArtifactTest = {
  name: "orders_queue and scheduled handle their events from their artifacts as from source",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await t.step("orders_queue reports only the messages that failed", async () => {
      await using sandbox = await Sandbox.of(built, "orders_queue");
      await using fn = await startFunction(sandbox, { handler: "orders_queue.handler" });
      const event = {
        Records: [
          message("m-1", JSON.stringify({ orderId: "o-1", amount: 42, currency: "EUR" })),
          message("m-2", JSON.stringify({ orderId: "o-2", amount: 25_000, currency: "EUR" })),
          message("m-3", "{not json"),
          message("m-4", JSON.stringify({ orderId: "o-4", amount: 7, currency: "EUR" })),
        ],
      };
      deepEqual(json(await invoke(fn, event)), {
        batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-3" }],
      });
      const accepted = (await stopAndRead(fn)).filter((line) => line.includes('{"accepted":'))
        .map((line) => JSON.parse(line.slice(line.indexOf("{"))).accepted);
      deepEqual(accepted.sort(), ["o-1", "o-4"]);
    });
    await t.step(
      "scheduled reports each URL's status in order, and logs one JSON line",
      async () => {
        await using server = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          (req) => {
            const path = new URL(req.url).pathname;
            if (path === "/ok") return new Response("fine");
            if (path === "/missing") return new Response("no", { status: 404 });
            if (path === "/broken") return new Response("oops", { status: 500 });
            if (path === "/moved") return Response.redirect(new URL("/ok", req.url), 302);
            return new Response("?", { status: 400 });
          },
        );
        const base = `http://127.0.0.1:${server.addr.port}`;
        const event = JSON.parse(
          fixtureText("scheduled_check_urls.json").replaceAll("http://127.0.0.1:PORT", base),
        );
        await using sandbox = await Sandbox.of(built, "scheduled");
        await using fn = await startFunction(sandbox, { handler: "scheduled.handler" });
        const report = json(await invoke(fn, event)) as {
          results: { url: string; status: number | null; ok: boolean }[];
          ok: number;
          failed: number;
        };
        deepEqual(report.results.map((r) => [r.url.replace(base, ""), r.status, r.ok]), [
          ["/ok", 200, true],
          ["/missing", 404, false],
          ["/broken", 500, false],
          ["/moved", 200, true],
        ]);
        equal(report.ok, 2);
        equal(report.failed, 2);
        const refused = await invoke(fn, { hello: "world" });
        equal(refused.kind === "error" && refused.error.errorType, "EventValidationError");
        const logged = (await stopAndRead(fn)).filter((line) => line.includes('"results":'));
        equal(logged.length, 1, "one JSON line per report");
        deepEqual(JSON.parse(logged[0]!.slice(logged[0]!.indexOf("{"))), report);
      },
    );
  },
};

/** The tests, for `examples_test.ts` to run on one build. */
export const EVENT_TESTS: readonly ArtifactTest[] = [echoAndStream, queueAndSchedule];
