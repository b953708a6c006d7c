// A busy function scales out as Lambda's does: a new environment (a cold start) per invocation
// that finds the others busy, up to its cap; past it, a synchronous invocation is throttled and
// an Event one waits; idle environments are reclaimed.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type Clock, LambdaFunction } from "../../src/emulator/mod.ts";
import { functionEnv } from "../../src/emulator/sandbox/function_env.ts";
import { scratchDir } from "../_scratch.ts";
import {
  Barrier,
  BARRIER_HANDLER,
  BOOTSTRAP,
  invoke,
  LogCapture,
  ROOT,
  startEmulator,
  testEnv,
} from "./_support.ts";

async function barrierHandlers(): Promise<string> {
  const dir = await scratchDir("lambdeno-scale-");
  await Deno.writeTextFile(`${dir}/gate.ts`, BARRIER_HANDLER);
  return dir;
}

Deno.test("Four concurrent invocations run at once, each in its own environment and cold start", async () => {
  await using barrier = new Barrier(4);
  const { emulator, log } = await startEmulator({
    handlersDir: await barrierHandlers(),
    // The first waits at the barrier for the other three's cold starts.
    timeoutSeconds: 60,
    env: testEnv({ BARRIER_URL: barrier.url }),
  });
  await using _ = emulator;
  // Run one at a time, the first would wait at the barrier until its deadline.
  const responses = await Promise.all(
    [1, 2, 3, 4].map((n) => invoke(emulator, "gate", JSON.stringify({ n }))),
  );
  const answers = await Promise.all(responses.map((response) => response.json()));
  deepEqual(answers.map((answer) => answer.n), [1, 2, 3, 4]);
  equal(new Set(answers.map((answer) => answer.pid)).size, 4);
  equal(log.matching(/^\[gate\] INIT_START/).length, 4);
  for (const response of responses) {
    const id = response.headers.get("x-amzn-requestid");
    match(log.matching(new RegExp(`REPORT RequestId: ${id}\t`))[0] ?? "", /\tInit Duration: /);
  }
  // Warm now: the next invocation reuses one of them.
  barrier.open();
  const warm = await (await invoke(emulator, "gate", '{"n":5}')).json();
  ok(answers.some((answer) => answer.pid === warm.pid));
  equal(log.matching(/^\[gate\] INIT_START/).length, 4);
});

Deno.test("Past its cap a function throttles a synchronous invocation with 429; an Event one waits", async () => {
  await using barrier = new Barrier(Infinity);
  const { emulator, log } = await startEmulator({
    handlersDir: await barrierHandlers(),
    timeoutSeconds: 60,
    maxEnvironments: 2,
    env: testEnv({ BARRIER_URL: barrier.url }),
  });
  await using _ = emulator;
  const held = [1, 2].map((n) => invoke(emulator, "gate", JSON.stringify({ n })));
  await barrier.arrivals(2);
  const refused = await invoke(emulator, "gate", '{"n":3}');
  equal(refused.status, 429);
  equal(refused.headers.get("x-amzn-errortype"), "TooManyRequestsException");
  const body = await refused.json();
  equal(body.Reason, "ConcurrentInvocationLimitExceeded");
  match(body.message, /gate is running 2 invocations .*--max-environments/);
  // Over HTTP too.
  const url = await fetch(`${emulator.url}gate/`);
  equal(url.status, 429);
  await url.body?.cancel();
  const event = await invoke(emulator, "gate", '{"n":4}', { "X-Amz-Invocation-Type": "Event" });
  equal(event.status, 202);
  const eventId = event.headers.get("x-amzn-requestid");
  barrier.open();
  for (const response of await Promise.all(held)) equal(response.status, 200);
  await log.waitFor(new RegExp(`REPORT RequestId: ${eventId}\t`));
  equal(log.matching(/^\[gate\] INIT_START/).length, 2);
});

Deno.test("A function's reservedConcurrency caps its environments; 0 throttles every invocation", async () => {
  await using barrier = new Barrier(Infinity);
  const settings = (reservedConcurrency: number) =>
    new Map([["gate.handler", { timeoutSeconds: 60, reservedConcurrency, env: {} }]]);
  const { emulator } = await startEmulator({
    handlersDir: await barrierHandlers(),
    settings: settings(1),
    env: testEnv({ BARRIER_URL: barrier.url }),
  });
  await using _ = emulator;
  const held = invoke(emulator, "gate", '{"n":1}');
  await barrier.arrivals(1);
  const refused = await invoke(emulator, "gate", '{"n":2}');
  equal(refused.status, 429);
  const body = await refused.json();
  equal(body.Reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
  match(body.message, /reservedConcurrency/);
  barrier.open();
  equal((await held).status, 200);

  await emulator.restart(settings(0));
  for (const type of ["RequestResponse", "Event"]) {
    const off = await invoke(emulator, "gate", '{"n":3}', { "X-Amz-Invocation-Type": type });
    equal(off.status, 429, type);
    match((await off.json()).message, /reserved concurrency is 0/);
  }
});

Deno.test("Managed Instances mode keeps one environment; invocations past N wait their turn", async () => {
  await using barrier = new Barrier(2);
  const { emulator, log } = await startEmulator({
    handlersDir: await barrierHandlers(),
    timeoutSeconds: 60,
    concurrency: 2,
    env: testEnv({ BARRIER_URL: barrier.url }),
  });
  await using _ = emulator;
  const answers = await Promise.all(
    [1, 2, 3, 4].map((n) => invoke(emulator, "gate", JSON.stringify({ n })).then((r) => r.json())),
  );
  deepEqual(answers.map((answer) => answer.n), [1, 2, 3, 4]);
  equal(new Set(answers.map((answer) => answer.pid)).size, 1);
  equal(log.matching(/^\[gate\] INIT_START/).length, 1);
});

/** A clock whose time moves only when the test says, firing the timers that fall due. */
class ManualClock implements Clock {
  time = 0;
  readonly #timers = new Set<{ at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** The times timers are set for. */
  get pending(): number[] {
    return [...this.#timers].map((timer) => timer.at);
  }

  advance(ms: number): void {
    this.time += ms;
    for (const timer of [...this.#timers]) {
      if (timer.at > this.time) continue;
      this.#timers.delete(timer);
      timer.callback();
    }
  }
}

Deno.test("Environments idle for the idle timeout are reclaimed, by the pool's own timer too", async () => {
  const dir = await barrierHandlers();
  await using barrier = new Barrier(2);
  const clock = new ManualClock();
  const log = new LogCapture();
  const spec = { name: "gate", handler: "gate.handler" };
  await using fn = new LambdaFunction({
    name: "gate",
    command: BOOTSTRAP,
    cwd: ROOT,
    env: functionEnv(spec, {
      handlersDir: dir,
      taskRoot: ROOT,
      memoryMb: 128,
      env: testEnv({ BARRIER_URL: barrier.url }),
    }),
    timeoutMs: 60_000,
    memoryMb: 128,
    idleTimeoutMs: 1000,
    clock,
    log: log.write,
  });
  const outcomes = await Promise.all([1, 2].map((n) => fn.invoke(JSON.stringify({ n }))));
  const pids = outcomes.map((o) =>
    o.kind === "response" ? JSON.parse(new TextDecoder().decode(o.body)).pid : undefined
  );
  equal(fn.environments, 2);
  // Both became idle at 0: one timer, for when the first reaches the timeout.
  deepEqual(clock.pending, [1000]);

  clock.time = 999;
  equal(await fn.reapIdle(), 0);
  equal(fn.environments, 2);
  clock.time = 1000;
  equal(await fn.reapIdle(), 2);
  equal(fn.environments, 0);
  equal(new Set(pids).size, 2);
  for (const pid of pids) {
    equal(await Deno.stat(`/proc/${pid}`).then(() => "running", () => "gone"), "gone");
  }

  // The next invocation cold-starts; once it is idle, the timer alone reclaims it.
  const again = await fn.invoke('{"n":3}');
  equal(again.kind, "response");
  equal(log.matching(/^\[gate\] INIT_START/).length, 3);
  equal(fn.environments, 1);
  deepEqual(clock.pending, [2000]);
  clock.advance(999);
  equal(fn.environments, 1);
  clock.advance(1);
  equal(fn.environments, 0);
});

Deno.test("A reclaimed environment whose runtime asked to hear of shutdown runs its hooks", async () => {
  const dir = await scratchDir("lambdeno-shutdown-");
  await Deno.writeTextFile(
    `${dir}/hooked.ts`,
    `import { onShutdown } from "${ROOT}/src/mod.ts";
onShutdown(() => console.log("shutdown hook ran"));
export const handler = () => "ok";
`,
  );
  const clock = new ManualClock();
  const log = new LogCapture();
  const spec = { name: "hooked", handler: "hooked.handler" };
  await using fn = new LambdaFunction({
    name: "hooked",
    command: BOOTSTRAP,
    cwd: ROOT,
    env: functionEnv(spec, { handlersDir: dir, taskRoot: ROOT, memoryMb: 128, env: testEnv() }),
    timeoutMs: 10_000,
    memoryMb: 128,
    idleTimeoutMs: 1000,
    clock,
    log: log.write,
  });
  equal((await fn.invoke("{}")).kind, "response");
  clock.time = 1000;
  equal(await fn.reapIdle(), 1);
  ok(log.lines.some((line) => line.endsWith("shutdown hook ran")), log.lines.join("\n"));
});
