// defineHandler validates events and results and reports every failing path.
import { deepEqual, equal, rejects } from "node:assert/strict";
import { z } from "zod";
import type { Context } from "../../src/runtime/context.ts";
import { defineHandler } from "../../src/events/define_handler.ts";
import { EventValidationError } from "../../src/events/errors.ts";
import { SqsEventSchema } from "../../src/events/streams/sqs.ts";

const ctx = {} as Context;

async function sqsFixture(): Promise<{ Records: Record<string, unknown>[] }> {
  const url = new URL("../fixtures/events/sqs.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

Deno.test("defineHandler() passes the parsed event and the context to the handler", async () => {
  let seen: Context | undefined;
  const handler = defineHandler({
    event: SqsEventSchema,
    handler: (event, context) => {
      seen = context;
      return event.Records.map((r) => r.messageId);
    },
  });
  deepEqual(await handler(await sqsFixture(), ctx), [
    "059f36b4-87a3-44ab-83d2-661975830a7d",
    "2e1424d4-f796-459a-8184-9c92662be6da",
  ]);
  equal(seen, ctx);
});

Deno.test("defineHandler() lists every failing path of an invalid event", async () => {
  let called = false;
  const handler = defineHandler({ event: SqsEventSchema, handler: () => (called = true) });
  const event = await sqsFixture();
  event.Records[0]!.body = 1;
  event.Records[1]!.eventSource = "aws:sns";
  await rejects(handler(event, ctx), (e: unknown) => {
    equal(e instanceof EventValidationError, true);
    const v = e as EventValidationError;
    equal(v.name, "EventValidationError");
    equal(
      v.message,
      'Invalid event: Records[0].body: expected string, received number; Records[1].eventSource: expected "aws:sqs"',
    );
    equal(v.issues.length, 2);
    equal(v.cause instanceof z.ZodError, true);
    return true;
  });
  equal(called, false);
});

Deno.test("defineHandler() validates and transforms the result", async () => {
  const handler = defineHandler({
    event: z.object({ n: z.number() }),
    result: z.object({ doubled: z.number() }).transform((r) => ({ ...r, checked: true })),
    handler: ({ n }) => ({ doubled: n * 2 }),
  });
  deepEqual(await handler({ n: 2 }, ctx), { doubled: 4, checked: true });
});

Deno.test("defineHandler() rejects an invalid result with ResultValidationError", async () => {
  const handler = defineHandler({
    event: z.unknown(),
    result: z.object({ statusCode: z.number().int(), body: z.string() }),
    handler: () =>
      ({ statusCode: 200.5, body: 1 }) as unknown as { statusCode: number; body: string },
  });
  await rejects(handler({}, ctx), {
    name: "ResultValidationError",
    message:
      "Invalid result: statusCode: expected int, received number; body: expected string, received number",
  });
});

Deno.test("defineHandler() runs async schemas", async () => {
  const handler = defineHandler({
    event: z.string().transform(async (s) => await Promise.resolve(s.length)),
    handler: (n) => n + 1,
  });
  equal(await handler("abc", ctx), 4);
});

Deno.test("defineHandler() lets handler errors through unchanged", async () => {
  const boom = new Error("boom");
  const handler = defineHandler({ event: z.unknown(), handler: () => Promise.reject(boom) });
  await rejects(handler({}, ctx), (e) => e === boom);
});
