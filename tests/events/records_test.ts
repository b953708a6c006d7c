// Record-based events always carry a record; the batch and tumbling-window responses of SQS,
// Kinesis and DynamoDB Streams; Firehose from an MSK cluster. Each against published samples:
// aws-lambda-java-events' and aws-lambda-dotnet's test events, aws-lambda-go's testdata, and
// the samples of the Lambda and Firehose developer guides.
import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { flattenIssues } from "../../src/events/errors.ts";
import { fixture, type Json } from "./_event_cases.ts";
import { SqsBatchResponseSchema, SqsEventSchema } from "../../src/events/streams/sqs.ts";
import { SnsEventSchema } from "../../src/events/streams/sns.ts";
import { S3EventSchema } from "../../src/events/streams/s3.ts";
import {
  DynamoDbStreamBatchResponseSchema,
  DynamoDbStreamEventSchema,
  DynamoDbStreamTumblingWindowEventSchema,
  DynamoDbStreamTumblingWindowResultSchema,
} from "../../src/events/streams/dynamodb_stream.ts";
import {
  KinesisStreamBatchResponseSchema,
  KinesisStreamEventSchema,
  KinesisStreamTumblingWindowEventSchema,
  KinesisStreamTumblingWindowResultSchema,
} from "../../src/events/streams/kinesis.ts";
import { SesEventSchema } from "../../src/events/services/ses.ts";
import {
  CloudFrontRequestEventSchema,
  CloudFrontResponseEventSchema,
} from "../../src/events/http/cloudfront.ts";
import {
  KinesisFirehoseEventSchema,
  KinesisFirehoseMskEventSchema,
  KinesisFirehoseResultSchema,
} from "../../src/events/streams/kinesis_firehose.ts";
import { ActiveMqEventSchema, RabbitMqEventSchema } from "../../src/events/streams/amazon_mq.ts";
import { KafkaEventSchema } from "../../src/events/streams/kafka.ts";
import { firehoseEnvelope } from "../../src/events/envelopes.ts";

function accepts(schema: z.ZodType, value: unknown, what: string): void {
  const result = schema.safeParse(value);
  ok(
    result.success,
    `${what}: ${JSON.stringify(result.error && flattenIssues(result.error.issues))}`,
  );
}

function refusesAt(schema: z.ZodType, value: unknown, path: string): void {
  const result = schema.safeParse(value);
  equal(result.success, false, path);
  ok(flattenIssues(result.error!.issues).some((issue) => issue.path === path), path);
}

/** Each record source: its schema, its sample, and where its records are. */
const EMPTIED: [string, z.ZodType, string, (event: Json) => void, string][] = [
  ["SqsEventSchema", SqsEventSchema, "sqs", (e) => (e.Records = []), "Records"],
  ["SnsEventSchema", SnsEventSchema, "sns", (e) => (e.Records = []), "Records"],
  ["S3EventSchema", S3EventSchema, "s3", (e) => (e.Records = []), "Records"],
  [
    "DynamoDbStreamEventSchema",
    DynamoDbStreamEventSchema,
    "dynamodb_stream",
    (e) => (e.Records = []),
    "Records",
  ],
  [
    "KinesisStreamEventSchema",
    KinesisStreamEventSchema,
    "kinesis",
    (e) => (e.Records = []),
    "Records",
  ],
  ["SesEventSchema", SesEventSchema, "ses", (e) => (e.Records = []), "Records"],
  [
    "CloudFrontRequestEventSchema",
    CloudFrontRequestEventSchema,
    "cloudfront_viewer_request",
    (e) => (e.Records = []),
    "Records",
  ],
  [
    "CloudFrontResponseEventSchema",
    CloudFrontResponseEventSchema,
    "cloudfront_viewer_response",
    (e) => (e.Records = []),
    "Records",
  ],
  [
    "KinesisFirehoseEventSchema",
    KinesisFirehoseEventSchema,
    "kinesis_firehose",
    (e) => (e.records = []),
    "records",
  ],
  [
    "KinesisFirehoseMskEventSchema",
    KinesisFirehoseMskEventSchema,
    "kinesis_firehose_msk",
    (e) => (e.records = []),
    "records",
  ],
  ["ActiveMqEventSchema", ActiveMqEventSchema, "activemq", (e) => (e.messages = []), "messages"],
  [
    "RabbitMqEventSchema",
    RabbitMqEventSchema,
    "rabbitmq",
    (e) => (e.rmqMessagesByQueue = {}),
    "rmqMessagesByQueue",
  ],
  ["KafkaEventSchema", KafkaEventSchema, "kafka_msk", (e) => (e.records = {}), "records"],
];

for (const [name, schema, sample, empty, path] of EMPTIED) {
  Deno.test(`${name} refuses an event with no record, naming ${path}`, async () => {
    const event = await fixture(sample);
    accepts(schema, event, sample);
    empty(event);
    refusesAt(schema, event, path);
  });
}

Deno.test("KinesisFirehoseResultSchema refuses a result with no record", () => {
  refusesAt(KinesisFirehoseResultSchema, { records: [] }, "records");
});

Deno.test("the batch responses take the published samples and refuse what fails the batch", async () => {
  const cases: [z.ZodType, string][] = [
    [SqsBatchResponseSchema, "sqs_batch_response"],
    [SqsBatchResponseSchema, "sqs_batch_response_dotnet"],
    [KinesisStreamBatchResponseSchema, "kinesis_batch_response"],
    [DynamoDbStreamBatchResponseSchema, "dynamodb_batch_response"],
  ];
  for (const [schema, name] of cases) {
    accepts(schema, await fixture(name), name);
    // Lambda counts none of these as a failure of some records: all succeeded.
    for (const none of [{ batchItemFailures: [] }, { batchItemFailures: null }, {}]) {
      accepts(schema, none, `${name}: ${JSON.stringify(none)}`);
    }
    // Lambda fails the whole batch on these.
    refusesAt(
      schema,
      { batchItemFailures: [{ itemIdentifier: "" }] },
      "batchItemFailures[0].itemIdentifier",
    );
    refusesAt(schema, { batchItemFailures: [{ itemidentifier: "m-1" }] }, "batchItemFailures[0]");
  }
});

Deno.test("the tumbling-window events take the published samples and a last invocation with no record", async () => {
  const cases: [z.ZodType, string][] = [
    [KinesisStreamTumblingWindowEventSchema, "kinesis_tumbling_window"],
    [KinesisStreamTumblingWindowEventSchema, "kinesis_tumbling_window_dotnet"],
    [DynamoDbStreamTumblingWindowEventSchema, "dynamodb_tumbling_window"],
    [DynamoDbStreamTumblingWindowEventSchema, "dynamodb_tumbling_window_java"],
  ];
  for (const [schema, name] of cases) {
    const event = await fixture(name);
    accepts(schema, event, name);
    accepts(schema, { ...event, Records: [], isFinalInvokeForWindow: true }, `${name}, last`);
    refusesAt(schema, { ...event, state: "148" }, "state");
  }
  const kinesis = KinesisStreamTumblingWindowEventSchema.parse(
    await fixture("kinesis_tumbling_window"),
  );
  deepEqual(kinesis.window, { start: "2024-01-02T03:04:00Z", end: "2024-01-02T03:05:00Z" });
});

Deno.test("the tumbling-window results carry the state, which Lambda requires", async () => {
  for (
    const schema of [
      KinesisStreamTumblingWindowResultSchema,
      DynamoDbStreamTumblingWindowResultSchema,
    ]
  ) {
    accepts(schema, await fixture("tumbling_window_result"), "tumbling_window_result");
    refusesAt(schema, { batchItemFailures: [] }, "state");
    // A window's result is not a plain batch response, nor the other way round.
    equal(SqsBatchResponseSchema.safeParse({ state: {}, batchItemFailures: [] }).success, false);
  }
});

Deno.test("an MSK-sourced Firehose event passes its schema, and its result the result schema", async () => {
  for (const name of ["kinesis_firehose_msk", "kinesis_firehose_msk_sample"]) {
    const event = KinesisFirehoseMskEventSchema.parse(await fixture(name));
    equal(typeof event.records[0]?.kafkaRecordValue, "string", name);
    refusesAt(KinesisFirehoseEventSchema, await fixture(name), "sourceMSKArn");
  }
  accepts(KinesisFirehoseResultSchema, await fixture("kinesis_firehose_msk_result"), "msk result");
  const both = { recordId: "r1", result: "Ok", data: "eA==", kafkaRecordValue: "eA==" };
  equal(KinesisFirehoseResultSchema.safeParse({ records: [both] }).success, false);
});

Deno.test("firehoseEnvelope() decodes either source's records, naming the failing one", async () => {
  const envelope = firehoseEnvelope(z.object({ page: z.string() }));
  deepEqual(envelope.parse(await fixture("kinesis_firehose_msk")), [{ page: "/checkout" }]);
  const event = await fixture("kinesis_firehose_msk");
  ((event.records as Json[])[0]!).kafkaRecordValue = btoa('{"page":7}');
  const result = envelope.safeParse(event);
  equal(result.success, false);
  deepEqual(flattenIssues(result.error!.issues).map((i) => i.path), [
    "records[0].kafkaRecordValue.page",
  ]);
});

Deno.test("KinesisFirehoseEventSchema reads an ISO 8601 arrival time, as SAM's syslog sample has, as epoch ms", async () => {
  const event = await fixture("kinesis_firehose");
  const record = (event.records as Json[])[0]!;
  record.approximateArrivalTimestamp = "2024-01-02T03:04:05.678Z";
  const parsed = KinesisFirehoseEventSchema.parse(event);
  equal(parsed.records[0]?.approximateArrivalTimestamp, Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  record.approximateArrivalTimestamp = "yesterday";
  refusesAt(KinesisFirehoseEventSchema, event, "records[0].approximateArrivalTimestamp");
});
