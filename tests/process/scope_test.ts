// The invocation scope: with one invocation at a time no AsyncLocalStorage (so no Node.js layer
// at cold start), and the Node.js runtime's semantics; with many, AsyncLocalStorage.
import { deepEqual, equal } from "node:assert/strict";

const scope = new URL("../../src/process/scope.ts", import.meta.url).href;

/** Runs a script in a Deno of its own, whose invocation scope nothing else has touched. */
async function fresh(script: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("one invocation at a time: the current invocation is the last started, as in Node.js", async () => {
  const seen = await fresh(`
    import { currentContext, invocationScope } from "${scope}";
    const seen = [currentContext()?.awsRequestId ?? "none"];
    let late;
    await invocationScope.run({ awsRequestId: "r1" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(currentContext().awsRequestId);
      late = Promise.resolve().then(() => currentContext().awsRequestId);
    });
    seen.push(currentContext().awsRequestId, await late);
    invocationScope.run({ awsRequestId: "r2" }, () => seen.push(currentContext().awsRequestId));
    console.log(seen.join(","));
  `);
  equal(seen, "none,r1,r1,r1,r2");
});

Deno.test("the runtime loads no node: module before its first invocation needs one", async () => {
  // Loading one loads Deno's Node.js layer: 7-8 ms of every cold start. Those the runtime may
  // need (node:async_hooks for concurrency, node:stream for Node.js-style streaming) load lazily.
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/main.ts"],
    cwd: new URL("../..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string; dependencies?: Dependency[] }[];
  };
  const eager = graph.modules.flatMap((m) =>
    (m.dependencies ?? []).filter((d) => d.code?.specifier.startsWith("node:") && !d.isDynamic)
      .map((d) => `${m.specifier.replace(/^.*\/src\//, "src/")} imports ${d.specifier}`)
  );
  deepEqual(eager, []);
});

/** One import in `deno info --json`: `code` is absent for a type-only import. */
interface Dependency {
  readonly specifier: string;
  readonly isDynamic?: boolean;
  readonly code?: { readonly specifier: string };
}

Deno.test("useAsyncScope() keeps each concurrent invocation's context through its awaits", async () => {
  const seen = await fresh(`
    import { currentContext, invocationScope, useAsyncScope } from "${scope}";
    useAsyncScope();
    const run = (id, ms) => invocationScope.run({ awsRequestId: id }, async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return currentContext()?.awsRequestId;
    });
    console.log((await Promise.all([run("a", 3), run("b", 1)])).join(","));
  `);
  deepEqual(seen, "a,b");
});
