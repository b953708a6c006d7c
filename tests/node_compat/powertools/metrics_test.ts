import { deepEqual, equal, ok } from "node:assert/strict";
import { invoke, json, jsonLines, powertoolsFunction } from "./_support.ts";

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

Deno.test("Powertools Metrics writes Embedded Metric Format lines", async () => {
  await using b = await powertoolsFunction(`
    import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
    const metrics = new Metrics({ namespace: "shop", serviceName: "orders" });
    export const handler = async (event, context) => {
      metrics.captureColdStartMetric(context.functionName);
      metrics.addDimension("channel", "web");
      metrics.addMetric("ordersPlaced", MetricUnit.Count, event.count);
      metrics.publishStoredMetrics();
      return { ok: true };
    };
  `);
  json(await invoke(b, { count: 3 }));
  const emf = jsonLines(b).filter((l) => "_aws" in l) as unknown as Emf[];
  const orders = emf.find((l) => l.ordersPlaced !== undefined);
  ok(orders, b.output());
  equal(orders.ordersPlaced, 3);
  equal(orders.service, "orders");
  equal(orders.channel, "web");
  const meta = orders._aws.CloudWatchMetrics[0]!;
  equal(meta.Namespace, "shop");
  deepEqual(meta.Metrics, [{ Name: "ordersPlaced", Unit: "Count" }]);
  deepEqual(meta.Dimensions, [["service", "channel"]]);
  ok(Math.abs(orders._aws.Timestamp - Date.now()) < 60_000);
  const coldStart = emf.find((l) => l.ColdStart !== undefined);
  equal(coldStart?.ColdStart, 1);
  equal(coldStart?.function_name, "test-function");
});
