// The shipped bootstrap is one bundled file, while handlers import Lambdeno from source: the two
// are separate copies of the same modules, and must still work together.
import { equal, ok } from "node:assert/strict";
import type { Context } from "../../src/runtime/context.ts";
import { currentContext, invocationScope } from "../../src/process/scope.ts";
import { publishShutdownHooks, ShutdownHooks } from "../../src/process/shutdown.ts";
import { asStreamingResponse, StreamingResponse } from "../../src/runtime/streaming.ts";

/** A second, separate instance of a source module, as a handler importing it from elsewhere gets. */
async function copyOf<T>(path: string): Promise<T> {
  return await import(`${new URL(path, import.meta.url).href}?copy`) as T;
}

Deno.test("a second copy of scope.ts sees the invocation the first copy runs", async () => {
  const copy = await copyOf<typeof import("../../src/process/scope.ts")>(
    "../../src/process/scope.ts",
  );
  ok(copy.currentContext !== currentContext, "the copy is a module of its own");
  const ctx = { awsRequestId: "r-copy" } as Context;
  await invocationScope.run(ctx, async () => {
    await Promise.resolve();
    equal(copy.currentContext()?.awsRequestId, "r-copy");
  });
  await copy.invocationScope.run({ awsRequestId: "r-back" } as Context, async () => {
    await Promise.resolve();
    equal(currentContext()?.awsRequestId, "r-back");
  });
});

Deno.test("a StreamingResponse made by a second copy of streaming.ts is streamed", async () => {
  const copy = await copyOf<typeof import("../../src/runtime/streaming.ts")>(
    "../../src/runtime/streaming.ts",
  );
  ok(copy.StreamingResponse !== StreamingResponse, "the copy is a module of its own");
  const made = new copy.StreamingResponse(ReadableStream.from(["a", "b"]), {
    contentType: "text/plain",
  });
  const found = asStreamingResponse(made);
  ok(found !== undefined);
  equal(found.contentType, "text/plain");
  equal(await new Response(found.body).text(), "ab");
  equal(asStreamingResponse({ body: new ReadableStream(), contentType: "text/plain" }), undefined);
});

Deno.test("onShutdown() from a second copy of shutdown.ts adds to the published hooks", async () => {
  const copy = await copyOf<typeof import("../../src/process/shutdown.ts")>(
    "../../src/process/shutdown.ts",
  );
  ok(copy.ShutdownHooks !== ShutdownHooks, "the copy is a module of its own");
  const slot = Symbol.for("lambdeno.shutdownHooks");
  const globals = globalThis as unknown as Record<symbol, unknown>;
  const before = globals[slot];
  try {
    const hooks = new ShutdownHooks();
    publishShutdownHooks(hooks);
    const remove = copy.onShutdown(() => {});
    equal(hooks.size, 1);
    remove();
    equal(hooks.size, 0);
  } finally {
    globals[slot] = before;
  }
});
