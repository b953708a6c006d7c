/**
 * Emulator soak: invocations of echo through the emulator's Invoke API, 8 clients at once,
 * each event carrying its own number. Checks that every answer comes back exactly once, to the
 * invocation that asked, and samples at checkpoints the emulator's retained heap (after a
 * forced GC: `heapUsed + external`, so that kept bodies count) and the resident memory of the
 * runtime processes (one per environment: with 8 clients, echo scales out to 8). Both must stay
 * flat.
 *
 * ```sh
 * deno run -A --v8-flags=--expose-gc tests/bench/emulator_soak_bench.ts \
 *   [--invocations 100000] [--clients 8] [--bytes 0] [--checkpoints 10] [--managed] [--json]
 * ```
 *
 * `--managed` runs the function in Managed Instances mode with as many slots as clients;
 * `--json` prints one JSON object instead of a table (what the test reads).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Emulator } from "../../src/emulator/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    invocations: { type: "string", default: "100000" },
    clients: { type: "string", default: "8" },
    bytes: { type: "string", default: "0" },
    checkpoints: { type: "string", default: "10" },
    managed: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const TOTAL = Number(values.invocations);
const CLIENTS = Number(values.clients);
const CHECKPOINTS = Number(values.checkpoints);
const PAD = "x".repeat(Number(values.bytes));
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
  concurrency: values.managed ? CLIENTS : undefined,
  log: () => {},
});
const url = `${emulator.url}2015-03-31/functions/echo/invocations`;

/** A sample at a checkpoint. */
interface Sample {
  readonly completed: number;
  /** The emulator's `heapUsed + external` after GC, in bytes. */
  readonly retainedBytes: number;
  /** The runtime processes' resident memory, summed, in KiB (0 if unknown). */
  readonly runtimeRssKiB: number;
}

const seen = new Uint8Array(TOTAL);
const samples: Sample[] = [];
let wrong = 0;
let next = 0;
let completed = 0;
let pausing: Promise<void> | undefined;
const every = Math.max(1, Math.floor(TOTAL / CHECKPOINTS));

async function client(): Promise<void> {
  while (next < TOTAL) {
    if (pausing !== undefined) await pausing;
    const i = next++;
    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ i, pad: PAD }),
    });
    const answer = await response.json() as { i?: unknown; pad?: unknown };
    if (answer.i === i && answer.pad === PAD && seen[i] === 0) seen[i] = 1;
    else wrong++;
    completed++;
    if (completed % every === 0 && pausing === undefined) {
      const resume = Promise.withResolvers<void>();
      pausing = resume.promise;
      // Let the other clients finish what they sent, so the sample sees no invocation in flight.
      while (completed < next) await new Promise((r) => setTimeout(r, 1));
      samples.push(sample());
      pausing = undefined;
      resume.resolve();
    }
  }
}

function sample(): Sample {
  gc!();
  gc!();
  const memory = Deno.memoryUsage();
  return {
    completed,
    retainedBytes: memory.heapUsed + memory.external,
    runtimeRssKiB: _runtimeRssKiB(),
  };
}

/** The resident memory of this process's child runtimes, summed (echo's environments). */
function _runtimeRssKiB(): number {
  let total = 0;
  try {
    for (const task of Deno.readDirSync("/proc/self/task")) {
      const children = Deno.readTextFileSync(`/proc/self/task/${task.name}/children`).trim();
      for (const pid of children === "" ? [] : children.split(" ")) {
        const status = Deno.readTextFileSync(`/proc/${pid}/status`);
        total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      }
    }
  } catch {
    return 0;
  }
  return total;
}

const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, client));
const seconds = (performance.now() - started) / 1000;
const missing = seen.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
const result = {
  invocations: TOTAL,
  clients: CLIENTS,
  bytes: PAD.length,
  managed: values.managed,
  seconds,
  perSecond: TOTAL / seconds,
  missing,
  wrong,
  samples,
};

if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `${TOTAL} invocations, ${CLIENTS} clients, ${PAD.length} B padding` +
      `${values.managed ? ", Managed Instances" : ""}: ${seconds.toFixed(1)} s ` +
      `(${result.perSecond.toFixed(0)}/s); missing ${missing}, wrong or repeated ${wrong}`,
  );
  console.log("completed  emulator retained MiB  runtime RSS MiB");
  for (const s of samples) {
    console.log(
      `${String(s.completed).padStart(9)}  ${mib(s.retainedBytes).padStart(21)}  ` +
        `${mib(s.runtimeRssKiB * 1024).padStart(15)}`,
    );
  }
}
if (missing > 0 || wrong > 0) Deno.exitCode = 1;
