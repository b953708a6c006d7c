/**
 * Apache Kafka events: Amazon MSK (`aws:kafka`) and self-managed clusters
 * (`SelfManagedKafka`). Records are grouped by `topic-partition`; keys and values are base64.
 *
 * @module
 */

import { z } from "zod";

/** One Kafka record. Header values are arrays of byte values. */
export const KafkaRecordSchema = z.looseObject({
  topic: z.string(),
  partition: z.number(),
  offset: z.number(),
  timestamp: z.number().optional(),
  timestampType: z.enum(["CREATE_TIME", "LOG_APPEND_TIME", "NO_TIMESTAMP_TYPE"]).optional(),
  key: z.string().nullish(),
  // Absent or null for tombstones.
  value: z.string().nullish(),
  // Absent from some of AWS's samples, and from records produced without headers.
  headers: z.array(z.record(z.string(), z.array(z.number()))).optional(),
});

// Lambda sends at least one record, grouped under its `topic-partition`.
const _records = z.record(z.string(), z.array(KafkaRecordSchema).min(1)).refine(
  (records) => Object.keys(records).length > 0,
  "expected at least one topic-partition",
);

/**
 * An Amazon MSK event.
 *
 * @example Records are keyed by topic and partition
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { MskEventSchema } from "./kafka.ts";
 *
 * const event = MskEventSchema.parse({
 *   eventSource: "aws:kafka", eventSourceArn: "arn:aws:kafka:eu-west-1:1:cluster/c/1",
 *   bootstrapServers: "b-1:9092",
 *   records: {
 *     "orders-0": [{
 *       topic: "orders", partition: 0, offset: 15, timestamp: 1, timestampType: "CREATE_TIME",
 *       value: btoa("hi"), headers: [],
 *     }],
 *   },
 * });
 * equal(event.records["orders-0"]?.[0]?.offset, 15);
 * ```
 */
export const MskEventSchema = z.looseObject({
  eventSource: z.literal("aws:kafka"),
  eventSourceArn: z.string(),
  bootstrapServers: z.string().optional(),
  records: _records,
});

/** A self-managed Apache Kafka event: with no ARN, `bootstrapServers` names the cluster. */
export const SelfManagedKafkaEventSchema = z.looseObject({
  eventSource: z.literal("SelfManagedKafka"),
  bootstrapServers: z.string(),
  records: _records,
});

/** Either Kafka event, told apart by `eventSource`. */
export const KafkaEventSchema = z.discriminatedUnion("eventSource", [
  MskEventSchema,
  SelfManagedKafkaEventSchema,
]);

/** One Kafka record. */
export type KafkaRecord = z.infer<typeof KafkaRecordSchema>;
/** An Amazon MSK event. */
export type MskEvent = z.infer<typeof MskEventSchema>;
/** A self-managed Apache Kafka event: with no ARN, `bootstrapServers` names the cluster. */
export type SelfManagedKafkaEvent = z.infer<typeof SelfManagedKafkaEventSchema>;
/** Either Kafka event. */
export type KafkaEvent = z.infer<typeof KafkaEventSchema>;
