/**
 * handlers/orders_queue.ts, the partial batch failure example of docs/writing-handlers.md: only the
 * messages that fail are reported, in the handler and through the real runtime, and the guide
 * shows the module exactly as it is.
 */

import { deepEqual, equal } from "node:assert/strict";
import { handler } from "../../handlers/orders_queue.ts";
import { fakeContext } from "./_support.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

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

const EVENT = {
  Records: [
    message("m-1", JSON.stringify({ orderId: "o-1", amount: 42, currency: "EUR" })),
    message("m-2", JSON.stringify({ orderId: "o-2", amount: 25_000, currency: "EUR" })),
    message("m-3", "{not json"),
    message("m-4", JSON.stringify({ orderId: "o-4", amount: 7, currency: "EUR" })),
  ],
};

Deno.test("orders_queue reports only the messages that failed", async () => {
  const logged: string[] = [];
  const failed: unknown[] = [];
  const original = { log: console.log, error: console.error };
  console.log = (line: string) => logged.push(line);
  // processSqsBatch reports each failure on console.error; the test reads them instead.
  console.error = (...args: unknown[]) => failed.push(args);
  try {
    const result = await handler(EVENT, fakeContext());
    deepEqual(result, {
      batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-3" }],
    });
  } finally {
    Object.assign(console, original);
  }
  deepEqual(logged.map((line) => JSON.parse(line).accepted).sort(), ["o-1", "o-4"]);
  equal(failed.length, 2);
});

Deno.test("orders_queue answers a partial batch failure through the runtime", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}src/emulator/cli.ts`, "invoke", "orders_queue", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(EVENT)));
  await writer.close();
  const { code, stdout } = await child.output();
  equal(code, 0);
  deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
    batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-3" }],
  });
});

Deno.test("docs/writing-handlers.md shows handlers/orders_queue.ts as it is", async () => {
  const guide = await Deno.readTextFile(`${ROOT}docs/writing-handlers.md`);
  const start = guide.indexOf("```ts\n// handlers/orders_queue.ts\n");
  equal(start >= 0, true, "the guide has a ```ts block starting with // handlers/orders_queue.ts");
  const body = guide.slice(start + "```ts\n// handlers/orders_queue.ts\n".length);
  const shown = body.slice(0, body.indexOf("```\n"));
  const source = await Deno.readTextFile(`${ROOT}handlers/orders_queue.ts`);
  // The guide leaves out the module's opening doc comment, which it says in prose.
  equal(shown, source.slice(source.indexOf("import ")));
});
