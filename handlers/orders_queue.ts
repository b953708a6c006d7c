/**
 * Orders from an SQS queue, with partial batch failures: each message is validated and handled
 * on its own, and only the ones that failed are returned in `batchItemFailures`, so SQS retries
 * only those (and, after `maxReceiveCount` tries, moves them to the dead-letter queue).
 *
 * @module
 */

import { z } from "zod";
import { type BatchResponse, processSqsBatch } from "../src/events/batch.ts";
import { jsonString } from "../src/events/json.ts";
import { SqsRecordSchema } from "../src/events/streams/sqs.ts";
import type { Context, HandlerConfig } from "../src/mod.ts";

/** An order, as the shop puts it on the queue. */
export const OrderSchema = z.object({
  orderId: z.string().min(1),
  amount: z.number().positive(),
  currency: z.string().length(3),
});

/** An SQS message whose body is an order; one that is not fails alone. */
const OrderRecordSchema = SqsRecordSchema.extend({ body: jsonString(OrderSchema) });

/** Accepts each order; a large one throws, so it is retried, then kept for review. */
export async function handler(event: unknown, context: Context): Promise<BatchResponse> {
  return await processSqsBatch(event, (record) => {
    const order = record.body;
    if (order.amount > 10_000) throw new Error(`Order ${order.orderId} needs a manual review`);
    console.log(JSON.stringify({ accepted: order.orderId, amount: order.amount }));
  }, { schema: OrderRecordSchema, concurrency: 4, signal: context.signal });
}

/** Invoked by the queue of template.base.yaml; reports failed messages, not failed batches. */
export const config = {
  handler: {
    timeout: 30,
    events: {
      Orders: {
        type: "SQS",
        queue: { "Fn::GetAtt": ["OrdersQueue", "Arn"] },
        batchSize: 10,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
      },
    },
  },
} satisfies HandlerConfig;
