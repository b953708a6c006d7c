/**
 * Sample events of Amazon MQ: an ActiveMQ and a RabbitMQ broker. `--body` repeats, one message
 * each, for trying partial batch failures; the broker sends every body base64-encoded.
 *
 * @module
 */

import { ActiveMqEventSchema, RabbitMqEventSchema } from "../amazon_mq.ts";
import { ACCOUNT, all, base64, one, REGION, type SampleSource, TIME_MS } from "./options.ts";

const BROKER_ID = "b-9bcfa592-423a-4942-879d-eb284b418fc8";
const BROKER_ARN = `arn:aws:mq:${REGION}:${ACCOUNT}:broker:my-broker:${BROKER_ID}`;
const BODY = '{"hello":"world"}';

/** The Amazon MQ sources, by name. */
export const BROKER_SOURCES: Readonly<Record<string, SampleSource>> = {
  "amazon-mq-activemq": {
    description: "Amazon MQ for ActiveMQ messages (one per --body)",
    options: {
      body: `a message body; repeat for more messages (${BODY})`,
      queue: "the queue's name (my-queue)",
    },
    schema: ActiveMqEventSchema,
    make: (options) => {
      const queue = one(options, "queue", "my-queue");
      return {
        eventSource: "aws:mq",
        eventSourceArn: BROKER_ARN,
        messages: all(options, "body", [BODY]).map((body, i) => ({
          messageID: `ID:${BROKER_ID}-1.mq.${REGION}.amazonaws.com-37557-1234520418293-4:1:1:1:${
            i + 1
          }`,
          messageType: "jms/text-message",
          deliveryMode: 1,
          correlationID: "",
          replyTo: "null",
          type: "",
          expiration: 0,
          priority: 0,
          // The broker stamps each message a millisecond apart, in the order it delivers them.
          timestamp: TIME_MS + i,
          brokerInTime: TIME_MS + i + 1,
          brokerOutTime: TIME_MS + i + 2,
          destination: { physicalName: queue },
          redelivered: false,
          data: base64(body),
          properties: {},
        })),
      };
    },
  },
  "amazon-mq-rabbitmq": {
    description: "Amazon MQ for RabbitMQ messages (one per --body)",
    options: {
      body: `a message body; repeat for more messages (${BODY})`,
      queue: "the queue's name, in the default virtual host / (my-queue)",
    },
    schema: RabbitMqEventSchema,
    make: (options) => ({
      eventSource: "aws:rmq",
      eventSourceArn: BROKER_ARN,
      // RabbitMQ groups messages by queue and virtual host, as `queue::vhost`.
      rmqMessagesByQueue: {
        [`${one(options, "queue", "my-queue")}::/`]: all(options, "body", [BODY]).map((body) => ({
          basicProperties: {
            contentType: /^\s*[[{]/.test(body) ? "application/json" : "text/plain",
            contentEncoding: null,
            headers: {},
            deliveryMode: 1,
            priority: 0,
            correlationId: null,
            replyTo: null,
            expiration: null,
            messageId: null,
            timestamp: null,
            type: null,
            userId: null,
            appId: null,
            clusterId: null,
            bodySize: new TextEncoder().encode(body).length,
          },
          redelivered: false,
          data: base64(body),
        })),
      },
    }),
  },
};
