/**
 * The shape of src/, as a test: the runtime core depends on nothing of the emulator, the HTTP
 * adapter, the event schemas or the builder, the invocation loop nothing of Node.js compatibility,
 * and no module imports itself back through others.
 */

import { deepEqual } from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const src = new URL("src/", root).href;

/** The core's folders and files: what a deployed bootstrap is made of. */
const CORE = ["main.ts", "runtime/", "runtime_api/", "process/"];
/** What the core must not import. */
const NOT_FROM_CORE = ["emulator/", "http/", "events/", "builder/"];
/**
 * The invocation loop and what it stands on, which Node.js compatibility plugs into through the
 * handler it is given: only the entry point (`main.ts`) wires the two together.
 */
const LOOP = ["runtime/", "runtime_api/", "process/"];

/** Every import (code or type-only) between modules of src/, by importer, relative to src/. */
async function importGraph(): Promise<Map<string, Set<string>>> {
  const files: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) files.push(url.href);
    }
  };
  await walk(new URL(src));
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-layering-" });
  try {
    const entry = `${dir}/all.ts`;
    await Deno.writeTextFile(entry, files.map((f) => `import type {} from "${f}";\n`).join(""));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `--config=${new URL("deno.json", root).pathname}`, entry],
      cwd: root,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    const graph = new Map<string, Set<string>>();
    for (const module of info.modules) {
      if (!module.specifier.startsWith(src)) continue;
      const edges = new Set<string>();
      for (const dep of module.dependencies ?? []) {
        for (const target of [dep.code?.specifier, dep.type?.specifier]) {
          if (target?.startsWith(src)) edges.add(target.slice(src.length));
        }
      }
      graph.set(module.specifier.slice(src.length), edges);
    }
    return graph;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const graph = await importGraph();

Deno.test("the runtime core imports nothing from the emulator, http, events or builder", () => {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (!CORE.some((core) => from === core || from.startsWith(core))) continue;
    for (const to of targets) {
      if (NOT_FROM_CORE.some((outside) => to.startsWith(outside))) wrong.push(`${from} → ${to}`);
    }
  }
  deepEqual(wrong.sort(), []);
});

Deno.test("the invocation loop imports nothing from Node.js compatibility", () => {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (!LOOP.some((core) => from.startsWith(core))) continue;
    for (const to of targets) if (to.startsWith("node_compat/")) wrong.push(`${from} → ${to}`);
  }
  deepEqual(wrong.sort(), []);
});

Deno.test("no module in src/ imports itself back, even through type-only imports", () => {
  // Tarjan's strongly connected components: one with more than one module is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!;; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || graph.get(node)?.has(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  deepEqual(cycles, []);
});

Deno.test("the layering test sees the whole of src/", () => {
  // A graph that missed modules would pass the tests above for the wrong reason.
  for (
    const file of [
      "main.ts",
      "runtime/runtime.ts",
      "emulator/mod.ts",
      "http/mod.ts",
      "node_compat/handlers.ts",
    ]
  ) {
    deepEqual(graph.has(file), true, file);
  }
});
