/**
 * `deno task bench`: the runtime's per-invocation cost against a minimal `fetch()` loop, in one
 * run on this machine. Both echo a 1.4 KB API Gateway v2 event through the same Runtime API
 * server; the figures that matter are the ratios, since absolute times depend on the machine.
 *
 * The bootstrap is measured as both build layouts ship it: `src/main.ts` bundled into one file.
 * Reports cold start (spawn to first `/next`), warm throughput, p50/p99 latency per
 * invocation, and resident memory after warm-up and after 20,000 more invocations. The warm-up
 * is long (20,000 invocations) because V8 grows its heap for the first ~15,000 of them whatever
 * the loop does; memory growth measured before that says nothing about leaks.
 *
 * `BENCH_AGAINST=/tmp/before` (another checkout, `git worktree add /tmp/before <commit>`) runs
 * that checkout's bootstrap too, warm, in the same interleaved turns, and prints its figures
 * beside this one's. `BENCH_COLD_RUNS`, `BENCH_WARMUP` and `BENCH_INVOCATIONS` change the runs.
 *
 * @module
 */

import { bundleBootstrap } from "../../src/builder/bundling/bundle.ts";
import {
  type InvocationResult,
  RuntimeApiServer,
} from "../../src/emulator/runtime_api_server/server.ts";

const EVENT = JSON.parse(
  await Deno.readTextFile(new URL("./apigw_v2_event.json", import.meta.url)),
);
const EXPECTED = JSON.stringify(EVENT);
// Cold starts vary by a quarter from one to the next on a shared machine; 31 steady the median.
const COLD_RUNS = Number(Deno.env.get("BENCH_COLD_RUNS") ?? 31);
const WARMUP = Number(Deno.env.get("BENCH_WARMUP") ?? 20_000);
const INVOCATIONS = Number(Deno.env.get("BENCH_INVOCATIONS") ?? 20_000);
/** How many turns the warm runs take, each subject a slice of its invocations per turn. */
const TURNS = 10;

interface Subject {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Whether an answer is the right one. */
  readonly check: (result: InvocationResult) => boolean;
}

// The bootstrap as both build layouts ship it: src/main.ts bundled into one file.
const ROOT = new URL("../../", import.meta.url).pathname;
const scratch = await Deno.makeTempDir({ prefix: "lambdeno-bench-" });
const MAIN = `${scratch}/bootstrap.js`;
await bundleBootstrap({ root: ROOT, output: MAIN, deno: Deno.execPath() });
const HANDLERS = new URL("../../handlers/", import.meta.url).pathname;
const BENCH_HANDLERS = new URL("./handlers/", import.meta.url).pathname;
const echoed = (result: InvocationResult) =>
  result.kind === "response" && result.text() === EXPECTED;
const lambdeno: Subject = {
  name: "lambdeno",
  args: ["run", "-A", MAIN],
  env: { _HANDLER: "echo.handler", LAMBDENO_HANDLERS_DIR: HANDLERS },
  check: echoed,
};
/** Cold start only: a handler with a shutdown hook, for which the runtime registers for SIGTERM. */
const hooked: Subject = {
  name: "lambdeno, hook",
  args: ["run", "-A", MAIN],
  env: { _HANDLER: "hooked_echo.handler", LAMBDENO_HANDLERS_DIR: BENCH_HANDLERS },
  check: echoed,
};
const baseline: Subject = {
  name: "fetch() baseline",
  args: ["run", "-A", new URL("./fetch_baseline.ts", import.meta.url).pathname],
  env: {},
  check: echoed,
};
const viaAdapter: Subject = {
  name: "lambdeno, HTTP",
  args: ["run", "-A", MAIN],
  env: {
    _HANDLER: "http_echo.handler",
    LAMBDENO_HANDLERS_DIR: BENCH_HANDLERS,
  },
  check: (result) => {
    if (result.kind !== "response") return false;
    const answer = result.json() as { statusCode?: number; body?: string };
    return answer.statusCode === 200 && answer.body === EVENT.body;
  },
};
const AGAINST = Deno.env.get("BENCH_AGAINST");
const against: Subject | undefined = AGAINST === undefined ? undefined : {
  ...lambdeno,
  name: "lambdeno, against",
  args: ["run", "-A", `${scratch}/against.js`],
  env: { _HANDLER: "echo.handler", LAMBDENO_HANDLERS_DIR: `${AGAINST}/handlers/` },
};
if (AGAINST !== undefined) {
  await bundleBootstrap({ root: AGAINST, output: `${scratch}/against.js`, deno: Deno.execPath() });
}
const subjects: readonly Subject[] = [
  lambdeno,
  baseline,
  viaAdapter,
  ...(against ? [against] : []),
];

interface Warm {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly rssWarmMiB: number;
  readonly rssEndMiB: number;
}

function spawn(subject: Subject, server: RuntimeApiServer): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [...subject.args],
    env: { AWS_LAMBDA_RUNTIME_API: server.address, NO_COLOR: "1", ...subject.env },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  await child.status;
}

async function coldStart(subject: Subject): Promise<number> {
  await using server = await RuntimeApiServer.start({ recordRequests: false });
  const started = performance.now();
  const child = spawn(subject, server);
  await server.waitForPolls(1);
  const elapsed = performance.now() - started;
  await stop(child);
  return elapsed;
}

async function invokeOnce(server: RuntimeApiServer, subject: Subject): Promise<void> {
  const result = await server.invoke(EVENT, { timeoutMs: 10_000 }).result;
  if (!subject.check(result)) {
    throw new Error(
      `Cannot benchmark ${subject.name}: unexpected answer ${JSON.stringify(result)}`,
    );
  }
}

/**
 * Runs every subject warm, in turns of a few thousand invocations each, so that a slow moment
 * on the machine falls on all of them alike rather than on whichever ran then.
 */
async function warmAll(subjects: readonly Subject[]): Promise<Map<string, Warm>> {
  const running = [];
  for (const subject of subjects) {
    const server = await RuntimeApiServer.start({ recordRequests: false });
    running.push({ subject, server, child: spawn(subject, server) });
  }
  try {
    for (const { subject, server } of running) {
      for (let i = 0; i < WARMUP; i++) await invokeOnce(server, subject);
    }
    const measured = [];
    for (const { subject, child } of running) {
      measured.push({
        rssWarmMiB: await rss(child.pid),
        latencies: new Float64Array(INVOCATIONS),
        elapsed: 0,
        done: 0,
        subject,
      });
    }
    const turn = Math.ceil(INVOCATIONS / TURNS);
    while (measured.some((m) => m.done < INVOCATIONS)) {
      for (const [i, m] of measured.entries()) {
        const server = running[i]!.server;
        const until = Math.min(INVOCATIONS, m.done + turn);
        const started = performance.now();
        for (; m.done < until; m.done++) {
          const t = performance.now();
          await invokeOnce(server, m.subject);
          m.latencies[m.done] = performance.now() - t;
        }
        m.elapsed += performance.now() - started;
      }
    }
    const results = new Map<string, Warm>();
    for (const [i, m] of measured.entries()) {
      m.latencies.sort();
      results.set(m.subject.name, {
        perSecond: INVOCATIONS / (m.elapsed / 1000),
        p50: m.latencies[Math.floor(INVOCATIONS * 0.5)]!,
        p99: m.latencies[Math.floor(INVOCATIONS * 0.99)]!,
        rssWarmMiB: m.rssWarmMiB,
        rssEndMiB: await rss(running[i]!.child.pid),
      });
    }
    return results;
  } finally {
    for (const { child, server } of running) {
      await stop(child);
      await server.close();
    }
  }
}

function rss(pid: number): Promise<number> {
  return memory(pid, "VmRSS");
}

/** A memory figure of a process from `/proc`, in MiB. */
async function memory(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return kb / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const coldSubjects = [lambdeno, baseline, hooked];
const cold = new Map<string, number[]>(coldSubjects.map((s) => [s.name, []]));
for (let run = 0; run < COLD_RUNS; run++) {
  // Interleaved, so a slow moment on the machine hits all alike.
  for (const subject of coldSubjects) {
    cold.get(subject.name)!.push(await coldStart(subject));
  }
}
const results = await warmAll(subjects);

const streamed = await streamBench();
await Deno.remove(scratch, { recursive: true });
const [ours, base] = [lambdeno.name, baseline.name];
const o = results.get(ours)!;
const b = results.get(base)!;
const h = results.get(viaAdapter.name)!;
const coldOurs = median(cold.get(ours)!);
const coldBase = median(cold.get(base)!);
const coldHooked = median(cold.get(hooked.name)!);
const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(9);
console.log(
  `\nRuntime loop, echo of a ${EXPECTED.length}-byte API Gateway v2 event, ` +
    `${INVOCATIONS} warm invocations after ${WARMUP} warm-up, cold start median of ${COLD_RUNS}\n`,
);
console.log(
  `${"".padEnd(18)}${"inv/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}` +
    `${"cold ms".padStart(9)}${"RSS warm".padStart(9)}${"RSS end".padStart(9)}`,
);
for (
  const [name, r, c] of [[ours, o, coldOurs], [base, b, coldBase], [viaAdapter.name, h]] as const
) {
  console.log(
    `${name.padEnd(18)}${fmt(r.perSecond)}${fmt(r.p50, 3)}${fmt(r.p99, 3)}` +
      `${c === undefined ? "        -" : fmt(c, 1)}${fmt(r.rssWarmMiB, 1)}${fmt(r.rssEndMiB, 1)}`,
  );
}
const a = against === undefined ? undefined : results.get(against.name)!;
if (a !== undefined) {
  console.log(
    `${"  against".padEnd(18)}${fmt(a.perSecond)}${fmt(a.p50, 3)}${fmt(a.p99, 3)}` +
      `        -${fmt(a.rssWarmMiB, 1)}${fmt(a.rssEndMiB, 1)}   (${AGAINST})`,
  );
}
const growth = (o.rssEndMiB - o.rssWarmMiB) / o.rssWarmMiB * 100;
console.log(`
throughput ratio  ${(o.perSecond / b.perSecond).toFixed(2)}x the baseline   (target >= 1.70x)
p99 ratio         ${(o.p99 / b.p99).toFixed(2)}x the baseline's   (target <= 1.00x)
cold start ratio  ${(coldOurs / coldBase).toFixed(2)}x the baseline's   (target <= 1.25x)
                  ${
  (coldHooked / coldBase).toFixed(2)
}x with an onShutdown hook, which adds the SIGTERM registration
RSS growth        ${growth >= 0 ? "+" : ""}${
  growth.toFixed(1)
} % over ${INVOCATIONS} invocations (target <= +15 %)
HTTP adapter      ${
  (h.perSecond / o.perSecond * 100).toFixed(0)
} % of plain echo's throughput (target >= 75 %)
${
  a === undefined
    ? ""
    : `against           ${(o.perSecond / a.perSecond).toFixed(3)}x its throughput, ${
      (o.p99 / a.p99).toFixed(3)
    }x its p99\n`
}streamed ${(streamed.bytes / 1e6).toFixed(1)} MB  peak RSS ${
  streamed.peakGrowthMiB >= 0 ? "+" : ""
}${streamed.peakGrowthMiB.toFixed(1)} MiB over the RSS before it (target < 20 MiB)`);

/** Streams about 50 MB through `echo.stream` and reports how much the runtime's memory grew. */
async function streamBench(): Promise<{ bytes: number; peakGrowthMiB: number }> {
  await using server = await RuntimeApiServer.start({ recordRequests: false });
  const child = spawn({ ...lambdeno, env: { ...lambdeno.env, _HANDLER: "echo.stream" } }, server);
  try {
    const drain = async (event: unknown) => {
      const result = await server.invoke(event, { timeoutMs: 60_000 }).result;
      if (result.kind !== "stream") throw new Error(`Cannot benchmark streaming: ${result.kind}`);
      let bytes = 0;
      for await (const chunk of result.chunks) bytes += chunk.length;
      return bytes;
    };
    for (let i = 0; i < 200; i++) await drain({ chunks: 4, bytes: 65_536 });
    const before = await rss(child.pid);
    const bytes = await drain({ chunks: 800, bytes: 65_536 });
    const peak = await memory(child.pid, "VmHWM");
    return { bytes, peakGrowthMiB: peak - before };
  } finally {
    await stop(child);
  }
}
