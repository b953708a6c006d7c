/**
 * Amazon Kinesis Data Streams events. Each record's `data` is base64.
 *
 * @module
 */

import { z } from "zod";

/** One Kinesis record. `eventSource` must be `aws:kinesis`. */
export const KinesisStreamRecordSchema = z.looseObject({
  kinesis: z.looseObject({
    kinesisSchemaVersion: z.string(),
    partitionKey: z.string(),
    sequenceNumber: z.string(),
    data: z.string(),
    approximateArrivalTimestamp: z.number(),
    encryptionType: z.string().optional(),
  }),
  eventSource: z.literal("aws:kinesis"),
  eventVersion: z.string(),
  eventID: z.string(),
  eventName: z.string(),
  invokeIdentityArn: z.string(),
  awsRegion: z.string(),
  eventSourceARN: z.string(),
});

/**
 * The event Lambda sends for a Kinesis stream.
 *
 * @example Decode a record's data
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisStreamEventSchema } from "./kinesis.ts";
 *
 * const event = KinesisStreamEventSchema.parse({
 *   Records: [{
 *     kinesis: {
 *       kinesisSchemaVersion: "1.0", partitionKey: "1", sequenceNumber: "4959",
 *       data: btoa("hello"), approximateArrivalTimestamp: 1545084650.987,
 *     },
 *     eventSource: "aws:kinesis", eventVersion: "1.0", eventID: "shardId-000000000006:4959",
 *     eventName: "aws:kinesis:record", invokeIdentityArn: "arn:aws:iam::1:role/r",
 *     awsRegion: "eu-west-1", eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream/s",
 *   }],
 * });
 * equal(atob(event.Records[0]!.kinesis.data), "hello");
 * ```
 */
export const KinesisStreamEventSchema = z.looseObject({
  Records: z.array(KinesisStreamRecordSchema),
});

/** One Kinesis record. */
export type KinesisStreamRecord = z.infer<typeof KinesisStreamRecordSchema>;
/** A Kinesis Data Streams event. */
export type KinesisStreamEvent = z.infer<typeof KinesisStreamEventSchema>;
