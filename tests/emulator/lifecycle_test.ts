import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { invoke, startEmulator, testHandlersDir } from "./_support.ts";

Deno.test("A cold start reports Init Duration once; warm invocations reuse the process", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const first = await invoke(emulator, "echo", '{"log":"from the handler"}');
  const id = first.headers.get("x-amzn-requestid");
  await first.body?.cancel();
  const second = await invoke(emulator, "echo", "{}");
  const id2 = second.headers.get("x-amzn-requestid");
  await second.body?.cancel();
  equal(log.matching(/^\[echo\] INIT_START/).length, 1);
  ok(log.lines.includes(`[echo] START RequestId: ${id} Version: $LATEST`));
  ok(log.lines.some((line) => line.endsWith(`\t${id}\tINFO\tfrom the handler`)));
  ok(log.lines.includes(`[echo] END RequestId: ${id}`));
  const cold = log.matching(new RegExp(`^\\[echo\\] REPORT RequestId: ${id}\\t`))[0] ?? "";
  match(
    cold,
    /\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: [1-9]\d* MB\tInit Duration: \d+\.\d\d ms$/,
  );
  const warm = log.matching(new RegExp(`^\\[echo\\] REPORT RequestId: ${id2}\\t`))[0] ?? "";
  ok(warm !== "" && !warm.includes("Init Duration"));
  // The order Lambda writes them in.
  const order = log.lines.filter((l) => l.includes(id ?? "?"))
    .map((l) => l.includes("\tINFO\t") ? "(log)" : l.split(" ")[1]);
  deepEqual(order, ["START", "(log)", "END", "REPORT"]);
});

Deno.test("Classic mode: a timed-out invocation gets Sandbox.Timedout and a fresh process", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir, timeoutSeconds: 1 });
  await using _ = emulator;
  const before = (await (await invoke(emulator, "slow", "{}")).json()).pid;
  const timedOut = await invoke(emulator, "slow", '{"sleepMs":5000}');
  equal(timedOut.status, 200);
  equal(timedOut.headers.get("x-amz-function-error"), "Unhandled");
  const id = timedOut.headers.get("x-amzn-requestid");
  deepEqual(await timedOut.json(), {
    errorType: "Sandbox.Timedout",
    errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    trace: [],
  });
  ok(log.matching(new RegExp(`${id} Task timed out after 1.00 seconds$`)).length === 1);
  match(log.matching(new RegExp(`REPORT RequestId: ${id}`))[0] ?? "", /Status: timeout/);
  const after = (await (await invoke(emulator, "slow", "{}")).json()).pid;
  notEqual(after, before);
  equal(log.matching(/^\[slow\] INIT_START/).length, 2);
});

Deno.test("Classic mode: a handler that never answers times out instead of hanging", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({ handlersDir: dir, timeoutSeconds: 0.5 });
  await using _ = emulator;
  const response = await invoke(emulator, "hang", "{}");
  equal((await response.json()).errorType, "Sandbox.Timedout");
});

Deno.test("Managed Instances mode: a late answer gets 410 and the process goes on", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({
    handlersDir: dir,
    timeoutSeconds: 0.3,
    concurrency: 2,
  });
  await using _ = emulator;
  const context = await (await invoke(emulator, "context", "{}")).json();
  equal(context.env.initType, "lambda-managed-instances");
  equal(context.env.maxConcurrency, "2");
  const timedOut = await invoke(emulator, "slow", '{"sleepMs":600}');
  equal((await timedOut.json()).errorType, "Sandbox.Timedout");
  const id = timedOut.headers.get("x-amzn-requestid");
  // The runtime's answer arrives after the deadline: the Runtime API refuses it with 410.
  await log.waitFor(new RegExp(`\\[slow\\] .*${id}.*after its deadline`));
  const before = log.matching(/^\[slow\] INIT_START/).length;
  const next = await invoke(emulator, "slow", "{}");
  equal(next.headers.get("x-amz-function-error"), null);
  await next.body?.cancel();
  equal(log.matching(/^\[slow\] INIT_START/).length, before);
});

Deno.test("Managed Instances mode runs N invocations at once in one process", async () => {
  const dir = await testHandlersDir();
  // Each invocation answers only once all three are inside the handler: run one at a time, the
  // first would wait until its deadline and time out.
  await Deno.writeTextFile(
    `${dir}/barrier.ts`,
    `let arrived = 0;
let open;
const all = new Promise((resolve) => (open = resolve));
export async function handler(event) {
  if (++arrived === event.n) open();
  await all;
  return { pid: Deno.pid, arrived };
}
`,
  );
  const { emulator } = await startEmulator({ handlersDir: dir, concurrency: 3 });
  await using _ = emulator;
  const answers = await Promise.all(
    [1, 2, 3].map(() => invoke(emulator, "barrier", '{"n":3}').then((r) => r.json())),
  );
  deepEqual(answers.map((a) => a.arrived), [3, 3, 3]);
  equal(new Set(answers.map((a) => a.pid)).size, 1);
});

Deno.test("An init error is reported to the caller, and the next invocation tries again", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const response = await invoke(emulator, "broken", "{}");
    equal(response.status, 200);
    equal(response.headers.get("x-amz-function-error"), "Unhandled");
    const body = await response.json();
    equal(body.errorType, "Runtime.ImportModuleError");
    match(body.errorMessage, /cannot load this module/);
  }
  equal(log.matching(/^\[broken\] INIT_START/).length, 2);
  match(log.matching(/^\[broken\] INIT_REPORT/)[0] ?? "", /Status: error\tError Type: Runtime\./);
});

Deno.test("A runtime that exits mid-invocation is a Runtime.ExitError; the next one recovers", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const before = (await (await invoke(emulator, "crash", "{}")).json()).pid;
  const crashed = await invoke(emulator, "crash", '{"exit":3}');
  equal(crashed.headers.get("x-amz-function-error"), "Unhandled");
  const id = crashed.headers.get("x-amzn-requestid");
  deepEqual(await crashed.json(), {
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 3`,
    trace: [],
  });
  match(
    log.matching(new RegExp(`REPORT RequestId: ${id}`))[0] ?? "",
    /Status: error\tError Type: Runtime.ExitError/,
  );
  const after = await invoke(emulator, "crash", "{}");
  equal(after.headers.get("x-amz-function-error"), null);
  notEqual((await after.json()).pid, before);
});

Deno.test("A runtime that exits before its first /next is an init failure", async () => {
  const dir = await testHandlersDir();
  await Deno.writeTextFile(`${dir}/quits.ts`, "Deno.exit(2);\nexport function handler() {}\n");
  const { emulator } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const response = await invoke(emulator, "quits", "{}");
  const id = response.headers.get("x-amzn-requestid");
  deepEqual(await response.json(), {
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 2`,
    trace: [],
  });
});

Deno.test("restart() makes the next invocation cold-start with the current code", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  await (await invoke(emulator, "slow", "{}")).body?.cancel();
  await emulator.restart();
  await (await invoke(emulator, "slow", "{}")).body?.cancel();
  equal(log.matching(/^\[slow\] INIT_START/).length, 2);
  equal(log.matching(/^\[slow\] REPORT .*Init Duration/).length, 2);
});
