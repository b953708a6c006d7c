/**
 * Sample events of the sources that deliver records: SQS, SNS, S3, Kinesis, DynamoDB Streams,
 * Firehose, CloudWatch Logs and SES. Options that repeat (`--body a --body b`) make one record
 * each, for trying partial batch failures.
 *
 * @module
 */

import { gzipSync } from "fflate";
import { CloudWatchLogsEventSchema } from "../streams/cloudwatch_logs.ts";
import { DynamoDbStreamEventSchema } from "../streams/dynamodb_stream.ts";
import { KinesisStreamEventSchema } from "../streams/kinesis.ts";
import { KinesisFirehoseEventSchema } from "../streams/kinesis_firehose.ts";
import { S3EventSchema } from "../streams/s3.ts";
import { SesEventSchema } from "../services/ses.ts";
import { SnsEventSchema } from "../streams/sns.ts";
import { SqsEventSchema } from "../streams/sqs.ts";
import {
  ACCOUNT,
  all,
  base64,
  one,
  REGION,
  sampleId,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

const ISO_TIME = new Date(TIME_MS).toISOString();
const EPOCH_S = TIME_MS / 1000;

/** The record sources, by name. */
export const RECORD_SOURCES: Readonly<Record<string, SampleSource>> = {
  sqs: {
    description: "SQS messages (one record per --body)",
    options: {
      body: 'a message body; repeat for more records ({"hello":"world"})',
      queue: "the queue's name; ending in .fifo makes a FIFO queue (my-queue)",
    },
    schema: SqsEventSchema,
    make: (options) => {
      const queue = one(options, "queue", "my-queue");
      const fifo = queue.endsWith(".fifo");
      return {
        Records: all(options, "body", ['{"hello":"world"}']).map((body, i) => ({
          messageId: sampleId("19dd0b57", i + 1),
          receiptHandle: `MessageReceiptHandle${i + 1}`,
          body,
          attributes: {
            ApproximateReceiveCount: "1",
            SentTimestamp: String(TIME_MS),
            SenderId: ACCOUNT,
            ApproximateFirstReceiveTimestamp: String(TIME_MS + 2),
            ...(fifo
              ? { MessageGroupId: "group-1", MessageDeduplicationId: `dedup-${i + 1}` }
              : {}),
          },
          messageAttributes: {},
          md5OfBody: "7b270e59b47ff90a553787216d55d91d",
          eventSource: "aws:sqs",
          eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`,
          awsRegion: REGION,
        })),
      };
    },
  },
  sns: {
    description: "SNS notification",
    options: {
      message: 'the message ({"hello":"world"})',
      subject: "the subject (none)",
      topic: "the topic's name (my-topic)",
    },
    schema: SnsEventSchema,
    make: (options) => {
      const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${one(options, "topic", "my-topic")}`;
      const subject = options.subject?.at(-1) ?? null;
      return {
        Records: [{
          EventVersion: "1.0",
          EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
          EventSource: "aws:sns",
          Sns: {
            SignatureVersion: "1",
            Timestamp: ISO_TIME,
            Signature: "EXAMPLE",
            SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService.pem`,
            MessageId: sampleId("95df01b4"),
            Message: one(options, "message", '{"hello":"world"}'),
            MessageAttributes: {},
            Type: "Notification",
            UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe`,
            TopicArn: topicArn,
            Subject: subject,
          },
        }],
      };
    },
  },
  s3: {
    description: "S3 object notification",
    options: {
      bucket: "the bucket (my-bucket)",
      key: "the object key, one record per --key (uploads/photo.jpg)",
      event: "the event name (ObjectCreated:Put)",
      size: "the object's size in bytes (1024)",
    },
    schema: S3EventSchema,
    make: (options) => {
      const bucket = one(options, "bucket", "my-bucket");
      return {
        Records: all(options, "key", ["uploads/photo.jpg"]).map((key, i) => ({
          eventVersion: "2.1",
          eventSource: "aws:s3",
          awsRegion: REGION,
          eventTime: ISO_TIME,
          eventName: one(options, "event", "ObjectCreated:Put"),
          userIdentity: { principalId: "AWS:AIDAINPONIXQXHT3IKHL2" },
          requestParameters: { sourceIPAddress: "198.51.100.7" },
          responseElements: {
            "x-amz-request-id": "D82B88E5F771F645",
            "x-amz-id-2":
              "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=",
          },
          s3: {
            s3SchemaVersion: "1.0",
            configurationId: "lambda-trigger",
            bucket: {
              name: bucket,
              ownerIdentity: { principalId: "A3I5XTEXAMAI3E" },
              arn: `arn:aws:s3:::${bucket}`,
            },
            object: {
              // Keys arrive URL-encoded, spaces as +, as S3 sends them.
              key: encodeURIComponent(key).replaceAll("%2F", "/").replaceAll("%20", "+"),
              size: Number(one(options, "size", "1024")),
              eTag: "d41d8cd98f00b204e9800998ecf8427e",
              sequencer: `0A1B2C3D4E5F67890${i}`,
            },
          },
        })),
      };
    },
  },
  kinesis: {
    description: "Kinesis stream records (one per --data)",
    options: {
      data: 'a record\'s data, as text; repeat for more records ({"hello":"world"})',
      stream: "the stream's name (my-stream)",
      "partition-key": "the partition key (1)",
    },
    schema: KinesisStreamEventSchema,
    make: (options) => ({
      Records: all(options, "data", ['{"hello":"world"}']).map((data, i) => {
        const sequence = `4959033827149025660855969253836157109592157598913658${8800 + i}`;
        return {
          kinesis: {
            kinesisSchemaVersion: "1.0",
            partitionKey: one(options, "partition-key", "1"),
            sequenceNumber: sequence,
            data: base64(data),
            approximateArrivalTimestamp: EPOCH_S,
          },
          eventSource: "aws:kinesis",
          eventVersion: "1.0",
          eventID: `shardId-000000000000:${sequence}`,
          eventName: "aws:kinesis:record",
          invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
          awsRegion: REGION,
          eventSourceARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${
            one(options, "stream", "my-stream")
          }`,
        };
      }),
    }),
  },
  "dynamodb-stream": {
    description: "DynamoDB stream records (one per --id)",
    options: {
      table: "the table (my-table)",
      id: "the item's Id (a string attribute); repeat for more records (1)",
      "event-name": "INSERT, MODIFY or REMOVE (INSERT)",
    },
    schema: DynamoDbStreamEventSchema,
    make: (options) => {
      const eventName = one(options, "event-name", "INSERT");
      return {
        Records: all(options, "id", ["1"]).map((id, i) => {
          const item = { Id: { S: id }, Message: { S: "hello" } };
          return {
            eventID: String(i + 1),
            eventVersion: "1.1",
            dynamodb: {
              ApproximateCreationDateTime: EPOCH_S,
              Keys: { Id: { S: id } },
              ...(eventName === "REMOVE" ? {} : { NewImage: item }),
              ...(eventName === "INSERT" ? {} : { OldImage: item }),
              SequenceNumber: String(111 + i),
              SizeBytes: 26,
              StreamViewType: "NEW_AND_OLD_IMAGES",
            },
            awsRegion: REGION,
            eventName,
            eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${
              one(options, "table", "my-table")
            }/stream/2024-01-02T03:04:05.000`,
            eventSource: "aws:dynamodb",
          };
        }),
      };
    },
  },
  "kinesis-firehose": {
    description: "Firehose transformation records (one per --data)",
    options: { data: 'a record\'s data, as text; repeat for more records ({"hello":"world"})' },
    schema: KinesisFirehoseEventSchema,
    make: (options) => ({
      invocationId: sampleId("5ad1d9b6"),
      deliveryStreamArn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/my-stream`,
      region: REGION,
      records: all(options, "data", ['{"hello":"world"}']).map((data, i) => ({
        recordId: `4959033827149025660855969253836157109592157598913658${8800 + i}`,
        approximateArrivalTimestamp: TIME_MS,
        data: base64(data),
      })),
    }),
  },
  "cloudwatch-logs": {
    description: "CloudWatch Logs subscription (gzipped, base64)",
    options: {
      message: "a log line; repeat for more events (hello)",
      group: "the log group (/aws/lambda/my-function)",
    },
    schema: CloudWatchLogsEventSchema,
    make: (options) => {
      const data = {
        messageType: "DATA_MESSAGE",
        owner: ACCOUNT,
        logGroup: one(options, "group", "/aws/lambda/my-function"),
        logStream: "2024/01/02/[$LATEST]0123456789abcdef0123456789abcdef",
        subscriptionFilters: ["my-filter"],
        logEvents: all(options, "message", ["hello"]).map((message, i) => ({
          id: `3195310660696698337880902507980421114328961542429EXAMPLE${i}`,
          timestamp: TIME_MS + i,
          message,
        })),
      };
      const gzipped = gzipSync(new TextEncoder().encode(JSON.stringify(data)));
      let binary = "";
      for (const byte of gzipped) binary += String.fromCharCode(byte);
      return { awslogs: { data: btoa(binary) } };
    },
  },
  ses: {
    description: "SES inbound mail (receipt rule Lambda action)",
    options: {
      from: "the sender (sender@example.com)",
      to: "the recipient (recipient@example.com)",
      subject: "the subject (Hello)",
    },
    schema: SesEventSchema,
    make: (options) => {
      const from = one(options, "from", "sender@example.com");
      const to = one(options, "to", "recipient@example.com");
      const subject = one(options, "subject", "Hello");
      const messageId = "o3v8k2j6tq1p0c9a4b7d5e1f2g3h4i5j6k7l8m01";
      const verdict = { status: "PASS" };
      return {
        Records: [{
          eventSource: "aws:ses",
          eventVersion: "1.0",
          ses: {
            mail: {
              timestamp: ISO_TIME,
              source: from,
              messageId,
              destination: [to],
              headersTruncated: false,
              headers: [
                { name: "From", value: from },
                { name: "To", value: to },
                { name: "Subject", value: subject },
              ],
              commonHeaders: {
                returnPath: from,
                from: [from],
                date: new Date(TIME_MS).toUTCString(),
                to: [to],
                messageId: `<${messageId}@example.com>`,
                subject,
              },
            },
            receipt: {
              timestamp: ISO_TIME,
              processingTimeMillis: 420,
              recipients: [to],
              spamVerdict: verdict,
              virusVerdict: verdict,
              spfVerdict: verdict,
              dkimVerdict: verdict,
              dmarcVerdict: verdict,
              action: {
                type: "Lambda",
                functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-function`,
                invocationType: "Event",
              },
            },
          },
        }],
      };
    },
  },
};
