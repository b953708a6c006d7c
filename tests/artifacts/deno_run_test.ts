/**
 * Builds a deno-run artifact for x86_64 with deno in the zip, unpacks it into a read-only
 * directory and runs its `bootstrap` against a Runtime API server with only Lambda's variables,
 * a separate temporary directory writable and no HOME: the artifact, not the source tree, answers
 * buffered, error and streaming invocations (the layer, and every example function, are in
 * examples_test.ts). A function's own project names `cowsay` (pinned) in `nodeModules`: it ships
 * in `node_modules/` and reads its files there.
 *
 * Needs the `@deno/linux-x64-glibc` package from the npm registry (cached between runs under
 * `$TMPDIR/lambdeno-build-cache`). Set LAMBDENO_SKIP_NPM_DENO=1 where it cannot be fetched.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { InvocationResult } from "../../src/emulator/runtime_api_server/invocation_result.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { readZip } from "../../src/builder/archives/zip.ts";
import { removeLink, snapshot, unpackReadOnly } from "./_sandbox.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const canRun = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

async function build(out: string, ...args: string[]): Promise<void> {
  const output = await buildIn(root, out, ...args);
  equal(output.code, 0, output.text);
}

/** Runs `build.ts` of a project (deno-run, x86_64): its exit code and what it printed. */
async function buildIn(
  project: string,
  out: string,
  ...args: string[]
): Promise<{ code: number; text: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${project}/build.ts`,
      "--layout",
      "deno-run",
      "--arch",
      "x86_64",
      "--out",
      out,
      ...args,
    ],
    cwd: project,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  return { code: result.code, text };
}

async function makeWritable(dir: string): Promise<void> {
  await new Deno.Command("chmod", { args: ["-R", "u+w", dir] }).output();
}

/** A running bootstrap with its Runtime API server. */
interface Running {
  readonly server: RuntimeApiServer;
  readonly pid: number;
  /** Fails if the bootstrap exits before the answer. */
  invoke(event: unknown): Promise<InvocationResult>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the bootstrap for one handler with only Lambda's variables (`env -i`). */
async function start(
  task: string,
  tmp: string,
  handler: string,
  env: Record<string, string> = {},
): Promise<Running> {
  const server = await RuntimeApiServer.start({ handler, timeoutMs: 30_000 });
  const child = new Deno.Command(`${task}/bootstrap`, {
    cwd: task,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      TMPDIR: tmp,
      AWS_LAMBDA_RUNTIME_API: server.address,
      _HANDLER: handler,
      LAMBDA_TASK_ROOT: task,
      AWS_LAMBDA_FUNCTION_NAME: "e2e",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_REGION: "us-east-1",
      NO_COLOR: "1",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  // A bootstrap that dies (say, at init) must fail the test, not leave it waiting.
  const exited = output.then((o): never => {
    throw new Error(`bootstrap exited with ${o.code}: ${new TextDecoder().decode(o.stderr)}`);
  });
  exited.catch(() => {});
  return {
    server,
    pid: child.pid,
    invoke: (event) => Promise.race([server.invoke(event).result, exited]),
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      await output;
      await server[Symbol.asyncDispose]();
    },
  };
}

function json(result: InvocationResult): unknown {
  if (result.kind !== "response") throw new Error(`expected a response, got ${result.kind}`);
  return result.json();
}

/** Unpacks zips read-only into a fresh task directory and checks nothing is written there. */
async function withArtifact(
  zips: string[],
  run: (task: string, tmp: string) => Promise<void>,
): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "lambdeno-e2e-run-" });
  try {
    const task = `${scratch}/task`;
    const tmp = `${scratch}/tmp`;
    await Deno.mkdir(tmp);
    for (const [i, zip] of zips.entries()) {
      await unpackReadOnly(await Deno.readFile(zip), i === 0 ? task : `${scratch}/opt`);
    }
    equal((await Deno.stat(`${task}/bootstrap`)).mode! & 0o777, 0o555);
    const before = await snapshot(task);
    try {
      await run(task, tmp);
    } finally {
      await removeLink(task);
    }
    deepEqual(await snapshot(task), before, "nothing was written beside the code");
  } finally {
    await makeWritable(scratch);
    await Deno.remove(scratch, { recursive: true });
  }
}

const skip = !canRun || Deno.env.get("LAMBDENO_SKIP_NPM_DENO") === "1";

Deno.test({
  name: "the deno-run artifacts carry only what their functions reach, and run read-only",
  ignore: skip,
  async fn(t) {
    const dist = await Deno.makeTempDir({ prefix: "lambdeno-e2e-dist-" });
    try {
      await build(`${dist}/echo`, "--handlers", "echo", "--no-layer");

      await t.step("echo: bootstrap, deno, one bundle, its map and analysis, nothing else", () => {
        const zip = readZip(Deno.readFileSync(`${dist}/echo/x86_64/echo/function.zip`));
        deepEqual(zip.map((e) => e.path), [
          "bin/deno",
          "bootstrap",
          "deno-dir/dep_analysis_cache_v2",
          "deno-dir/node_analysis_cache_v2",
          "handlers/_bootstrap.js",
          "handlers/_bootstrap.js.map",
        ]);
      });

      await t.step("echo answers buffered, error and streaming invocations", async () => {
        await withArtifact([`${dist}/echo/x86_64/echo/function.zip`], async (task, tmp) => {
          {
            await using echo = await start(task, tmp, "echo.handler");
            deepEqual(await json(await echo.invoke({ hello: "artifact", n: [1, 2] })), {
              hello: "artifact",
              n: [1, 2],
            });
            const failed = await echo.invoke({ throw: "on purpose" });
            equal(failed.kind, "error");
            if (failed.kind === "error") equal(failed.error.errorMessage, "on purpose");
            // V8's heap is sized from AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128.
            const cmdline = await Deno.readTextFile(`/proc/${echo.pid}/cmdline`);
            ok(cmdline.includes("--max-semi-space-size=6,--max-old-space-size=116"), cmdline);
          }
          {
            await using stream = await start(task, tmp, "echo.stream");
            const result = await stream.invoke({ chunks: 3, bytes: 5 });
            equal(result.kind, "stream");
            if (result.kind === "stream") {
              let text = "";
              for await (const chunk of result.chunks) text += new TextDecoder().decode(chunk);
              equal(text, "x".repeat(15));
              equal((await result.done).complete, true);
            }
          }
          ok(
            (await snapshot(tmp)).some((line) => line.includes("lambdeno-deno-dir")),
            "DENO_DIR in TMPDIR",
          );
        });
      });
    } finally {
      await Deno.remove(dist, { recursive: true });
    }
  },
});

/**
 * A function's own project, beside this one: its `build.ts` and `src/`, its handlers, and an
 * import map that adds `cowsay`, pinned. cowsay reads its cows (`cows/*.cow`) from beside its
 * own code at run time, so it cannot be bundled; it has dependencies of its own, two of them in
 * two versions.
 */
async function cowProject(handlers: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-e2e-cow-" });
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`)) as {
    imports: Record<string, string>;
  };
  config.imports["cowsay"] = "npm:cowsay@1.6.0";
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config));
  await Deno.copyFile(`${root}/deno.lock`, `${dir}/deno.lock`);
  await Deno.copyFile(`${root}/build.ts`, `${dir}/build.ts`);
  await Deno.symlink(`${root}/src`, `${dir}/src`);
  await Deno.mkdir(`${dir}/handlers`);
  for (const [name, text] of Object.entries(handlers)) {
    await Deno.writeTextFile(`${dir}/handlers/${name}`, text);
  }
  return dir;
}

Deno.test({
  name: "a package named in nodeModules ships in node_modules/ and reads its own files",
  ignore: skip,
  async fn(t) {
    const project = await cowProject({
      "cow.js": `import cowsay from "cowsay";
export const handler = (event) => ({ said: cowsay.say({ text: event.text, f: "tux" }) });
export const config = { handler: { nodeModules: ["cowsay"] } };
`,
      "unused.js": `export const handler = () => "nothing";
export const config = { handler: { nodeModules: ["cowsay"] } };
`,
      "missing.js": `export const handler = () => "nothing";
export const config = { handler: { nodeModules: ["left-pad"] } };
`,
    });
    try {
      await t.step("a package not installed, or not imported, stops the build", async () => {
        for (
          const [module, message] of [
            ["missing", /node_modules\/left-pad: handlers\/missing\.js .*not installed/],
            ["unused", /node_modules\/cowsay: handlers\/unused\.js .*does not import it/],
          ] as const
        ) {
          const result = await buildIn(project, `${project}/dist`, "--handlers", module);
          equal(result.code, 1, result.text);
          match(result.text, message);
          equal(await Deno.stat(`${project}/dist`).catch(() => undefined), undefined);
        }
      });

      await t.step("the bundle imports it from node_modules/ at run time", async () => {
        const built = await buildIn(project, `${project}/dist`, "--handlers", "cow", "--layer");
        equal(built.code, 0, built.text);
        const zip = `${project}/dist/x86_64/cow/function.zip`;
        const paths = readZip(await Deno.readFile(zip)).map((e) => e.path);
        ok(paths.includes("node_modules/cowsay/cows/tux.cow"));
        ok(paths.some((p) => p.startsWith("node_modules/cowsay/node_modules/yargs/")));
        const script = await Deno.readTextFile(`${project}/dist/x86_64/cow/bootstrap`);
        match(script, /--node-modules-dir=manual/);
        await withArtifact([zip, `${project}/dist/x86_64/layer.zip`], async (task, tmp) => {
          await using cow = await start(task, tmp, "cow.handler", {
            LAMBDENO_OPT_DIR: `${task}/../opt`,
          });
          const { said } = await json(await cow.invoke({ text: "moo" })) as { said: string };
          match(said, /< moo >/);
          match(said, /\|o_o \|/);
        });
      });
    } finally {
      await Deno.remove(project, { recursive: true });
    }
  },
});
