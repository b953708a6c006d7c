import { equal, match, ok } from "node:assert/strict";
import { ChunkQueue } from "../../src/emulator/runtime_api_server/invocation_result.ts";
import { startEmulator } from "./_support.ts";

const MIB = 1024 * 1024;

Deno.test("ChunkQueue.push() waits once a MiB is buffered, until the reader catches up", async () => {
  const queue = new ChunkQueue();
  equal(queue.push(new Uint8Array(MIB / 2)), undefined);
  const waiting = queue.push(new Uint8Array(MIB / 2));
  ok(waiting instanceof Promise, "the second half MiB fills the buffer");
  let released = false;
  void waiting.then(() => released = true);
  await queue.next();
  await waiting;
  ok(released);
  // A reader that goes away releases the writer and the buffer.
  const again = queue.push(new Uint8Array(MIB));
  ok(again instanceof Promise);
  await queue.return();
  await again;
  equal(queue.push(new Uint8Array(MIB)), undefined, "chunks after the end are dropped");
  equal((await queue.next()).done, true);
});

const BIG = `import { StreamingResponse } from "${new URL(
  "../../src/runtime/streaming.ts",
  import.meta.url,
)}";
export function handler(event) {
  const { mib } = JSON.parse(event.body);
  async function* body() {
    for (let i = 1; i <= mib; i++) {
      yield new Uint8Array(${MIB}).fill(120);
      if (i === mib) console.log("produced all " + mib);
    }
  }
  return new StreamingResponse(body(), { contentType: "application/octet-stream" });
}
`;

Deno.test("A client that does not read holds the function's stream back; one that leaves frees it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-big-" });
  try {
    await Deno.writeTextFile(`${dir}/big.ts`, BIG);
    const { emulator, log } = await startEmulator({ handlersDir: dir, timeoutSeconds: 30 });
    await using _ = emulator;
    const stream = (mib: number) =>
      fetch(`${emulator.url}big/`, { method: "POST", body: JSON.stringify({ mib }) });
    const held = (await stream(64)).body!.getReader();
    try {
      // Unthrottled, 64 MiB over loopback takes well under a second; held back, it cannot end
      // while nobody reads. Waiting proves a negative, hence the bound.
      const produced = await Promise.race([
        log.waitFor(/produced all 64/).then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, 2000, false)),
      ]);
      equal(produced, false, "the function wrote 64 MiB that nobody read");
    } finally {
      // The client goes away: the function, held back until now, runs to its end.
      await held.cancel();
    }
    const finished = await Promise.race([
      log.waitFor(/produced all 64/).then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, 10_000, false)),
    ]);
    ok(finished, "the function was still held back after its client left");
    await log.waitFor(/REPORT/);
    // A client that reads gets every byte.
    let bytes = 0;
    for await (const chunk of (await stream(16)).body!) bytes += chunk.length;
    equal(bytes, 16 * MIB);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Closing the emulator does not wait for a client that does not read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-big-" });
  try {
    await Deno.writeTextFile(`${dir}/big.ts`, BIG);
    const { emulator, log } = await startEmulator({ handlersDir: dir, timeoutSeconds: 30 });
    const response = await fetch(`${emulator.url}big/`, {
      method: "POST",
      body: JSON.stringify({ mib: 64 }),
    });
    equal(response.status, 200);
    // Let the stream fill every buffer up to the client, which is when a close that waits for
    // the response to end would wait for ever.
    const produced = await Promise.race([
      log.waitFor(/produced all 64/).then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, 2000, false)),
    ]);
    equal(produced, false);
    const closed = await Promise.race([
      emulator.close().then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, 10_000, false)),
    ]);
    ok(closed, "close() still waiting for the unread stream after 10 s");
    await response.body?.cancel().catch(() => {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("A streamed 204 drops its body instead of holding the function back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-empty-" });
  try {
    await Deno.writeTextFile(
      `${dir}/empty.ts`,
      `import { StreamingResponse } from "${new URL(
        "../../src/runtime/streaming.ts",
        import.meta.url,
      )}";
export function handler() {
  async function* body() {
    yield JSON.stringify({ statusCode: 204 }) + "\\0".repeat(8);
    for (let i = 0; i < 8; i++) yield new Uint8Array(${MIB});
  }
  return new StreamingResponse(body(), {
    contentType: "application/vnd.awslambda.http-integration-response",
  });
}
`,
    );
    const { emulator, log } = await startEmulator({ handlersDir: dir });
    await using _ = emulator;
    const response = await fetch(`${emulator.url}empty/`);
    equal(response.status, 204);
    equal(response.body, null);
    const report = await log.waitFor(/^\[empty\] REPORT/);
    ok(!report.includes("Status:"), report);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("A streamed answer whose prelude is not JSON fails without holding the function back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-badprelude-" });
  try {
    await Deno.writeTextFile(
      `${dir}/badprelude.ts`,
      `import { StreamingResponse } from "${new URL(
        "../../src/runtime/streaming.ts",
        import.meta.url,
      )}";
export function handler() {
  async function* body() {
    yield "{not json" + "\\0".repeat(8);
    for (let i = 0; i < 8; i++) yield new Uint8Array(${MIB});
  }
  return new StreamingResponse(body(), {
    contentType: "application/vnd.awslambda.http-integration-response",
  });
}
`,
    );
    const { emulator, log } = await startEmulator({ handlersDir: dir });
    await using _ = emulator;
    const response = await fetch(`${emulator.url}badprelude/`);
    equal(response.status, 502);
    await response.body?.cancel();
    match(
      await log.waitFor(/HTTP prelude/),
      /^\[badprelude\] Cannot read the stream's HTTP prelude: SyntaxError/,
    );
    const report = await log.waitFor(/^\[badprelude\] REPORT/);
    ok(!report.includes("Status:"), report);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
