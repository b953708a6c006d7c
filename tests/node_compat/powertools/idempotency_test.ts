import { deepEqual, equal, notDeepEqual } from "node:assert/strict";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { startBootstrap } from "../../runtime/_bootstrap_support.ts";
import { IDEMPOTENCY_TABLE, startDynalite } from "../_dynalite.ts";
import { invoke, json } from "./_support.ts";

const imports = (JSON.parse(
  await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)),
) as { imports: Record<string, string> }).imports;

/**
 * The function's own project: `DynamoDBPersistenceLayer` imports `@aws-sdk/util-dynamodb`,
 * which the idempotency package does not declare, so Deno finds it only through a
 * `node_modules` directory that has it at the top, as npm's hoisting does for Node.
 */
async function functionProject(handler: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-idempotency-" });
  const pick = (name: string) => [name, imports[name]!] as const;
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({
      nodeModulesDir: "auto",
      imports: Object.fromEntries([
        pick("@aws-lambda-powertools/idempotency"),
        pick("@aws-sdk/client-dynamodb"),
        pick("@aws-sdk/lib-dynamodb"),
        pick("@aws-sdk/util-dynamodb"),
      ]),
    }),
  );
  await Deno.mkdir(`${dir}/handlers`);
  await Deno.writeTextFile(`${dir}/handlers/fn.js`, handler);
  return dir;
}

const HANDLER = `
  import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
  import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: "idempotency",
    clientConfig: {
      endpoint: Deno.env.get("DYNAMODB_ENDPOINT"),
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    },
  });
  let runs = 0;
  export const handler = makeIdempotent(async (event) => {
    runs++;
    return { orderId: event.orderId, runs, chargedAt: performance.now() };
  }, { persistenceStore, config: new IdempotencyConfig({}) });
`;

Deno.test("Powertools idempotency returns the stored result for a repeated payload", async () => {
  // A local DynamoDB, in memory, on 127.0.0.1.
  await using db = await startDynalite();
  const project = await functionProject(HANDLER);
  try {
    await using b = await startBootstrap({
      handler: "fn.handler",
      handlersDir: `${project}/handlers`,
      config: `${project}/deno.json`,
      env: { DYNAMODB_ENDPOINT: db.endpoint, AWS_REGION: "us-east-1" },
    });
    const first = json(await invoke(b, { orderId: "o-1" })) as { runs: number };
    equal(first.runs, 1);
    // Same payload, another request: the stored result, and the function does not run again.
    deepEqual(json(await invoke(b, { orderId: "o-1" })), first);
    const other = json(await invoke(b, { orderId: "o-2" })) as { runs: number };
    equal(other.runs, 2);
    notDeepEqual(other, first);
    const items = await db.client.send(new ScanCommand({ TableName: IDEMPOTENCY_TABLE }));
    equal(items.Count, 2);
    deepEqual(items.Items?.map((item) => item.status?.S), ["COMPLETED", "COMPLETED"]);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});
