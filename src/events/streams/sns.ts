/**
 * Amazon SNS events: the notification Lambda receives when subscribed to a topic, and the
 * notification document SNS writes into an SQS message body (raw delivery off).
 *
 * @module
 */

import { z } from "zod";

/** A message attribute of an SNS notification. */
export const SnsMessageAttributeSchema = z.looseObject({
  Type: z.string(),
  Value: z.string(),
});

/** The notification itself, as Lambda receives it (`SigningCertUrl`, `UnsubscribeUrl`). */
export const SnsMessageSchema = z.looseObject({
  SignatureVersion: z.string().optional(),
  Timestamp: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertUrl: z.string().optional(),
  MessageId: z.string(),
  Message: z.string(),
  MessageAttributes: z.record(z.string(), SnsMessageAttributeSchema).optional(),
  Type: z.literal("Notification"),
  UnsubscribeUrl: z.string().optional(),
  TopicArn: z.string(),
  Subject: z.string().nullish(),
});

/** One SNS record. `EventSource` must be `aws:sns`. */
export const SnsRecordSchema = z.looseObject({
  EventVersion: z.string().optional(),
  EventSubscriptionArn: z.string().optional(),
  EventSource: z.literal("aws:sns"),
  Sns: SnsMessageSchema,
});

/**
 * The event Lambda receives from an SNS subscription (always one record).
 *
 * @example The message text is in `Records[0].Sns.Message`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SnsEventSchema } from "./sns.ts";
 *
 * const event = SnsEventSchema.parse({
 *   Records: [{
 *     EventVersion: "1.0", EventSource: "aws:sns",
 *     EventSubscriptionArn: "arn:aws:sns:eu-west-1:123456789012:t:1",
 *     Sns: {
 *       SignatureVersion: "1", Timestamp: "2024-01-01T00:00:00.000Z", Signature: "s",
 *       SigningCertUrl: "https://c", MessageId: "m1", Message: "hello", Type: "Notification",
 *       UnsubscribeUrl: "https://u", TopicArn: "arn:aws:sns:eu-west-1:123456789012:t",
 *       Subject: null,
 *     },
 *   }],
 * });
 * equal(event.Records[0]?.Sns.Message, "hello");
 * ```
 */
export const SnsEventSchema = z.looseObject({
  Records: z.array(SnsRecordSchema).min(1),
});

/**
 * The JSON document SNS puts in an SQS message body when raw message delivery is off. Note the
 * upper-case `SigningCertURL` and `UnsubscribeURL`, unlike the Lambda event.
 */
export const SnsSqsNotificationSchema = z.looseObject({
  Type: z.literal("Notification"),
  MessageId: z.string(),
  TopicArn: z.string(),
  Subject: z.string().optional(),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
  MessageAttributes: z.record(z.string(), SnsMessageAttributeSchema).optional(),
});

/** A message attribute of an SNS notification. */
export type SnsMessageAttribute = z.infer<typeof SnsMessageAttributeSchema>;
/** An SNS notification as Lambda receives it. */
export type SnsMessage = z.infer<typeof SnsMessageSchema>;
/** One SNS record. */
export type SnsRecord = z.infer<typeof SnsRecordSchema>;
/** An SNS event. */
export type SnsEvent = z.infer<typeof SnsEventSchema>;
/** An SNS notification inside an SQS message body. */
export type SnsSqsNotification = z.infer<typeof SnsSqsNotificationSchema>;
