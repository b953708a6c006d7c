/**
 * Amazon MQ events: the batches Lambda delivers from an ActiveMQ queue (`messages`) and from
 * RabbitMQ queues (`rmqMessagesByQueue`, keyed `queue::virtual-host`). Every body is base64 in
 * `data`.
 *
 * @module
 */

import { z } from "zod";

const _maybeString = z.string().nullish();

/** One ActiveMQ message. `data` is the body, base64-encoded. */
export const ActiveMqMessageSchema = z.looseObject({
  messageID: z.string(),
  messageType: z.string().optional(),
  data: z.string(),
  timestamp: z.number().optional(),
  brokerInTime: z.number().optional(),
  brokerOutTime: z.number().optional(),
  destination: z.looseObject({ physicalName: z.string() }),
  deliveryMode: z.number().optional(),
  redelivered: z.boolean().optional(),
  persistent: z.boolean().optional(),
  connectionId: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The event Lambda sends for an ActiveMQ broker.
 *
 * @example Parse a text message and reject a RabbitMQ event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ActiveMqEventSchema } from "./amazon_mq.ts";
 *
 * const event = ActiveMqEventSchema.parse({
 *   eventSource: "aws:mq",
 *   eventSourceArn: "arn:aws:mq:eu-west-1:123456789012:broker:b:b-1",
 *   messages: [{
 *     messageID: "ID:1", messageType: "jms/text-message", data: btoa("hello"),
 *     timestamp: 1, brokerInTime: 1, brokerOutTime: 2,
 *     destination: { physicalName: "orders" },
 *   }],
 * });
 * equal(atob(event.messages[0]!.data), "hello");
 * equal(ActiveMqEventSchema.safeParse({ ...event, eventSource: "aws:rmq" }).success, false);
 * ```
 */
export const ActiveMqEventSchema = z.looseObject({
  // The Lambda guide's sample says `aws:mq`; Powertools' recorded events say `aws:amq`.
  eventSource: z.enum(["aws:mq", "aws:amq"]),
  eventSourceArn: z.string(),
  messages: z.array(ActiveMqMessageSchema).min(1),
});

/** The AMQP properties of a RabbitMQ message; those the publisher did not set are `null`. */
export const RabbitMqBasicPropertiesSchema = z.looseObject({
  contentType: _maybeString,
  contentEncoding: _maybeString,
  headers: z.record(z.string(), z.unknown()).nullish(),
  deliveryMode: z.number().nullish(),
  priority: z.number().nullish(),
  correlationId: _maybeString,
  replyTo: _maybeString,
  expiration: _maybeString,
  messageId: _maybeString,
  timestamp: _maybeString,
  type: _maybeString,
  userId: _maybeString,
  appId: _maybeString,
  clusterId: _maybeString,
  bodySize: z.number().optional(),
});

/** One RabbitMQ message. `data` is the body, base64-encoded. */
export const RabbitMqMessageSchema = z.looseObject({
  basicProperties: RabbitMqBasicPropertiesSchema,
  redelivered: z.boolean().optional(),
  data: z.string(),
});

/**
 * The event Lambda sends for a RabbitMQ broker: the messages grouped by `queue::virtual-host`.
 *
 * @example Read the messages of one queue
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { RabbitMqEventSchema } from "./amazon_mq.ts";
 *
 * const event = RabbitMqEventSchema.parse({
 *   eventSource: "aws:rmq",
 *   eventSourceArn: "arn:aws:mq:eu-west-1:123456789012:broker:b:b-1",
 *   rmqMessagesByQueue: {
 *     "orders::/": [{ basicProperties: { bodySize: 5 }, redelivered: false, data: btoa("hello") }],
 *   },
 * });
 * equal(event.rmqMessagesByQueue["orders::/"]?.length, 1);
 * ```
 */
export const RabbitMqEventSchema = z.looseObject({
  eventSource: z.literal("aws:rmq"),
  eventSourceArn: z.string(),
  rmqMessagesByQueue: z.record(z.string(), z.array(RabbitMqMessageSchema).min(1)).refine(
    (queues) => Object.keys(queues).length > 0,
    "expected at least one queue",
  ),
});

/** One ActiveMQ message. */
export type ActiveMqMessage = z.infer<typeof ActiveMqMessageSchema>;
/** An ActiveMQ event. */
export type ActiveMqEvent = z.infer<typeof ActiveMqEventSchema>;
/** The AMQP properties of a RabbitMQ message. */
export type RabbitMqBasicProperties = z.infer<typeof RabbitMqBasicPropertiesSchema>;
/** One RabbitMQ message. */
export type RabbitMqMessage = z.infer<typeof RabbitMqMessageSchema>;
/** A RabbitMQ event. */
export type RabbitMqEvent = z.infer<typeof RabbitMqEventSchema>;
