/**
 * Amazon Data Firehose (Kinesis Firehose) transformation events, and the result the function
 * returns for each record.
 *
 * @module
 */

import { z } from "zod";

/** One record to transform; `data` is base64. */
export const KinesisFirehoseRecordSchema = z.looseObject({
  recordId: z.string(),
  approximateArrivalTimestamp: z.number(),
  data: z.string(),
  // Present when the delivery stream reads from a Kinesis data stream.
  kinesisRecordMetadata: z.looseObject({
    shardId: z.string(),
    partitionKey: z.string(),
    approximateArrivalTimestamp: z.number(),
    sequenceNumber: z.string(),
    subsequenceNumber: z.union([z.string(), z.number()]),
  }).optional(),
});

/**
 * A Firehose data-transformation event.
 *
 * @example One record
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisFirehoseEventSchema } from "./kinesis_firehose.ts";
 *
 * const event = KinesisFirehoseEventSchema.parse({
 *   invocationId: "i1", region: "eu-west-1",
 *   deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/d",
 *   records: [{ recordId: "r1", approximateArrivalTimestamp: 1, data: btoa("x") }],
 * });
 * equal(event.records.length, 1);
 * ```
 */
export const KinesisFirehoseEventSchema = z.looseObject({
  invocationId: z.string(),
  deliveryStreamArn: z.string(),
  sourceKinesisStreamArn: z.string().optional(),
  region: z.string(),
  records: z.array(KinesisFirehoseRecordSchema),
});

/** What the function returns: every record id, with its outcome and (base64) data. */
export const KinesisFirehoseResultSchema = z.looseObject({
  records: z.array(z.looseObject({
    recordId: z.string(),
    result: z.enum(["Ok", "Dropped", "ProcessingFailed"]),
    data: z.string(),
    metadata: z.looseObject({
      partitionKeys: z.record(z.string(), z.string()),
    }).optional(),
  })),
});

/** One record to transform. */
export type KinesisFirehoseRecord = z.infer<typeof KinesisFirehoseRecordSchema>;
/** A Firehose data-transformation event. */
export type KinesisFirehoseEvent = z.infer<typeof KinesisFirehoseEventSchema>;
/** A Firehose data-transformation result. */
export type KinesisFirehoseResult = z.input<typeof KinesisFirehoseResultSchema>;
