/**
 * The kinds of function `deno task new` writes that other services invoke (an SQS queue, an
 * EventBridge schedule, S3 uploads, an SNS topic), and a plain one that takes any event.
 *
 * @module
 */

import { sampleEvent } from "../events/samples/mod.ts";
import type { Kind, Names } from "./kind.ts";

/** A module comment, and the imports of a handler checked by `defineHandler`. */
function _header(doc: string, schema: string, module: string): string {
  return `/**
 * ${doc}
 *
 * @module
 */

import { defineHandler } from "../src/events/define_handler.ts";
import { ${schema} } from "../src/events/${module}.ts";
import type { HandlerConfig } from "../src/mod.ts";
`;
}

function _invoke({ name }: Names): string {
  return `deno task invoke ${name} events/${name}.json`;
}

/** The kinds invoked by other services, and the plain one, by name. */
export const EVENT_KINDS: Readonly<Record<string, Kind>> = {
  sqs: {
    description: "the messages of an SQS queue, each failure retried alone",
    handler: ({ name, pascal }) =>
      `/**
 * ${name}: takes the messages of an SQS queue one by one. One that fails is reported and
 * retried alone (\`ReportBatchItemFailures\`); the others are done.
 *
 * @module
 */

import { type BatchResponse, processSqsBatch } from "../src/events/batch.ts";
import type { Context, HandlerConfig } from "../src/mod.ts";

/**
 * Logs each message's body.
 *
 * @param event The batch, as SQS sends it.
 * @param context The invocation's context.
 * @returns The messages that failed, for SQS to retry.
 */
export async function handler(event: unknown, context: Context): Promise<BatchResponse> {
  return await processSqsBatch(event, (record) => {
    console.log(JSON.stringify({ messageId: record.messageId, body: record.body }));
  }, { signal: context.signal });
}

/** Invoked by the queue \`${pascal}Queue\` of handlers/template.base.yaml. */
export const config = {
  handler: {
    events: {
      Queue: {
        type: "SQS",
        queue: { "Fn::GetAtt": ["${pascal}Queue", "Arn"] },
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
      },
    },
  },
} satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

const context = { signal: new AbortController().signal } as Context;

Deno.test("${name} takes every message of a good batch", async () => {
  deepEqual(await handler(event, context), { batchItemFailures: [] });
});

Deno.test("${name} reports a message it cannot read, and only that one", async () => {
  const [first] = event.Records;
  const broken = { ...first, messageId: "broken", body: 42 };
  deepEqual(await handler({ Records: [first, broken] }, context), {
    batchItemFailures: [{ itemIdentifier: "broken" }],
  });
});
`,
    event: () => sampleEvent("sqs", { body: ['{"orderId":"o-1"}', '{"orderId":"o-2"}'] }),
    resource: ({ pascal }) =>
      `Resources:
  ${pascal}Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 18 # at least six times the function's timeout`,
    tryIt: _invoke,
  },
  schedule: {
    description: "an EventBridge schedule: rate(1 hour)",
    handler: ({ name }) =>
      `${
        _header(
          `${name}: runs every hour, on an EventBridge schedule.`,
          "ScheduledEventSchema",
          "operations/eventbridge",
        )
      }
/** Does the hourly work; here, says when it was scheduled for. */
export const handler = defineHandler({
  event: ScheduledEventSchema,
  handler: (event, context) => {
    console.log(\`${name} runs for the schedule of \${event.time}\`);
    return { scheduledFor: event.time, requestId: context.awsRequestId };
  },
});

/** Invoked every hour (SAM \`Schedule\`, an EventBridge rule). */
export const config = {
  handler: { events: { Hourly: { type: "Schedule", schedule: "rate(1 hour)" } } },
} satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} runs for the scheduled time", async () => {
  deepEqual(await handler(event, { awsRequestId: "req-1" } as Context), {
    scheduledFor: event.time,
    requestId: "req-1",
  });
});
`,
    event: () => sampleEvent("schedule"),
    tryIt: _invoke,
  },
  s3: {
    description: "objects created in an S3 bucket",
    handler: ({ name, pascal }) =>
      `${
        _header(
          `${name}: runs for each object created in the bucket \`${pascal}Bucket\`.`,
          "S3EventSchema",
          "streams/s3",
        )
      }
/** Names each new object; keys arrive URL-encoded, with \`+\` for spaces. */
export const handler = defineHandler({
  event: S3EventSchema,
  handler: (event) =>
    event.Records.map(({ s3 }) =>
      \`s3://\${s3.bucket.name}/\${decodeURIComponent(s3.object.key.replaceAll("+", " "))}\`
    ),
});

/** Invoked by the bucket \`${pascal}Bucket\` of handlers/template.base.yaml. */
export const config = {
  handler: {
    events: {
      Uploads: { type: "S3", bucket: { Ref: "${pascal}Bucket" }, events: "s3:ObjectCreated:*" },
    },
  },
} satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} names each new object, its key decoded", async () => {
  deepEqual(await handler(event, {} as Context), ["s3://uploads/in/cat photo.jpg"]);
});
`,
    event: () => sampleEvent("s3", { bucket: ["uploads"], key: ["in/cat photo.jpg"] }),
    resource: ({ pascal }) =>
      `Resources:
  ${pascal}Bucket:
    Type: AWS::S3::Bucket`,
    tryIt: _invoke,
  },
  sns: {
    description: "the notifications of an SNS topic",
    handler: ({ name, pascal }) =>
      `${
        _header(
          `${name}: runs for each notification of the topic \`${pascal}Topic\`.`,
          "SnsEventSchema",
          "streams/sns",
        )
      }
/** Takes each notification's message. */
export const handler = defineHandler({
  event: SnsEventSchema,
  handler: (event) => event.Records.map(({ Sns }) => Sns.Message),
});

/** Subscribed to the topic \`${pascal}Topic\` of handlers/template.base.yaml. */
export const config = {
  handler: { events: { Notifications: { type: "SNS", topic: { Ref: "${pascal}Topic" } } } },
} satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} takes each notification's message", async () => {
  deepEqual(await handler(event, {} as Context), [event.Records[0]!.Sns.Message]);
});
`,
    event: () => sampleEvent("sns"),
    resource: ({ pascal }) =>
      `Resources:
  ${pascal}Topic:
    Type: AWS::SNS::Topic`,
    tryIt: _invoke,
  },
  plain: {
    description: "any event, invoked directly (the Invoke API, another function, a script)",
    handler: ({ name, pascal }) =>
      `/**
 * ${name}: a function invoked directly, with an event of its own design.
 *
 * @module
 */

import type { Context, HandlerConfig } from "../src/mod.ts";

/** What the caller sends. */
export interface ${pascal}Event {
  /** Who to greet; the world by default. */
  readonly name?: string;
}

/**
 * Greets the caller.
 *
 * @param event What the caller sent.
 * @param context The invocation's context.
 * @returns The greeting, and the request that made it.
 */
export function handler(
  event: ${pascal}Event,
  context: Context,
): { message: string; requestId: string } {
  return { message: \`Hello, \${event.name ?? "world"}!\`, requestId: context.awsRequestId };
}

/** Deployed with the build's defaults, but 10 seconds to run. */
export const config = { handler: { timeout: 10 } } satisfies HandlerConfig;
`,
    test: ({ name }) =>
      `import { deepEqual } from "node:assert/strict";
import type { Context } from "../src/mod.ts";
import { handler } from "../handlers/${name}.ts";
import event from "../events/${name}.json" with { type: "json" };

Deno.test("${name} greets the caller", () => {
  deepEqual(handler(event, { awsRequestId: "req-1" } as Context), {
    message: "Hello, Ada!",
    requestId: "req-1",
  });
});
`,
    event: () => ({ name: "Ada" }),
    tryIt: ({ name }) =>
      `deno task dev, then curl -d @events/${name}.json ` +
      `http://127.0.0.1:3000/2015-03-31/functions/${name}/invocations`,
  },
};
