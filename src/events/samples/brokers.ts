/**
 * Sample events of brokers and change streams: Amazon MQ (an ActiveMQ and a RabbitMQ broker),
 * DocumentDB change streams, Firehose reading from an MSK cluster, and Kinesis Data Analytics.
 * Options that repeat (`--body`, `--value`, `--data`) make one message or record each; the
 * values travel base64-encoded.
 *
 * @module
 */

import { ActiveMqEventSchema, RabbitMqEventSchema } from "../streams/amazon_mq.ts";
import { DocumentDbEventSchema } from "../streams/documentdb.ts";
import {
  KinesisAnalyticsInputPreprocessingEventSchema,
  KinesisAnalyticsOutputDeliveryEventSchema,
} from "../streams/kinesis_analytics.ts";
import { KinesisFirehoseMskEventSchema } from "../streams/kinesis_firehose.ts";
import {
  ACCOUNT,
  all,
  base64,
  json,
  one,
  REGION,
  sampleId,
  type SampleOptions,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

const KDA_APPLICATION = `arn:aws:kinesisanalytics:${REGION}:${ACCOUNT}:application/my-application`;
const SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

/** The `--document` option: a JSON object. */
function _document(options: SampleOptions): Record<string, unknown> {
  const document = json(options, "document", { status: "placed" });
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new TypeError("Cannot make a documentdb event: --document is not a JSON object");
  }
  return document as Record<string, unknown>;
}

/** A DocumentDB change of each kind, on the `orders` collection. */
function _change(operation: string, document: Record<string, unknown>) {
  const id = { $oid: "65937c25a1b2c3d4e5f60718" };
  const base = {
    _id: { _data: "016593a1b2000000010100000001000034c2" },
    clusterTime: { $timestamp: { t: TIME_MS / 1000, i: 1 } },
    ns: { db: "shop", coll: "orders" },
    operationType: operation,
  };
  switch (operation) {
    case "insert":
    case "replace":
      return { ...base, documentKey: { _id: id }, fullDocument: { _id: id, ...document } };
    case "update":
      return {
        ...base,
        documentKey: { _id: id },
        updateDescription: { updatedFields: document, removedFields: [] },
      };
    case "delete":
      return { ...base, documentKey: { _id: id } };
    default:
      throw new TypeError(
        `Cannot make a documentdb event: --operation ${operation} is not insert, update, replace or delete`,
      );
  }
}

const BROKER_ID = "b-9bcfa592-423a-4942-879d-eb284b418fc8";
const BROKER_ARN = `arn:aws:mq:${REGION}:${ACCOUNT}:broker:my-broker:${BROKER_ID}`;
const BODY = '{"hello":"world"}';

/** The Amazon MQ sources, by name. */
export const BROKER_SOURCES: Readonly<Record<string, SampleSource>> = {
  "amazon-mq-activemq": {
    description: "Amazon MQ for ActiveMQ messages (one per --body)",
    options: {
      body: `a message body; repeat for more messages (${BODY})`,
      queue: "the queue's name (my-queue)",
    },
    schema: ActiveMqEventSchema,
    make: (options) => {
      const queue = one(options, "queue", "my-queue");
      return {
        eventSource: "aws:mq",
        eventSourceArn: BROKER_ARN,
        messages: all(options, "body", [BODY]).map((body, i) => ({
          messageID: `ID:${BROKER_ID}-1.mq.${REGION}.amazonaws.com-37557-1234520418293-4:1:1:1:${
            i + 1
          }`,
          messageType: "jms/text-message",
          deliveryMode: 1,
          correlationID: "",
          replyTo: "null",
          type: "",
          expiration: 0,
          priority: 0,
          // The broker stamps each message a millisecond apart, in the order it delivers them.
          timestamp: TIME_MS + i,
          brokerInTime: TIME_MS + i + 1,
          brokerOutTime: TIME_MS + i + 2,
          destination: { physicalName: queue },
          redelivered: false,
          data: base64(body),
          properties: {},
        })),
      };
    },
  },
  "amazon-mq-rabbitmq": {
    description: "Amazon MQ for RabbitMQ messages (one per --body)",
    options: {
      body: `a message body; repeat for more messages (${BODY})`,
      queue: "the queue's name, in the default virtual host / (my-queue)",
    },
    schema: RabbitMqEventSchema,
    make: (options) => ({
      eventSource: "aws:rmq",
      eventSourceArn: BROKER_ARN,
      // RabbitMQ groups messages by queue and virtual host, as `queue::vhost`.
      rmqMessagesByQueue: {
        [`${one(options, "queue", "my-queue")}::/`]: all(options, "body", [BODY]).map((body) => ({
          basicProperties: {
            contentType: /^\s*[[{]/.test(body) ? "application/json" : "text/plain",
            contentEncoding: null,
            headers: {},
            deliveryMode: 1,
            priority: 0,
            correlationId: null,
            replyTo: null,
            expiration: null,
            messageId: null,
            timestamp: null,
            type: null,
            userId: null,
            appId: null,
            clusterId: null,
            bodySize: new TextEncoder().encode(body).length,
          },
          redelivered: false,
          data: base64(body),
        })),
      },
    }),
  },
  documentdb: {
    description: "DocumentDB change stream event",
    options: {
      operation: "insert, update, replace or delete (insert)",
      document: 'the document, or for an update the fields set, as JSON ({"status":"placed"})',
    },
    schema: DocumentDbEventSchema,
    make: (options) => ({
      eventSourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:my-docdb-cluster`,
      events: [{
        event: _change(one(options, "operation", "insert"), _document(options)),
      }],
      eventSource: "aws:docdb",
    }),
  },
  "kinesis-firehose-msk": {
    description: "Firehose transformation of records from an MSK cluster (one per --value)",
    options: { value: 'a Kafka record value; repeat for more records ({"hello":"world"})' },
    schema: KinesisFirehoseMskEventSchema,
    make: (options) => ({
      invocationId: sampleId("4f1c2a90"),
      sourceMSKArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/my-cluster/${sampleId("8d2e6f10")}`,
      deliveryStreamArn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/my-stream`,
      region: REGION,
      records: all(options, "value", ['{"hello":"world"}']).map((value, i) => ({
        recordId: `${SEQUENCE}00000${i}`,
        approximateArrivalTimestamp: TIME_MS,
        mskRecordMetadata: {
          offset: String(i),
          partitionId: "0",
          approximateArrivalTimestamp: TIME_MS,
        },
        kafkaRecordValue: base64(value),
      })),
    }),
  },
  "kinesis-analytics": {
    description: "Kinesis Data Analytics input preprocessing (one record per --data)",
    options: { data: "a record's data; repeat for more records (Hello from a stream)" },
    schema: KinesisAnalyticsInputPreprocessingEventSchema,
    make: (options) => ({
      invocationId: sampleId("2a7c4e6f"),
      applicationArn: KDA_APPLICATION,
      streamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/my-stream`,
      records: all(options, "data", ["Hello from a stream"]).map((data, i) => ({
        recordId: `${SEQUENCE.slice(0, -1)}${i}`,
        kinesisStreamRecordMetadata: {
          shardId: "shardId-000000000000",
          partitionKey: `partitionKey-${i}`,
          approximateArrivalTimestamp: TIME_MS,
          sequenceNumber: `${SEQUENCE.slice(0, -1)}${i}`,
        },
        data: base64(data),
      })),
    }),
  },
  "kinesis-analytics-output": {
    description: "Kinesis Data Analytics output delivery (one record per --data)",
    options: { data: 'a result row; repeat for more records ({"clicks":42})' },
    schema: KinesisAnalyticsOutputDeliveryEventSchema,
    make: (options) => ({
      invocationId: sampleId("6e8a0c2e"),
      applicationArn: KDA_APPLICATION,
      records: all(options, "data", ['{"clicks":42}']).map((data, i) => ({
        recordId: `${SEQUENCE.slice(0, -1)}${i}`,
        lambdaDeliveryRecordMetadata: { retryHint: 0 },
        data: base64(data),
      })),
    }),
  },
};
