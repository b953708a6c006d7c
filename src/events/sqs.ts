/**
 * Amazon SQS events: the batch of messages Lambda delivers from a standard or FIFO queue.
 *
 * @module
 */

import { z } from "zod";

/** A message attribute as Lambda delivers it (camelCase, unlike the SQS API). */
export const SqsMessageAttributeSchema = z.looseObject({
  dataType: z.string(),
  stringValue: z.string().nullish(),
  binaryValue: z.string().nullish(),
  stringListValues: z.array(z.string()).optional(),
  binaryListValues: z.array(z.string()).optional(),
});

/** The system attributes of a message; FIFO queues add the group, dedup and sequence ids. */
export const SqsAttributesSchema = z.looseObject({
  ApproximateReceiveCount: z.string(),
  SentTimestamp: z.string(),
  SenderId: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
  AWSTraceHeader: z.string().optional(),
  SequenceNumber: z.string().optional(),
  MessageGroupId: z.string().optional(),
  MessageDeduplicationId: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

/** One SQS message. `eventSource` must be `aws:sqs`. */
export const SqsRecordSchema = z.looseObject({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.string().nullish(),
  eventSource: z.literal("aws:sqs"),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

/**
 * The event Lambda sends for an SQS event source mapping.
 *
 * @example Parse a message and reject a record from another source
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SqsEventSchema } from "./sqs.ts";
 *
 * const record = {
 *   messageId: "m1", receiptHandle: "h", body: "hello", md5OfBody: "x",
 *   attributes: {
 *     ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "s",
 *     ApproximateFirstReceiveTimestamp: "1",
 *   },
 *   messageAttributes: {}, eventSource: "aws:sqs",
 *   eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:q", awsRegion: "eu-west-1",
 * };
 * equal(SqsEventSchema.parse({ Records: [record] }).Records[0]?.body, "hello");
 * equal(SqsEventSchema.safeParse({ Records: [{ ...record, eventSource: "aws:sns" }] }).success, false);
 * ```
 */
export const SqsEventSchema = z.looseObject({
  Records: z.array(SqsRecordSchema),
});

/** A message attribute, as Lambda delivers it. */
export type SqsMessageAttribute = z.infer<typeof SqsMessageAttributeSchema>;
/** The system attributes of a message. */
export type SqsAttributes = z.infer<typeof SqsAttributesSchema>;
/** One SQS message. */
export type SqsRecord = z.infer<typeof SqsRecordSchema>;
/** An SQS event. */
export type SqsEvent = z.infer<typeof SqsEventSchema>;
