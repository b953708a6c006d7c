// Cold start: importing one source's schema must not load any other source's module. The module
// graph comes from one `deno info` of mod.ts, which imports every source; each module's
// dependencies are followed from there.
import { deepEqual } from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const eventsDir = new URL("src/events/", root).href;

interface _Dependency {
  readonly code?: { readonly specifier: string };
  readonly type?: { readonly specifier: string };
}

const output = await new Deno.Command(Deno.execPath(), {
  args: ["info", "--json", "src/events/mod.ts"],
  cwd: root,
  stdout: "piped",
  stderr: "inherit",
}).output();
const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
  modules: { specifier: string; dependencies?: _Dependency[] }[];
};
const graph = new Map(
  info.modules.map((m) => [
    m.specifier,
    (m.dependencies ?? []).flatMap((d) => [d.code?.specifier, d.type?.specifier])
      .filter((s): s is string => s !== undefined),
  ]),
);

/** The modules under src/events/ that `file` loads, itself excluded. */
function eventsModulesLoadedBy(file: string): string[] {
  const start = new URL(file, root).href;
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const dependency of graph.get(next) ?? []) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        queue.push(dependency);
      }
    }
  }
  seen.delete(start);
  return [...seen].filter((s) => s.startsWith(eventsDir)).map((s) => s.slice(eventsDir.length))
    .sort();
}

Deno.test("mod.ts imports every module of src/events/, so the graph covers them all", async () => {
  const missing: string[] = [];
  for await (const entry of Deno.readDir(new URL("src/events/", root))) {
    if (entry.isFile && entry.name !== "mod.ts" && !graph.has(`${eventsDir}${entry.name}`)) {
      missing.push(entry.name);
    }
  }
  deepEqual(missing, []);
});

Deno.test("importing src/events/sqs.ts loads no other module from src/events/", () => {
  deepEqual(eventsModulesLoadedBy("src/events/sqs.ts"), []);
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
  Deno.test(`importing src/events/${entry.name} loads no other event source`, () => {
    const loaded = eventsModulesLoadedBy(`src/events/${entry.name}`);
    deepEqual(loaded.filter((name) => !helpers.has(name)), []);
  });
}
