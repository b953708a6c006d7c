/**
 * Amazon Data Firehose (Kinesis Firehose) transformation events, from a Kinesis data stream or
 * Direct PUT (records carry `data`) or from an Amazon MSK cluster (records carry
 * `kafkaRecordValue`), and the result the function returns for each record.
 *
 * @module
 */

import { z } from "zod";

// Firehose sends epoch milliseconds. Some of AWS's own samples (`sam local generate-event
// kinesis syslog`) write an ISO 8601 time instead, which is read as its epoch milliseconds.
const _arrival = z.union([z.number(), z.iso.datetime({ offset: true }).transform(Date.parse)]);

/** One record to transform, from Direct PUT or a Kinesis data stream; `data` is base64. */
export const KinesisFirehoseRecordSchema = z.looseObject({
  recordId: z.string(),
  approximateArrivalTimestamp: _arrival.optional(),
  data: z.string(),
  // Present when the delivery stream reads from a Kinesis data stream.
  kinesisRecordMetadata: z.looseObject({
    shardId: z.string().optional(),
    partitionKey: z.string().optional(),
    approximateArrivalTimestamp: _arrival.optional(),
    sequenceNumber: z.string().optional(),
    subsequenceNumber: z.union([z.string(), z.number()]).optional(),
  }).optional(),
});

/**
 * A Firehose data-transformation event from Direct PUT or a Kinesis data stream. An event from
 * an MSK cluster is refused, naming {@linkcode KinesisFirehoseMskEventSchema}.
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
 * equal(KinesisFirehoseEventSchema.safeParse({ ...event, records: [] }).success, false);
 * ```
 */
export const KinesisFirehoseEventSchema = z.looseObject({
  invocationId: z.string(),
  deliveryStreamArn: z.string().optional(),
  sourceKinesisStreamArn: z.string().optional(),
  sourceMSKArn: z.undefined({
    error: "expected no sourceMSKArn: an event from an MSK cluster is a " +
      "KinesisFirehoseMskEventSchema event",
  }).optional(),
  region: z.string().optional(),
  records: z.array(KinesisFirehoseRecordSchema).min(1),
});

/** One record to transform, from an Amazon MSK cluster; `kafkaRecordValue` is base64. */
export const KinesisFirehoseMskRecordSchema = z.looseObject({
  recordId: z.string(),
  approximateArrivalTimestamp: z.number().optional(),
  kafkaRecordValue: z.string(),
  mskRecordMetadata: z.looseObject({
    offset: z.string().optional(),
    partitionId: z.string().optional(),
    approximateArrivalTimestamp: z.number().optional(),
  }).optional(),
});

/**
 * A Firehose data-transformation event from an Amazon MSK cluster (`sourceMSKArn`).
 *
 * @example Records carry the Kafka value
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisFirehoseMskEventSchema } from "./kinesis_firehose.ts";
 *
 * const event = KinesisFirehoseMskEventSchema.parse({
 *   invocationId: "i1", sourceMSKArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/c/1",
 *   deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/d",
 *   region: "eu-west-1",
 *   records: [{
 *     recordId: "r1", approximateArrivalTimestamp: 1, kafkaRecordValue: btoa("x"),
 *     mskRecordMetadata: { offset: "0", partitionId: "1", approximateArrivalTimestamp: 1 },
 *   }],
 * });
 * equal(atob(event.records[0]!.kafkaRecordValue), "x");
 * ```
 */
export const KinesisFirehoseMskEventSchema = z.looseObject({
  invocationId: z.string(),
  sourceMSKArn: z.string(),
  deliveryStreamArn: z.string().optional(),
  region: z.string().optional(),
  records: z.array(KinesisFirehoseMskRecordSchema).min(1),
});

const _result = z.enum(["Ok", "Dropped", "ProcessingFailed"]);

/**
 * What the function returns: every record id, with its outcome and its (base64) data, which is
 * `kafkaRecordValue` for an MSK source. Firehose fails a record returned without them, so a
 * record missing both, or carrying both, is refused.
 *
 * @example Both sources' records
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { KinesisFirehoseResultSchema } from "./kinesis_firehose.ts";
 *
 * const ok = (record: object) => KinesisFirehoseResultSchema.safeParse({ records: [record] }).success;
 * equal(ok({ recordId: "r1", result: "Ok", data: btoa("x") }), true);
 * equal(ok({ recordId: "r1", result: "Ok", kafkaRecordValue: btoa("x") }), true);
 * equal(ok({ recordId: "r1", result: "Ok" }), false);
 * equal(KinesisFirehoseResultSchema.safeParse({ records: [] }).success, false);
 * ```
 */
export const KinesisFirehoseResultSchema = z.strictObject({
  records: z.array(z.union([
    z.strictObject({
      recordId: z.string(),
      result: _result,
      data: z.string(),
      // Dynamic partitioning: the keys this record is delivered under (and, for Iceberg
      // tables, `otfMetadata`).
      metadata: z.looseObject({
        partitionKeys: z.record(z.string(), z.string()).optional(),
      }).optional(),
    }),
    z.strictObject({
      recordId: z.string(),
      result: _result,
      kafkaRecordValue: z.string(),
    }),
  ])).min(1),
});

/** One record to transform, from Direct PUT or a Kinesis data stream. */
export type KinesisFirehoseRecord = z.infer<typeof KinesisFirehoseRecordSchema>;
/** A Firehose data-transformation event from Direct PUT or a Kinesis data stream. */
export type KinesisFirehoseEvent = z.infer<typeof KinesisFirehoseEventSchema>;
/** One record to transform, from an Amazon MSK cluster. */
export type KinesisFirehoseMskRecord = z.infer<typeof KinesisFirehoseMskRecordSchema>;
/** A Firehose data-transformation event from an Amazon MSK cluster. */
export type KinesisFirehoseMskEvent = z.infer<typeof KinesisFirehoseMskEventSchema>;
/** A Firehose data-transformation result. */
export type KinesisFirehoseResult = z.input<typeof KinesisFirehoseResultSchema>;
