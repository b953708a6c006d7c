/**
 * Amazon SQS events: the batch of messages Lambda delivers from a standard or FIFO queue, and
 * the partial batch response a function returns when the event source mapping reports batch
 * item failures.
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
  ApproximateReceiveCount: z.string().optional(),
  SentTimestamp: z.string().optional(),
  SenderId: z.string().optional(),
  ApproximateFirstReceiveTimestamp: z.string().optional(),
  AWSTraceHeader: z.string().optional(),
  SequenceNumber: z.string().optional(),
  MessageGroupId: z.string().optional(),
  MessageDeduplicationId: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

/** One SQS message. `eventSource` must be `aws:sqs`; `eventSourceARN` names the queue. */
export const SqsRecordSchema = z.looseObject({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string().optional(),
  md5OfMessageAttributes: z.string().nullish(),
  eventSource: z.literal("aws:sqs"),
  eventSourceARN: z.string(),
  awsRegion: z.string().optional(),
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
 * equal(SqsEventSchema.safeParse({ Records: [] }).success, false);
 * ```
 */
export const SqsEventSchema = z.looseObject({
  Records: z.array(SqsRecordSchema).min(1),
});

/**
 * What a function returns to have only some messages retried (`ReportBatchItemFailures` on the
 * event source mapping): the `messageId` of each failed message. An empty or `null` list means
 * every message succeeded; Lambda fails the whole batch on an empty identifier or a misspelled
 * key, so both are refused here.
 *
 * @example Report one failed message
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SqsBatchResponseSchema } from "./sqs.ts";
 *
 * const response = { batchItemFailures: [{ itemIdentifier: "059f36b4-87a3-44ab-83d2-661975830a7d" }] };
 * equal(SqsBatchResponseSchema.parse(response).batchItemFailures?.length, 1);
 * equal(SqsBatchResponseSchema.safeParse({ batchItemFailures: [{ itemIdentifier: "" }] }).success, false);
 * ```
 */
export const SqsBatchResponseSchema = z.strictObject({
  batchItemFailures: z.array(z.strictObject({ itemIdentifier: z.string().min(1) })).nullish(),
});

/** A message attribute, as Lambda delivers it. */
export type SqsMessageAttribute = z.infer<typeof SqsMessageAttributeSchema>;
/** The system attributes of a message. */
export type SqsAttributes = z.infer<typeof SqsAttributesSchema>;
/** One SQS message. */
export type SqsRecord = z.infer<typeof SqsRecordSchema>;
/** An SQS event. */
export type SqsEvent = z.infer<typeof SqsEventSchema>;
/** The partial batch response of an SQS function. */
export type SqsBatchResponse = z.input<typeof SqsBatchResponseSchema>;
