/**
 * The built artifacts as Lambda sees them: their sizes, their cold start in a fresh
 * environment against the same artifact with warm caches, and the echo function's memory
 * with its heap sized for 128 MB against V8's defaults. Part of `deno task bench`.
 *
 * Each artifact is built with `deno task build --arch x86_64` (`--no-layer` for the self-contained
 * echo) and unpacked
 * read-only. A fresh start has an empty `TMPDIR` (so an empty `DENO_DIR`) and only Lambda's
 * variables, as a new Lambda sandbox has; a warm-cache start reuses a `TMPDIR` a previous run
 * filled. Runs alternate, so a slow moment on the machine falls on both alike; the figures
 * that matter are the ratios.
 *
 * `deno run -A tests/bench/artifact_bench.ts` (BENCH_COLD_RUNS, BENCH_SOAK to change the runs)
 *
 * @module
 */

import { bundleBootstrap } from "../../src/builder/bundling/bundle.ts";
import { readZip } from "../../src/builder/archives/zip.ts";
import { formatSize } from "../../src/builder/command/report.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { removeLink } from "../artifacts/_sandbox.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const COLD_RUNS = Number(Deno.env.get("BENCH_COLD_RUNS") ?? 15);
const SOAK = Number(Deno.env.get("BENCH_SOAK") ?? 100_000);
const SOAK_MARK = Math.min(20_000, Math.floor(SOAK / 5));
const EVENT = JSON.parse(
  await Deno.readTextFile(new URL("./apigw_v2_event.json", import.meta.url)),
);

const scratch = await Deno.makeTempDir({ prefix: "lambdeno-artifact-bench-" });

async function build(name: string, ...args: string[]): Promise<string> {
  const out = `${scratch}/dist-${name}`;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}/build.ts`, "--layout", "deno-run", "--arch", "x86_64"]
      .concat(["--out", out, ...args]),
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`Cannot build ${name}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return `${out}/x86_64`;
}

/** Unpacks a zip and takes write permission away, as Lambda's code directory is read-only. */
async function unpack(zip: string, dir: string): Promise<void> {
  const dirs = new Set<string>([dir]);
  for (const entry of readZip(await Deno.readFile(zip))) {
    const path = `${dir}/${entry.path}`;
    const parent = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(parent, { recursive: true });
    for (let d = parent; d.length > dir.length; d = d.slice(0, d.lastIndexOf("/"))) dirs.add(d);
    await Deno.writeFile(path, entry.read(), { mode: (entry.mode ?? 0o644) & 0o555 });
  }
  for (const d of dirs) await Deno.chmod(d, 0o555);
}

interface Artifact {
  readonly name: string;
  readonly task: string;
  readonly handler: string;
  readonly env: Readonly<Record<string, string>>;
  readonly event: unknown;
}

function spawn(
  artifact: Artifact,
  server: RuntimeApiServer,
  tmp: string,
  extra: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(`${artifact.task}/bootstrap`, {
    cwd: artifact.task,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      TMPDIR: tmp,
      AWS_LAMBDA_RUNTIME_API: server.address,
      _HANDLER: artifact.handler,
      LAMBDA_TASK_ROOT: artifact.task,
      AWS_LAMBDA_FUNCTION_NAME: artifact.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_REGION: "us-east-1",
      ...artifact.env,
      ...extra,
    },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Spawn → first `/next`, and → the first invocation's answer, in ms. */
async function coldStart(artifact: Artifact, tmp: string): Promise<[number, number]> {
  await using server = await RuntimeApiServer.start({ recordRequests: false });
  const started = performance.now();
  const child = spawn(artifact, server, tmp);
  await server.waitForPolls(1);
  const polled = performance.now() - started;
  await server.invoke(artifact.event, { timeoutMs: 10_000 }).result;
  const answered = performance.now() - started;
  child.kill("SIGKILL");
  await child.status;
  return [polled, answered];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

try {
  const echoFull = await build("echo", "--handlers", "echo", "--no-layer");
  const echoLayer = await build("echo-layer", "--handlers", "echo");
  const locationLayer = await build("location-layer", "--handlers", "location");

  console.log("\nArtifact sizes (deno-run, x86_64)\n");
  console.log("artifact                        zipped   unzipped");
  const zips: [string, string][] = [
    ["echo --no-layer function.zip", `${echoFull}/echo/function.zip`],
    ["echo function.zip", `${echoLayer}/echo/function.zip`],
    ["location function.zip", `${locationLayer}/location/function.zip`],
    ["layer.zip (deno)", `${echoLayer}/layer.zip`],
  ];
  for (const [name, zip] of zips) {
    const bytes = await Deno.readFile(zip);
    const unzipped = readZip(bytes).reduce((sum, e) => sum + e.size, 0);
    console.log(
      `${name.padEnd(30)}${formatSize(bytes.length).padStart(8)}${
        formatSize(unzipped).padStart(11)
      }`,
    );
  }

  const echoTask = `${scratch}/task-echo`;
  const locationTask = `${scratch}/task-location`;
  await unpack(`${echoFull}/echo/function.zip`, echoTask);
  await unpack(`${locationLayer}/location/function.zip`, locationTask);
  await unpack(`${locationLayer}/layer.zip`, `${scratch}/opt`);
  const artifacts: Artifact[] = [
    { name: "echo", task: echoTask, handler: "echo.handler", env: {}, event: EVENT },
    {
      name: "location",
      task: locationTask,
      handler: "location.handler",
      // The S3 client is made at init; the endpoint refuses at once, which answers with an error.
      env: {
        LAMBDENO_OPT_DIR: `${scratch}/opt`,
        LOCATION_BUCKET: "bench",
        S3_ENDPOINT: "http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
      },
      event: { ...EVENT, rawPath: "/last", rawQueryString: "user=a&device=b" },
    },
  ];

  console.log(
    `\nCold start, spawn → first /next and → first answer, median of ${COLD_RUNS}\n`,
  );
  console.log("artifact    fresh /next  warm /next  ratio   fresh answer  warm answer  ratio");
  for (const artifact of artifacts) {
    const warmTmp = `${scratch}/tmp-warm-${artifact.name}`;
    await Deno.mkdir(warmTmp);
    await coldStart(artifact, warmTmp);
    const fresh: [number, number][] = [];
    const warm: [number, number][] = [];
    for (let run = 0; run < COLD_RUNS; run++) {
      // Which goes first alternates, so that neither always follows the other.
      if (run % 2 === 1) warm.push(await coldStart(artifact, warmTmp));
      const tmp = await Deno.makeTempDir({ dir: scratch, prefix: "tmp-fresh-" });
      fresh.push(await coldStart(artifact, tmp));
      await Deno.remove(tmp, { recursive: true });
      if (run % 2 === 0) warm.push(await coldStart(artifact, warmTmp));
    }
    const [fp, fa] = [median(fresh.map((f) => f[0])), median(fresh.map((f) => f[1]))];
    const [wp, wa] = [median(warm.map((w) => w[0])), median(warm.map((w) => w[1]))];
    console.log(
      `${artifact.name.padEnd(12)}${fp.toFixed(1).padStart(8)} ms${wp.toFixed(1).padStart(9)} ms` +
        `${(fp / wp).toFixed(2).padStart(7)}${fa.toFixed(1).padStart(12)} ms` +
        `${wa.toFixed(1).padStart(10)} ms${(fa / wa).toFixed(2).padStart(8)}`,
    );
  }

  // Memory and throughput: the same echo artifact with its heap sized for 128 MB and with V8's
  // defaults (no AWS_LAMBDA_FUNCTION_MEMORY_SIZE), and, for the throughput before these
  // artifacts, the runtime bundled alone loading handlers/echo.ts from the project, as the
  // previous deno-run artifact did. In turns, so that all see the same machine.
  const before = `${scratch}/runtime_only.js`;
  await bundleBootstrap({ root: ROOT, output: before, deno: Deno.execPath() });
  const spawners: [string, (server: RuntimeApiServer, tmp: string) => Deno.ChildProcess][] = [
    ["sized for 128 MB", (server, tmp) => spawn(artifacts[0]!, server, tmp)],
    [
      "V8 defaults",
      (server, tmp) => spawn(artifacts[0]!, server, tmp, { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "" }),
    ],
    ["before (from source)", (server, tmp) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", before],
        cwd: ROOT,
        env: {
          AWS_LAMBDA_RUNTIME_API: server.address,
          _HANDLER: "echo.handler",
          LAMBDENO_HANDLERS_DIR: `${ROOT}/handlers`,
          DENO_DIR: `${tmp}/deno-dir`,
        },
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn()],
  ];
  const subjects = await Promise.all(spawners.map(async ([label, start]) => {
    const server = await RuntimeApiServer.start({ recordRequests: false });
    const tmp = await Deno.makeTempDir({ dir: scratch, prefix: "tmp-soak-" });
    return { label, server, child: start(server, tmp), done: 0, ms: 0, rssMark: 0 };
  }));
  const TURN = Math.min(1_000, SOAK_MARK);
  while (subjects.some((s) => s.done < SOAK)) {
    for (const s of subjects) {
      const until = Math.min(SOAK, s.done + TURN);
      const started = performance.now();
      for (; s.done < until; s.done++) {
        const result = await s.server.invoke(EVENT, { timeoutMs: 10_000 }).result;
        if (result.kind !== "response") throw new Error(`Cannot soak: ${result.kind}`);
      }
      s.ms += performance.now() - started;
      if (s.rssMark === 0 && s.done >= SOAK_MARK) s.rssMark = await rssMiB(s.child.pid);
    }
  }
  console.log(
    `\nEcho artifact, ${SOAK} warm invocations (RSS after ${SOAK_MARK} and at the end)\n`,
  );
  console.log("echo                    inv/s   RSS mark    RSS end   growth");
  for (const s of subjects) {
    const end = await rssMiB(s.child.pid);
    console.log(
      `${s.label.padEnd(22)}${(SOAK / (s.ms / 1000)).toFixed(0).padStart(9)}` +
        `${s.rssMark.toFixed(1).padStart(8)} MiB${end.toFixed(1).padStart(7)} MiB` +
        `${`${((end / s.rssMark - 1) * 100).toFixed(1)} %`.padStart(9)}`,
    );
    s.child.kill("SIGKILL");
    await s.child.status;
    await s.server.close();
  }
} finally {
  for (const task of ["task-echo", "task-location"]) await removeLink(`${scratch}/${task}`);
  await new Deno.Command("chmod", { args: ["-R", "u+w", scratch] }).output();
  await Deno.remove(scratch, { recursive: true });
}
