// The build imports each handler module and reads its `config`: the examples must pass it.
import { deepEqual } from "node:assert/strict";
import { functionsOf } from "../../src/build/function_config.ts";

Deno.test("the example functions deploy as the build reads them", async () => {
  const found: Record<string, unknown> = {};
  for (const name of ["site", "slack", "github", "scheduled"]) {
    const exports = await import(`../../handlers/${name}.ts`) as Record<string, unknown>;
    for (const spec of functionsOf(name, exports)) {
      found[`${name}.${spec.exportName}`] = spec.config;
    }
  }
  deepEqual(found, {
    "site.handler": { url: "buffered", assets: ["public/"] },
    "slack.handler": { url: "buffered" },
    "github.handler": { url: "buffered" },
    "scheduled.handler": { timeout: 60, description: "Checks a list of URLs on a schedule" },
  });
});
