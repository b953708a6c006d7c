import { deepEqual } from "node:assert/strict";
import { invoke, json, powertoolsFunction } from "./_support.ts";

const sqs = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/events/sqs.json", import.meta.url)),
) as { Records: { messageId: string; body: string }[] };

Deno.test("Powertools batch processing reports only the failed records", async () => {
  await using b = await powertoolsFunction(`
    import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
    const processor = new BatchProcessor(EventType.SQS);
    const seen = [];
    const recordHandler = async (record) => {
      const order = JSON.parse(record.body);
      if (order.amount > 100) throw new Error("amount too large: " + order.amount);
      seen.push(order.orderId);
    };
    export const handler = async (event, context) => {
      seen.length = 0;
      const response = await processPartialResponse(event, recordHandler, processor, { context });
      return { ...response, seen };
    };
  `);
  const [first, second] = sqs.Records;
  const records = [
    first!,
    { ...second!, body: JSON.stringify({ orderId: "o-2", amount: 500 }) },
  ];
  deepEqual(json(await invoke(b, { Records: records })), {
    batchItemFailures: [{ itemIdentifier: second!.messageId }],
    seen: [JSON.parse(first!.body).orderId],
  });
  deepEqual(json(await invoke(b, { Records: [first!] })), {
    batchItemFailures: [],
    seen: [JSON.parse(first!.body).orderId],
  });
});
