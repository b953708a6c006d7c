// `X-Amz-Log-Type: Tail` returns its own invocation's lines and no other's, however many run at
// once: in separate environments, or in one (Managed Instances mode), where an environment's
// lines that carry no request id belong to no invocation.
import { equal, ok } from "node:assert/strict";
import { LogTails, TAIL_BYTES } from "../../src/emulator/front/log_tail.ts";
import { scratchDir } from "../_scratch.ts";
import { Barrier, BARRIER_HANDLER, invoke, startEmulator, testEnv } from "./_support.ts";

const N = 4;

/** Invokes `gate` N times at once, each asking for its tail; returns each tail's lines. */
async function concurrentTails(concurrency?: number): Promise<Map<number, string[]>> {
  const dir = await scratchDir("lambdeno-tail-");
  await Deno.writeTextFile(`${dir}/gate.ts`, BARRIER_HANDLER);
  await using barrier = new Barrier(N);
  const { emulator } = await startEmulator({
    handlersDir: dir,
    timeoutSeconds: 60,
    concurrency,
    env: testEnv({ BARRIER_URL: barrier.url }),
  });
  await using _ = emulator;
  const tails = new Map<number, string[]>();
  await Promise.all(Array.from({ length: N }, async (_, n) => {
    const response = await invoke(emulator, "gate", JSON.stringify({ n }), {
      "X-Amz-Log-Type": "Tail",
    });
    equal((await response.json()).n, n);
    const tail = Uint8Array.fromBase64(response.headers.get("x-amz-log-result") ?? "");
    tails.set(n, new TextDecoder().decode(tail).trimEnd().split("\n"));
  }));
  return tails;
}

/** The numbers of the invocations a tail's lines speak of. */
function spokenOf(lines: readonly string[]): Set<number> {
  return new Set(
    lines.flatMap((line) => [...line.matchAll(/(?:inside|leaving|untagged) (\d)/g)])
      .map((match) => Number(match[1])),
  );
}

Deno.test("Concurrent tails, each in its own environment, hold only their own lines", async () => {
  const tails = await concurrentTails();
  for (const [n, lines] of tails) {
    ok(lines[0]?.startsWith("START RequestId: "), lines.join("\n"));
    ok(lines.at(-1)?.startsWith("REPORT RequestId: "), lines.join("\n"));
    equal([...spokenOf(lines)].join(), String(n), lines.join("\n"));
    // One invocation at a time per environment: all it prints is its own, tagged or not.
    ok(lines.some((line) => line.endsWith(`\tINFO\tinside ${n}`)), lines.join("\n"));
    ok(lines.includes(`untagged ${n}`), lines.join("\n"));
    ok(lines.some((line) => line.endsWith(`\tINFO\tleaving ${n}`)), lines.join("\n"));
  }
});

Deno.test("Concurrent tails in Managed Instances mode hold only the lines tagged with their id", async () => {
  const tails = await concurrentTails(N);
  for (const [n, lines] of tails) {
    equal([...spokenOf(lines)].join(), String(n), lines.join("\n"));
    ok(lines.some((line) => line.endsWith(`\tINFO\tinside ${n}`)), lines.join("\n"));
    ok(lines.some((line) => line.endsWith(`\tINFO\tleaving ${n}`)), lines.join("\n"));
    // Untagged, a line of a shared environment could be anyone's: it is nobody's.
    ok(!lines.some((line) => line.startsWith("untagged")), lines.join("\n"));
  }
});

Deno.test("A tail keeps no more of a long log than its last 4 KB needs", () => {
  const tails = new LogTails();
  const capture = tails.capture("echo", "r1");
  const line = "x".repeat(1000);
  let held = 0;
  for (let i = 0; i < 40_000; i++) {
    tails.feed(`[echo] ${line}`, "r1");
    held = Math.max(held, tails.heldChars);
  }
  ok(held <= TAIL_BYTES + 2 * line.length, `a capture held ${held} characters`);
  equal(Uint8Array.fromBase64(capture.finish()).length, TAIL_BYTES);
  equal(tails.heldChars, 0);
});
