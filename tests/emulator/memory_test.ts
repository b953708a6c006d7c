import { equal, ok } from "node:assert/strict";
import { ROOT } from "./_support.ts";

/**
 * The soak benchmark in reduced form, in its own process so that it can force GC: thousands of
 * invocations through the emulator, each answer matched once, and the heap the emulator keeps
 * no larger after 2N invocations than after N. Each event carries 8 KiB so that an outcome
 * kept per invocation would show as megabytes, well clear of GC noise.
 */
Deno.test("The emulator's retained memory does not grow with the number of invocations", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      `${ROOT}/tests/bench/emulator_soak_bench.ts`,
      "--invocations",
      "3000",
      "--bytes",
      "8192",
      "--checkpoints",
      "4",
      "--json",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  equal(output.code, 0, stderr);
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  equal(result.missing, 0);
  equal(result.wrong, 0);
  const samples: { completed: number; retainedBytes: number }[] = result.samples;
  const half = samples.find((s) => s.completed >= 1500);
  const end = samples.at(-1);
  ok(half !== undefined && end !== undefined && end.completed === 3000, JSON.stringify(samples));
  const grownMiB = (end.retainedBytes - half.retainedBytes) / 1024 / 1024;
  // Keeping each outcome would add about 12 MiB between the two samples.
  ok(
    grownMiB < 4,
    `retained memory grew ${grownMiB.toFixed(1)} MiB from ${half.completed} to 3000`,
  );
});
