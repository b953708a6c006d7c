/**
 * Amazon Kinesis Data Analytics (SQL applications): the input preprocessing event (records from
 * a Kinesis data stream or a Firehose delivery stream, before the application reads them), the
 * output delivery event (the application's results, for a Lambda destination), and the result
 * each expects back. `data` is base64.
 *
 * @module
 */

import { z } from "zod";

/**
 * Records for a preprocessing function to transform, from the application's source stream.
 *
 * @example A record from a data stream
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisAnalyticsInputPreprocessingEventSchema } from "./kinesis_analytics.ts";
 *
 * const event = KinesisAnalyticsInputPreprocessingEventSchema.parse({
 *   invocationId: "i1",
 *   applicationArn: "arn:aws:kinesisanalytics:eu-west-1:123456789012:application/app",
 *   streamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks",
 *   records: [{ recordId: "r1", data: btoa("x") }],
 * });
 * equal(event.records[0]?.recordId, "r1");
 * ```
 */
export const KinesisAnalyticsInputPreprocessingEventSchema = z.looseObject({
  invocationId: z.string(),
  applicationArn: z.string(),
  streamArn: z.string(),
  records: z.array(z.looseObject({
    recordId: z.string(),
    data: z.string(),
    kinesisStreamRecordMetadata: z.looseObject({
      shardId: z.string().optional(),
      partitionKey: z.string().optional(),
      approximateArrivalTimestamp: z.number().optional(),
      sequenceNumber: z.string().optional(),
    }).optional(),
    kinesisFirehoseRecordMetadata: z.looseObject({
      approximateArrivalTimestamp: z.number().optional(),
    }).optional(),
  })).min(1),
});

/**
 * The application's output for a Lambda destination. It names no source stream: a
 * preprocessing event is refused.
 */
export const KinesisAnalyticsOutputDeliveryEventSchema = z.looseObject({
  invocationId: z.string(),
  applicationArn: z.string(),
  streamArn: z.undefined({
    error: "expected no streamArn: this is an input preprocessing event",
  }).optional(),
  records: z.array(z.looseObject({
    recordId: z.string(),
    data: z.string(),
    lambdaDeliveryRecordMetadata: z.looseObject({ retryHint: z.number() }).optional(),
  })).min(1),
});

/** What a preprocessing function returns: each record's outcome and (base64) data. */
export const KinesisAnalyticsInputPreprocessingResultSchema = z.strictObject({
  records: z.array(z.strictObject({
    recordId: z.string(),
    result: z.enum(["Ok", "Dropped", "ProcessingFailed"]),
    data: z.string(),
  })).min(1),
});

/**
 * What an output delivery function returns: whether each record was delivered.
 *
 * @example A failed delivery is retried
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisAnalyticsOutputDeliveryResultSchema } from "./kinesis_analytics.ts";
 *
 * const ok = (result: string) =>
 *   KinesisAnalyticsOutputDeliveryResultSchema.safeParse({ records: [{ recordId: "r1", result }] }).success;
 * equal(ok("DeliveryFailed"), true);
 * equal(ok("Dropped"), false);
 * ```
 */
export const KinesisAnalyticsOutputDeliveryResultSchema = z.strictObject({
  records: z.array(z.strictObject({
    recordId: z.string(),
    result: z.enum(["Ok", "DeliveryFailed"]),
  })).min(1),
});

/** A Kinesis Data Analytics input preprocessing event. */
export type KinesisAnalyticsInputPreprocessingEvent = z.infer<
  typeof KinesisAnalyticsInputPreprocessingEventSchema
>;
/** A Kinesis Data Analytics output delivery event. */
export type KinesisAnalyticsOutputDeliveryEvent = z.infer<
  typeof KinesisAnalyticsOutputDeliveryEventSchema
>;
/** What a preprocessing function returns. */
export type KinesisAnalyticsInputPreprocessingResult = z.input<
  typeof KinesisAnalyticsInputPreprocessingResultSchema
>;
/** What an output delivery function returns. */
export type KinesisAnalyticsOutputDeliveryResult = z.input<
  typeof KinesisAnalyticsOutputDeliveryResultSchema
>;
