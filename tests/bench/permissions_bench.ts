/**
 * What granting every permission costs a cold start: the same artifacts, `echo` and `location`
 * (the AWS SDK's S3 client), each started with its shipped bootstrap (`--allow-all`) and with
 * the same bootstrap granting the previous default set (network, environment, reading
 * `/var/task` and `/tmp`, writing `/tmp`; no system information). Part of `deno task bench`.
 *
 * Built with `deno task build --layout deno-run --layer --arch x86_64` and unpacked read-only; each
 * start has an empty `TMPDIR` and only Lambda's variables, as a new Lambda sandbox has. The two
 * take turns, so a slow moment on the machine falls on both alike; the ratio is the figure.
 *
 * `deno run -A tests/bench/permissions_bench.ts` (BENCH_COLD_RUNS to change the runs)
 *
 * @module
 */

import { readZip } from "../../src/builder/archives/zip.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { removeLink } from "../artifacts/_sandbox.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const RUNS = Number(Deno.env.get("BENCH_COLD_RUNS") ?? 15);
const EVENT = JSON.parse(
  await Deno.readTextFile(new URL("./apigw_v2_event.json", import.meta.url)),
);
/** The flags the deno-run bootstrap passed before every permission was granted. */
const PREVIOUS =
  `--allow-net --allow-env "--allow-read=$ROOT,$APP",/var/task,/tmp --allow-write=/tmp`;

const scratch = await Deno.makeTempDir({ prefix: "lambdeno-permissions-bench-" });

async function unpack(zip: string, dir: string, rewrite?: (path: string, text: string) => string) {
  const dirs = new Set<string>([dir]);
  for (const entry of readZip(await Deno.readFile(zip))) {
    const path = `${dir}/${entry.path}`;
    const parent = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(parent, { recursive: true });
    for (let d = parent; d.length > dir.length; d = d.slice(0, d.lastIndexOf("/"))) dirs.add(d);
    const data = rewrite === undefined || entry.path !== "bootstrap"
      ? entry.read()
      : new TextEncoder().encode(rewrite(entry.path, new TextDecoder().decode(entry.read())));
    await Deno.writeFile(path, data, { mode: (entry.mode ?? 0o644) & 0o555 });
  }
  for (const d of dirs) await Deno.chmod(d, 0o555);
}

/** The shipped bootstrap with the previous permissions instead of `--allow-all`. */
function previousSet(_path: string, script: string): string {
  if (!script.includes(" --allow-all ")) throw new Error("Cannot find --allow-all in bootstrap");
  return script.replace(" --allow-all ", ` ${PREVIOUS} `);
}

interface Subject {
  readonly task: string;
  readonly handler: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Spawn → first `/next`, and → the first answer, in ms, with an empty TMPDIR. */
async function coldStart(subject: Subject): Promise<[number, number]> {
  await using server = await RuntimeApiServer.start({ recordRequests: false });
  const tmp = await Deno.makeTempDir({ dir: scratch, prefix: "tmp-" });
  const started = performance.now();
  const child = new Deno.Command(`${subject.task}/bootstrap`, {
    cwd: subject.task,
    clearEnv: true,
    env: {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      TMPDIR: tmp,
      LAMBDENO_OPT_DIR: `${scratch}/opt`,
      AWS_LAMBDA_RUNTIME_API: server.address,
      _HANDLER: subject.handler,
      LAMBDA_TASK_ROOT: subject.task,
      AWS_LAMBDA_FUNCTION_NAME: "bench",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
      ...subject.env,
    },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  await server.waitForPolls(1);
  const polled = performance.now() - started;
  await server.invoke(EVENT, { timeoutMs: 60_000 }).result;
  const answered = performance.now() - started;
  child.kill("SIGKILL");
  await child.status;
  await Deno.remove(tmp, { recursive: true });
  return [polled, answered];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

try {
  const out = `${scratch}/dist`;
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}/build.ts`, "--layout", "deno-run", "--layer", "--arch", "x86_64"]
      .concat(["--handlers", "echo,location", "--out", out]),
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!built.success) throw new Error(new TextDecoder().decode(built.stderr));
  await unpack(`${out}/x86_64/layer.zip`, `${scratch}/opt`);
  const rows: [string, string, Record<string, string>][] = [
    ["echo", "echo.handler", {}],
    // The S3 client is made at init; the endpoint refuses, which answers with an error.
    ["location", "location.handler", {
      LOCATION_BUCKET: "bench",
      S3_ENDPOINT: "http://127.0.0.1:9",
    }],
  ];
  console.log(`\nCold start with an empty TMPDIR, median of ${RUNS}, side by side\n`);
  console.log("artifact   permissions     → first /next   → first answer");
  for (const [name, handler, env] of rows) {
    const all = { task: `${scratch}/${name}-all`, handler, env };
    const previous = { task: `${scratch}/${name}-previous`, handler, env };
    await unpack(`${out}/x86_64/${name}/function.zip`, all.task);
    await unpack(`${out}/x86_64/${name}/function.zip`, previous.task, previousSet);
    const times = new Map<Subject, [number, number][]>([[all, []], [previous, []]]);
    for (let run = 0; run < RUNS; run++) {
      // Which goes first alternates, so that neither always follows the other.
      const order = run % 2 === 0 ? [all, previous] : [previous, all];
      for (const subject of order) times.get(subject)!.push(await coldStart(subject));
    }
    const [a, p] = [times.get(all)!, times.get(previous)!];
    const [ap, aa, pp, pa] = [
      median(a.map((x) => x[0])),
      median(a.map((x) => x[1])),
      median(p.map((x) => x[0])),
      median(p.map((x) => x[1])),
    ];
    console.log(
      `${name.padEnd(11)}${"--allow-all".padEnd(16)}${ap.toFixed(1).padStart(10)} ms` +
        `${aa.toFixed(1).padStart(14)} ms`,
    );
    console.log(
      `${"".padEnd(11)}${"previous set".padEnd(16)}${pp.toFixed(1).padStart(10)} ms` +
        `${pa.toFixed(1).padStart(14)} ms`,
    );
    console.log(
      `${"".padEnd(11)}${"ratio".padEnd(16)}${(ap / pp).toFixed(2).padStart(13)}` +
        `${(aa / pa).toFixed(2).padStart(17)}`,
    );
  }
} finally {
  for await (const entry of Deno.readDir(scratch)) await removeLink(`${scratch}/${entry.name}`);
  await new Deno.Command("chmod", { args: ["-R", "u+w", scratch] }).output();
  await Deno.remove(scratch, { recursive: true });
}
