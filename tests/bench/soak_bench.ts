/**
 * Soak: 100,000 invocations of the real bootstrap at concurrency 8, each logging one line.
 * Checks that no invocation is lost or answered twice and that every log line carries its own
 * request id, and reports the bootstrap's resident memory after warm-up and at the end.
 *
 * `deno run -A tests/bench/soak_bench.ts [invocations]`
 *
 * @module
 */

import { startBootstrap } from "../runtime/_bootstrap_support.ts";

const TOTAL = Number(Deno.args[0] ?? 100_000);
const WARMUP = Math.min(5_000, Math.floor(TOTAL / 10));
const CONCURRENCY = 8;
// Keep the runtime's every slot busy and the next invocation queued.
const OUTSTANDING = CONCURRENCY * 2;

const linesById = new Map<string, number>();
let otherLines = 0;
await using b = await startBootstrap({
  handlers: {
    "soak.ts": `export function handler(event) {
  console.log("soak " + event.i);
  return event.i;
}
`,
  },
  handler: "soak.handler",
  env: { AWS_LAMBDA_MAX_CONCURRENCY: String(CONCURRENCY), LAMBDENO_EXTENSION: "off" },
  recordRequests: false,
  keepLines: false,
  onLine(line) {
    const [, id, level, message] = line.split("\t");
    if (level === "INFO" && message?.startsWith("soak ") && id !== undefined) {
      linesById.set(id, (linesById.get(id) ?? 0) + 1);
    } else {
      otherLines++;
    }
  },
});

function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
}

const answers = new Map<string, number>();
let wrong = 0;
let next = 0;
let rssAfterWarmup = 0;
let warmupDone: () => void = () => {};
const warmedUp = new Promise<void>((resolve) => warmupDone = resolve);
let completed = 0;

async function lane(): Promise<void> {
  while (next < TOTAL) {
    const i = next++;
    const handle = b.server.invoke({ i });
    const result = await handle.result;
    if (result.kind !== "response" || result.text() !== String(i)) wrong++;
    answers.set(handle.requestId, (answers.get(handle.requestId) ?? 0) + 1);
    if (++completed === WARMUP) warmupDone();
  }
}

await b.server.waitForPolls(CONCURRENCY);
const started = performance.now();
const lanes = Array.from({ length: OUTSTANDING }, lane);
await warmedUp;
rssAfterWarmup = rssKiB(b.pid);
const warmupAt = performance.now();
await Promise.all(lanes);
const elapsed = performance.now() - started;
const rssEnd = rssKiB(b.pid);
// Every log line was written before its answer; wait for the pipe to deliver them all.
const deadline = Date.now() + 10_000;
while ([...linesById.values()].reduce((a, n) => a + n, 0) < TOTAL && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}

const duplicatedAnswers = [...answers.values()].filter((n) => n > 1).length;
const logLines = [...linesById.values()].reduce((a, n) => a + n, 0);
const idsWithOneLine = [...answers.keys()].filter((id) => linesById.get(id) === 1).length;
const report = {
  invocations: TOTAL,
  concurrency: CONCURRENCY,
  answered: answers.size,
  wrongAnswers: wrong,
  duplicatedAnswers,
  logLines,
  idsWithExactlyOneLine: idsWithOneLine,
  otherStdoutLines: otherLines,
  seconds: Number((elapsed / 1000).toFixed(2)),
  invocationsPerSecond: Math.round(TOTAL / (elapsed / 1000)),
  afterWarmupPerSecond: Math.round((TOTAL - WARMUP) / ((performance.now() - warmupAt) / 1000)),
  rssAfterWarmupKiB: rssAfterWarmup,
  rssEndKiB: rssEnd,
  rssGrowthKiB: rssEnd - rssAfterWarmup,
};
console.log(JSON.stringify(report, null, 2));
const ok = report.answered === TOTAL && wrong === 0 && duplicatedAnswers === 0 &&
  logLines === TOTAL && idsWithOneLine === TOTAL;
if (!ok) {
  console.error("FAILED: lost, wrong or duplicated invocations or log lines");
  Deno.exitCode = 1;
}
