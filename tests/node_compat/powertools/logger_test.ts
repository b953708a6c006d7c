import { equal, ok } from "node:assert/strict";
import { invoke, json, jsonLines, powertoolsFunction, TRACE_ID } from "./_support.ts";

Deno.test("Powertools Logger writes JSON lines with the request id and cold start", async () => {
  await using b = await powertoolsFunction(`
    import { Logger } from "@aws-lambda-powertools/logger";
    const logger = new Logger({ serviceName: "orders" });
    export const handler = async (event, context) => {
      logger.addContext(context);
      logger.info("processing order", { orderId: event.orderId });
      logger.error("payment failed", new TypeError("card declined"));
      return { ok: true };
    };
  `);
  json(await invoke(b, { orderId: "o-1" }, { requestId: "req-1", traceId: TRACE_ID }));
  json(await invoke(b, { orderId: "o-2" }, { requestId: "req-2" }));
  const lines = jsonLines(b).filter((l) => l.service === "orders");
  const first = lines.find((l) => l.message === "processing order" && l.orderId === "o-1");
  ok(first, b.output());
  equal(first.level, "INFO");
  equal(first.function_request_id, "req-1");
  equal(first.function_name, "test-function");
  equal(first.cold_start, true);
  equal(first.xray_trace_id, "1-5759e988-bd862e3fe1be46a994272793");
  const second = lines.find((l) => l.message === "processing order" && l.orderId === "o-2");
  equal(second?.function_request_id, "req-2");
  equal(second?.cold_start, false);
  // Errors go to stderr, which Lambda records as well.
  const error = b.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
    .find((l) => l.message === "payment failed");
  equal(error?.level, "ERROR");
  equal(error?.function_request_id, "req-1");
  equal(error?.error?.name, "TypeError");
});
