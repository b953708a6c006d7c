// The bootstrap as both layouts ship it: src/main.ts bundled into one file. Handlers import
// Lambdeno from source, so they hold their own copies of its modules; the invocation scope,
// streaming and shutdown hooks must still reach the bundled runtime.
import { deepEqual, equal, ok } from "node:assert/strict";
import { bundleBootstrap } from "../../src/builder/bundling/bundle.ts";
import { MOD_URL, startBootstrap } from "./_bootstrap_support.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const HANDLER = `
import { currentContext, onShutdown, StreamingResponse } from "${MOD_URL}";
onShutdown(() => console.log("shutdown hook ran"));
export async function handler(event, ctx) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  console.log("seen");
  return { fromScope: currentContext()?.awsRequestId, fromContext: ctx.awsRequestId };
}
export function stream() {
  return new StreamingResponse(ReadableStream.from(["a", "b", "c"]), { contentType: "text/plain" });
}
// Written for Node.js: the bundle loads node:stream for it on demand.
export const node = globalThis.awslambda.streamifyResponse(async (_event, responseStream) => {
  responseStream.write("a");
  responseStream.end("bc");
});
`;

Deno.test("the bundled bootstrap serves handlers that import Lambdeno from source", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-bundle-" });
  try {
    const bundle = `${dir}/bootstrap.js`;
    await bundleBootstrap({ root: ROOT, output: bundle, deno: Deno.execPath() });
    for (const entry of ["handler", "stream", "node"]) {
      await using b = await startBootstrap({
        main: bundle,
        handlers: { "h.ts": HANDLER },
        handler: `h.${entry}`,
      });
      const handle = b.server.invoke({});
      const result = await handle.result;
      if (entry === "handler") {
        if (result.kind !== "response") throw new Error(`expected a response, got ${result.kind}`);
        deepEqual(result.json(), { fromScope: handle.requestId, fromContext: handle.requestId });
        ok(b.lines.some((line) => line.includes(`\t${handle.requestId}\tINFO\tseen`)), b.output());
        // The hook added at init made the runtime register for SIGTERM.
        equal(b.server.extensions.length, 1);
        b.process.kill("SIGTERM");
        equal((await b.status()).code, 0);
        ok(b.lines.some((line) => line.endsWith("\tshutdown hook ran")), b.output());
      } else {
        if (result.kind !== "stream") throw new Error(`expected a stream, got ${result.kind}`);
        let body = "";
        for await (const chunk of result.chunks) body += new TextDecoder().decode(chunk);
        equal(body, "abc");
        equal((await result.done).complete, true);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
