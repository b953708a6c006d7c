/**
 * Amazon Kinesis Data Streams events (each record's `data` is base64), the tumbling-window form
 * of the event, and what the function returns to report failed records or carry a window's
 * state.
 *
 * @module
 */

import { z } from "zod";
import { batchItemFailures, tumblingWindowFields, windowState } from "../stream_windows.ts";

/** One Kinesis record. `eventSource` must be `aws:kinesis`. */
export const KinesisStreamRecordSchema = z.looseObject({
  kinesis: z.looseObject({
    kinesisSchemaVersion: z.string().optional(),
    partitionKey: z.string(),
    sequenceNumber: z.string(),
    data: z.string(),
    approximateArrivalTimestamp: z.number().optional(),
    encryptionType: z.string().optional(),
  }),
  eventSource: z.literal("aws:kinesis"),
  eventVersion: z.string().optional(),
  eventID: z.string().optional(),
  eventName: z.string().optional(),
  invokeIdentityArn: z.string().optional(),
  awsRegion: z.string().optional(),
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
  Records: z.array(KinesisStreamRecordSchema).min(1),
});

/**
 * An event of a stream whose event source mapping has a tumbling window: the records, the
 * window, and the state the function returned last for it. The window's last invocation
 * (`isFinalInvokeForWindow`) may carry no records.
 */
export const KinesisStreamTumblingWindowEventSchema = z.looseObject({
  Records: z.array(KinesisStreamRecordSchema),
  ...tumblingWindowFields,
});

/**
 * What a function returns to have only some records retried (`ReportBatchItemFailures` on the
 * event source mapping): the `sequenceNumber` of the first failed record. An empty or `null`
 * list means every record succeeded; Lambda fails the whole batch on an empty identifier or a
 * misspelled key, so both are refused here.
 *
 * @example Report the first failed record
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisStreamBatchResponseSchema } from "./kinesis.ts";
 *
 * const response = { batchItemFailures: [{ itemIdentifier: "49590338271490256608559692538361571095921575989136588898" }] };
 * equal(KinesisStreamBatchResponseSchema.safeParse(response).success, true);
 * equal(KinesisStreamBatchResponseSchema.safeParse({ batchItemFailures: [{ itemId: "4959" }] }).success, false);
 * ```
 */
export const KinesisStreamBatchResponseSchema = z.strictObject({
  batchItemFailures: batchItemFailures.nullish(),
});

/**
 * What a function with a tumbling window returns: the window's state so far (a missing `state`
 * fails the invocation), and optionally the failed records.
 */
export const KinesisStreamTumblingWindowResultSchema = z.strictObject({
  state: windowState,
  batchItemFailures: batchItemFailures.nullish(),
});

/** One Kinesis record. */
export type KinesisStreamRecord = z.infer<typeof KinesisStreamRecordSchema>;
/** A Kinesis Data Streams event. */
export type KinesisStreamEvent = z.infer<typeof KinesisStreamEventSchema>;
/** A Kinesis Data Streams event with a tumbling window. */
export type KinesisStreamTumblingWindowEvent = z.infer<
  typeof KinesisStreamTumblingWindowEventSchema
>;
/** The partial batch response of a Kinesis function. */
export type KinesisStreamBatchResponse = z.input<typeof KinesisStreamBatchResponseSchema>;
/** What a Kinesis function with a tumbling window returns. */
export type KinesisStreamTumblingWindowResult = z.input<
  typeof KinesisStreamTumblingWindowResultSchema
>;
