// Modules written for Lambda's Node.js runtime load as Node loads them (ES modules, `.cjs`,
// CommonJS `.js`), with `awslambda` in place: from source, when the build reads their config,
// and in the emulator's catalog. The artifacts run the same cases (tests/artifacts/).
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { listHandlerModules, readFunctions } from "../../src/builder/functions/handler_modules.ts";
import { discoverFunctions } from "../../src/emulator/front/function_catalog.ts";
import { readFunctionSettings } from "../../src/emulator/front/function_configs.ts";
import { startBootstrap } from "../runtime/_bootstrap_support.ts";
import { invoke } from "./powertools/_support.ts";
import { NODE_STYLE_CASES, NODE_STYLE_DIR, startLocalAws } from "./_node_style.ts";

const MODULES = [
  "async",
  "callback",
  "commonjs",
  "idempotency",
  "legacy",
  "sdk",
  "streamify",
  "streamify_http",
  "succeed",
];

Deno.test("Node-style modules run from source as on Lambda's Node.js runtime", async (t) => {
  await using aws = await startLocalAws();
  for (const c of NODE_STYLE_CASES) {
    await t.step(c.name, async () => {
      await using b = await startBootstrap({
        handler: c.handler,
        handlersDir: NODE_STYLE_DIR,
        env: {
          ...aws.env,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: "S3RVER",
          AWS_SECRET_ACCESS_KEY: "S3RVER",
        },
      });
      await c.check((event) => invoke(b, event), aws);
    });
  }
});

Deno.test("the build lists .cjs and CommonJS .js modules, and reads a config beside awslambda", async () => {
  const modules = await listHandlerModules(NODE_STYLE_DIR, undefined);
  deepEqual(modules.map((m) => m.name), MODULES);
  equal(modules.find((m) => m.name === "legacy")?.fileName, "legacy.cjs");
  const functions = await readFunctions(NODE_STYLE_DIR, modules);
  deepEqual(
    functions.find((f) => f.file === "streamify_http"),
    { file: "streamify_http", exportName: "handler", config: { url: "stream" } },
  );
  deepEqual(functions.map((f) => `${f.file}.${f.exportName}`), MODULES.map((m) => `${m}.handler`));
});

Deno.test("the build names a module by its last extension, and refuses two files of one name", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-twins-" });
  try {
    await Deno.writeTextFile(`${dir}/orders.mts`, "export const handler = () => 1;\n");
    deepEqual(await listHandlerModules(dir, undefined), [
      { name: "orders", fileName: "orders.mts" },
    ]);
    await Deno.writeTextFile(`${dir}/orders.cjs`, "exports.handler = () => 2;\n");
    await rejects(
      listHandlerModules(dir, undefined),
      /handlers\/orders is: orders\.mts and orders\.cjs are both .*would load orders\.mts/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the emulator lists .cjs and CommonJS .js modules and reads a config beside awslambda", async () => {
  deepEqual(
    (await discoverFunctions(NODE_STYLE_DIR)).map((spec) => spec.handler),
    MODULES.map((m) => `${m}.handler`),
  );
  const settings = await readFunctionSettings(NODE_STYLE_DIR);
  ok(settings.has("streamify_http.handler"), [...settings.keys()].join(", "));
});
