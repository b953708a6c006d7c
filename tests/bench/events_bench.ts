// Validation cost per event, and the cold-start cost of importing one source's schema.
// Run with: deno bench -A tests/bench/events_bench.ts
import { ApiGatewayProxyEventV2Schema } from "../../src/events/http/api_gateway_http.ts";
import { SqsEventSchema } from "../../src/events/streams/sqs.ts";

const fixtures = new URL("../fixtures/events/", import.meta.url);
const sqsRecord = JSON.parse(await Deno.readTextFile(new URL("sqs.json", fixtures))).Records[0];
const sqsBatch = {
  Records: Array.from({ length: 10 }, (_, i) => ({ ...sqsRecord, messageId: `m${i}` })),
};
const httpEvent = JSON.parse(await Deno.readTextFile(new URL("api_gateway_http.json", fixtures)));

Deno.bench("SqsEventSchema.parse, batch of 10 records", { group: "validate" }, () => {
  SqsEventSchema.parse(sqsBatch);
});

Deno.bench("ApiGatewayProxyEventV2Schema.parse, one request", { group: "validate" }, () => {
  ApiGatewayProxyEventV2Schema.parse(httpEvent);
});

// Cold start: a fresh `deno run` of a file importing sqs.ts, against one importing nothing.
// Spawned processes are measured by wall time, which is what a cold start costs.
const root = new URL("../../", import.meta.url);
const dir = await Deno.makeTempDir({ dir: new URL("tests/bench/", root).pathname });
const empty = `${dir}/empty.ts`;
const withSqs = `${dir}/sqs.ts`;
await Deno.writeTextFile(empty, "globalThis.x = 1;\n");
await Deno.writeTextFile(
  withSqs,
  `import { SqsEventSchema } from "${new URL("src/events/streams/sqs.ts", root).href}";\n` +
    "globalThis.x = SqsEventSchema;\n",
);

async function spawn(file: string): Promise<void> {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-lock", `--config=${new URL("deno.json", root).pathname}`, file],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!success) throw new Error(`Cannot run ${file}`);
}

// Warm the module cache once so both measure loading, not downloading or type checking.
await spawn(withSqs);
await spawn(empty);

Deno.bench(
  "deno run, importing nothing",
  { group: "cold start", baseline: true, n: 20 },
  async () => {
    await spawn(empty);
  },
);

Deno.bench(
  "deno run, importing src/events/streams/sqs.ts",
  { group: "cold start", n: 20 },
  async () => {
    await spawn(withSqs);
  },
);

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
