// Cold start: importing one source's schema must not load any other source's module.
import { deepEqual } from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const eventsDir = new URL("src/events/", root).href;

/** The modules under src/events/ that `file` loads, itself excluded. */
async function eventsModulesLoadedBy(file: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string }[];
  };
  return info.modules
    .map((m) => m.specifier)
    .filter((s) => s.startsWith(eventsDir) && !s.endsWith(`/${file.split("/").pop()}`))
    .map((s) => s.slice(eventsDir.length))
    .sort();
}

Deno.test("importing src/events/sqs.ts loads no other module from src/events/", async () => {
  deepEqual(await eventsModulesLoadedBy("src/events/sqs.ts"), []);
});

// Helpers a source may share without pulling in another source.
const helpers = new Set(["errors.ts", "json.ts"]);
const aggregates = new Set([
  "mod.ts",
  "envelopes.ts",
  "batch.ts",
  "define_handler.ts",
  "unmarshall.ts",
  ...helpers,
]);

for await (const entry of Deno.readDir(new URL("src/events/", root))) {
  if (!entry.isFile || aggregates.has(entry.name)) continue;
  Deno.test(`importing src/events/${entry.name} loads no other event source`, async () => {
    const loaded = await eventsModulesLoadedBy(`src/events/${entry.name}`);
    deepEqual(loaded.filter((name) => !helpers.has(name)), []);
  });
}
