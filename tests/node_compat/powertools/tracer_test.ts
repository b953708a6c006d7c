import { deepEqual, equal, ok } from "node:assert/strict";
import { createSocket } from "node:dgram";
import { invoke, json, powertoolsFunction, TRACE_ID } from "./_support.ts";

const HANDLER = `
  import { Tracer } from "@aws-lambda-powertools/tracer";
  const tracer = new Tracer({ serviceName: "orders" });
  export const handler = async (event) => {
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment("## handler");
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation("orderId", event.orderId);
    tracer.putMetadata("order", event);
    subsegment?.close();
    if (segment) tracer.setSegment(segment);
    return { enabled: tracer.isTracingEnabled(), root: tracer.getRootXrayTraceId() ?? null };
  };
`;

Deno.test("Powertools Tracer annotates subsegments and sends them to the X-Ray daemon address", async () => {
  // A stand-in for the X-Ray daemon: one UDP socket on 127.0.0.1 that collects what arrives.
  const daemon = createSocket("udp4");
  const received: string[] = [];
  let arrived: () => void = () => {};
  const first = new Promise<void>((resolve) => arrived = resolve);
  daemon.on("message", (message) => {
    received.push(message.toString());
    arrived();
  });
  await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
  try {
    const port = daemon.address().port;
    await using b = await powertoolsFunction(HANDLER, {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
    });
    deepEqual(
      json(await invoke(b, { orderId: "o-1" }, { traceId: TRACE_ID })),
      { enabled: true, root: "1-5759e988-bd862e3fe1be46a994272793" },
    );
    await first;
    // The daemon protocol: a JSON header line, then the subsegment.
    const [header, body] = received[0]!.split("\n");
    deepEqual(JSON.parse(header!), { format: "json", version: 1 });
    const subsegment = JSON.parse(body!);
    equal(subsegment.name, "## handler");
    equal(subsegment.trace_id, "1-5759e988-bd862e3fe1be46a994272793");
    equal(subsegment.parent_id, "53995c3f42cd8ad8");
    deepEqual(subsegment.annotations, { ColdStart: true, Service: "orders", orderId: "o-1" });
    deepEqual(subsegment.metadata?.orders?.order, { orderId: "o-1" });
  } finally {
    daemon.close();
  }
});

Deno.test("Powertools Tracer keeps working without a trace header or a daemon", async () => {
  // Port 9 on 127.0.0.1: nothing listens, as when no daemon runs.
  await using b = await powertoolsFunction(HANDLER, { AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:9" });
  const traced = json(await invoke(b, { orderId: "o-1" }, { traceId: TRACE_ID }));
  equal((traced as { enabled: boolean }).enabled, true);
  const untraced = await invoke(b, { orderId: "o-2" });
  ok(untraced.kind === "response", JSON.stringify(untraced));
  const again = json(await invoke(b, { orderId: "o-3" }, { traceId: TRACE_ID }));
  equal((again as { root: string }).root, "1-5759e988-bd862e3fe1be46a994272793");
});
