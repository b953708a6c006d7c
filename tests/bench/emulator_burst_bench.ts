/**
 * Emulator burst: rounds of a burst of concurrent invocations of echo (each sleeping a while)
 * through the Invoke API, then quiet. Samples, during each burst and after the idle timeout has
 * passed, how many runtime processes the emulator has and their resident memory, and the
 * emulator's own retained heap (after a forced GC). Scale-out must stay within the cap during a
 * burst, and reclaiming must bring processes and memory back down after it, round after round.
 *
 * ```sh
 * deno run -A --v8-flags=--expose-gc tests/bench/emulator_burst_bench.ts \
 *   [--rounds 3] [--burst 30] [--sleep-ms 300] [--max-environments 10] [--idle-seconds 2] [--json]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Emulator } from "../../src/emulator/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    burst: { type: "string", default: "30" },
    "sleep-ms": { type: "string", default: "300" },
    "max-environments": { type: "string", default: "10" },
    "idle-seconds": { type: "string", default: "2" },
    json: { type: "boolean", default: false },
  },
});
const ROUNDS = Number(values.rounds);
const BURST = Number(values.burst);
const SLEEP_MS = Number(values["sleep-ms"]);
const IDLE_SECONDS = Number(values["idle-seconds"]);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error("Cannot measure retained heap: run with --v8-flags=--expose-gc");
}

const root = new URL("../..", import.meta.url).pathname;
await using emulator = await Emulator.start({
  port: 0,
  handlersDir: `${root}handlers`,
  command: [Deno.execPath(), "run", "-A", `${root}src/main.ts`],
  taskRoot: root,
  env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
  timeoutSeconds: 30,
  maxEnvironments: Number(values["max-environments"]),
  idleTimeoutSeconds: IDLE_SECONDS,
  log: () => {},
});
const url = `${emulator.url}2015-03-31/functions/echo/invocations`;

/** The runtime processes this process has now, and their resident memory. */
interface Processes {
  readonly count: number;
  readonly rssKiB: number;
}

function processes(): Processes {
  let count = 0;
  let rssKiB = 0;
  for (const task of Deno.readDirSync("/proc/self/task")) {
    const children = Deno.readTextFileSync(`/proc/self/task/${task.name}/children`).trim();
    for (const pid of children === "" ? [] : children.split(" ")) {
      try {
        const status = Deno.readTextFileSync(`/proc/${pid}/status`);
        rssKiB += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
        count++;
      } catch {
        // Exited between the listing and the read.
      }
    }
  }
  return { count, rssKiB };
}

function retainedBytes(): number {
  gc!();
  gc!();
  const memory = Deno.memoryUsage();
  return memory.heapUsed + memory.external;
}

/** One round, as sampled. */
interface Round {
  readonly answered: number;
  readonly throttled: number;
  readonly peak: Processes;
  readonly idle: Processes;
  readonly retainedBytes: number;
}

async function round(): Promise<Round> {
  let peak: Processes = { count: 0, rssKiB: 0 };
  const sampler = setInterval(() => {
    const now = processes();
    if (now.count > peak.count || now.rssKiB > peak.rssKiB) {
      peak = { count: Math.max(now.count, peak.count), rssKiB: Math.max(now.rssKiB, peak.rssKiB) };
    }
  }, 20);
  const statuses = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const response = await fetch(url, {
        method: "POST",
        body: JSON.stringify({ i, sleepMs: SLEEP_MS }),
      });
      await response.body?.cancel();
      return response.status;
    }),
  );
  clearInterval(sampler);
  // Quiet for longer than the idle timeout: every environment should be reclaimed.
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000 + 500));
  return {
    answered: statuses.filter((status) => status === 200).length,
    throttled: statuses.filter((status) => status === 429).length,
    peak,
    idle: processes(),
    retainedBytes: retainedBytes(),
  };
}

const rounds: Round[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round());

if (values.json) {
  console.log(JSON.stringify({ burst: BURST, idleSeconds: IDLE_SECONDS, rounds }));
} else {
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  console.log(
    `${ROUNDS} rounds of ${BURST} concurrent invocations of echo (${SLEEP_MS} ms each), ` +
      `at most ${values["max-environments"]} environments, idle timeout ${IDLE_SECONDS} s`,
  );
  console.log(
    "round  answered  throttled  peak processes  peak RSS MiB  idle processes  idle RSS MiB  " +
      "emulator retained MiB",
  );
  rounds.forEach((r, i) => {
    console.log(
      `${String(i + 1).padStart(5)}  ${String(r.answered).padStart(8)}  ` +
        `${String(r.throttled).padStart(9)}  ${String(r.peak.count).padStart(14)}  ` +
        `${mib(r.peak.rssKiB).padStart(12)}  ${String(r.idle.count).padStart(14)}  ` +
        `${mib(r.idle.rssKiB).padStart(12)}  ${
          (r.retainedBytes / 1048576).toFixed(1).padStart(21)
        }`,
    );
  });
}
