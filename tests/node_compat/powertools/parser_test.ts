import { deepEqual, equal, match } from "node:assert/strict";
import { invoke, json, powertoolsFunction } from "./_support.ts";

const fixture = (name: string) =>
  Deno.readTextFile(new URL(`../../fixtures/events/${name}.json`, import.meta.url)).then(
    JSON.parse,
  );

Deno.test("Powertools parser validates events with its own schemas and envelopes", async () => {
  await using b = await powertoolsFunction(`
    import { parse } from "@aws-lambda-powertools/parser";
    import { SqsEnvelope, EventBridgeEnvelope } from "@aws-lambda-powertools/parser/envelopes";
    import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
    import { JSONStringified } from "@aws-lambda-powertools/parser/helpers";
    import { z } from "zod";
    const Order = z.object({ orderId: z.string(), amount: z.number().positive() });
    export const handler = async (event) => {
      if (Array.isArray(event.Records)) {
        return { orders: parse(event, SqsEnvelope, JSONStringified(Order)) };
      }
      const full = parse(event, undefined, EventBridgeSchema);
      return { source: full.source, order: parse(event, EventBridgeEnvelope, Order) };
    };
  `);
  const sqs = await fixture("sqs");
  const orders = (json(await invoke(b, sqs)) as { orders: unknown[] }).orders;
  deepEqual(orders[0], JSON.parse(sqs.Records[0].body));
  equal(orders.length, sqs.Records.length);
  const eventbridge = await fixture("eventbridge");
  deepEqual(json(await invoke(b, eventbridge)), {
    source: "com.example.shop",
    order: eventbridge.detail,
  });
  const bad = { ...eventbridge, detail: { orderId: "o-1", amount: -1 } };
  const failed = await invoke(b, bad);
  if (failed.kind !== "error") throw new Error(`expected an error, got ${failed.kind}`);
  equal(failed.error.errorType, "ParseError");
  match(failed.error.errorMessage, /amount/);
});
