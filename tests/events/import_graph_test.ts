// Cold start: importing one source's schema must not load any other source's module. The module
// graph comes from one `deno info` of mod.ts, which imports every source; each module's
// dependencies are followed from there.
import { deepEqual, ok } from "node:assert/strict";

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

/** The modules of src/events/ and its source folders (not the samples), relative to it. */
async function eventsModules(dir = "", found: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(new URL(`src/events/${dir}`, root))) {
    if (entry.isDirectory && dir === "" && entry.name !== "samples") {
      await eventsModules(`${entry.name}/`, found);
    } else if (entry.isFile && entry.name.endsWith(".ts")) {
      found.push(`${dir}${entry.name}`);
    }
  }
  return found.sort();
}

const modules = await eventsModules();

Deno.test("mod.ts imports every module of src/events/, so the graph covers them all", () => {
  // A folder the walk missed would leave its sources untested below.
  ok(modules.some((name) => name.startsWith("streams/")), modules.join(", "));
  const missing = modules.filter((name) => name !== "mod.ts" && !graph.has(`${eventsDir}${name}`));
  deepEqual(missing, []);
});

Deno.test("importing src/events/streams/sqs.ts loads no other module from src/events/", () => {
  deepEqual(eventsModulesLoadedBy("src/events/streams/sqs.ts"), []);
});

// Helpers a source may share without pulling in another source.
const helpers = new Set(["errors.ts", "json.ts", "stream_windows.ts"]);
const aggregates = new Set([
  "mod.ts",
  "envelopes.ts",
  "batch.ts",
  "define_handler.ts",
  "unmarshall.ts",
  ...helpers,
]);

for (const name of modules) {
  if (aggregates.has(name)) continue;
  Deno.test(`importing src/events/${name} loads no other event source`, () => {
    const loaded = eventsModulesLoadedBy(`src/events/${name}`);
    deepEqual(loaded.filter((other) => !helpers.has(other)), []);
  });
}
