/**
 * A function built as `deno task build` ships it by default (the deno layer and a code zip,
 * x86_64), unzipped read-only with the layer where Lambda puts it, started with only Lambda's
 * variables and an empty `TMPDIR`: its errors name the source file and line, not the bundle;
 * its shipped V8 code cache is read and never written; and the same inputs build the same
 * bytes. The function imports the AWS SDK's STS client, so that its bundle is large enough to
 * ship a code cache.
 *
 * Needs the `@deno/linux-x64-glibc` package from the npm registry (cached between runs under
 * `$TMPDIR/lambdeno-build-cache`). Set LAMBDENO_SKIP_NPM_DENO=1 where it cannot be fetched.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { readZip } from "../../src/builder/archives/zip.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { removeLink, unpackReadOnly } from "../artifacts/_sandbox.ts";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const canRun = Deno.build.os === "linux" && Deno.build.arch === "x86_64";
const skip = !canRun || Deno.env.get("LAMBDENO_SKIP_NPM_DENO") === "1";

/** The function: the line `new Error` is on, and the column it starts at, are asserted. */
const HANDLER = `import { STSClient } from "@aws-sdk/client-sts";

const client = new STSClient({ region: "us-east-1" });

export function handler(event: { log?: boolean }): string {
  const error = new Error("boom");
  if (event.log) {
    console.error(error);
    return String(client.config.region !== undefined);
  }
  throw error;
}
`;
const THROWN_AT = "handlers/boom.ts:6:17";

async function project(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-shipped-test-" });
  await Deno.symlink(`${ROOT}/src`, `${root}/src`);
  for (const file of ["deno.json", "deno.lock", "build.ts"]) {
    await Deno.copyFile(`${ROOT}/${file}`, `${root}/${file}`);
  }
  await Deno.mkdir(`${root}/handlers`);
  await Deno.writeTextFile(`${root}/handlers/boom.ts`, HANDLER);
  return root;
}

async function build(root: string, out: string): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    // The type check has its own test; it would check the STS client's types twice here.
    args: ["run", "-A", `${root}/build.ts`, "--arch", "x86_64", "--no-check", "--out", out],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  equal(result.code, 0, text);
}

async function digest(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every file under a directory with its bytes, for comparing two builds. */
async function files(dir: string, under = ""): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const found = new Map<string, Uint8Array<ArrayBuffer>>();
  for await (const entry of Deno.readDir(`${dir}/${under}`)) {
    const path = under === "" ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory) { for (const [p, d] of await files(dir, path)) found.set(p, d); }
    else found.set(path, await Deno.readFile(`${dir}/${path}`));
  }
  return found;
}

Deno.test({
  name: "a built function names its source in errors, reads its code cache, and builds the same",
  ignore: skip,
  async fn(t) {
    const root = await project();
    const scratch = await Deno.makeTempDir({ prefix: "lambdeno-shipped-run-" });
    try {
      await build(root, `${scratch}/a`);
      const task = `${scratch}/task`;
      const opt = `${scratch}/opt`;
      await unpackReadOnly(await Deno.readFile(`${scratch}/a/x86_64/boom/function.zip`), task);
      await unpackReadOnly(await Deno.readFile(`${scratch}/a/x86_64/layer.zip`), opt);

      await t.step("the code zip holds no deno; the layer holds it", async () => {
        const zip = readZip(await Deno.readFile(`${scratch}/a/x86_64/boom/function.zip`));
        deepEqual(zip.map((e) => e.path), [
          "bootstrap",
          "deno-dir/dep_analysis_cache_v2",
          "deno-dir/node_analysis_cache_v2",
          "deno-dir/v8_code_cache_v2",
          "handlers/_bootstrap.js",
          "handlers/_bootstrap.js.map",
        ]);
        const template = await Deno.readTextFile(`${scratch}/a/template.yaml`);
        match(template, /ContentUri: x86_64\/layer\.zip/);
        match(template, /Layers:\n\s+- Ref: DenoLayer/);
      });

      await t.step("the bundle imports nothing, so its map is read only for a stack", async () => {
        // Deno reads a module's source map as it loads it when the module has static imports.
        const bundle = await Deno.readTextFile(`${task}/handlers/_bootstrap.js`);
        const statements = bundle.match(/(?:^|[;}])import ?[\w${*"]/gm) ?? [];
        deepEqual(statements, []);
        match(bundle.split("\n")[0]!, /getBuiltinModule\("node:/);
      });

      const tmp = `${scratch}/tmp`;
      await Deno.mkdir(tmp);
      await using server = await RuntimeApiServer.start({ handler: "boom.handler" });
      const child = new Deno.Command(`${task}/bootstrap`, {
        cwd: task,
        clearEnv: true,
        env: {
          PATH: "/usr/bin:/bin",
          TMPDIR: tmp,
          AWS_LAMBDA_RUNTIME_API: server.address,
          _HANDLER: "boom.handler",
          LAMBDA_TASK_ROOT: task,
          LAMBDENO_OPT_DIR: opt,
          AWS_LAMBDA_FUNCTION_NAME: "boom",
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
          AWS_REGION: "us-east-1",
          NO_COLOR: "1",
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = child.output();
      try {
        await server.waitForPolls(1);
        await t.step("a fresh start reads the shipped code cache and writes none", async () => {
          const denoDir = `${tmp}/lambdeno-deno-dir`;
          deepEqual(
            await Deno.readFile(`${denoDir}/v8_code_cache_v2`),
            await Deno.readFile(`${task}/deno-dir/v8_code_cache_v2`),
          );
          const wal = await Deno.stat(`${denoDir}/v8_code_cache_v2-wal`).catch(() => undefined);
          equal(wal?.size ?? 0, 0, "nothing was written to the code cache");
        });

        await t.step("an error answer and its X-Ray cause name the source line", async () => {
          const result = await server.invoke({}).result;
          equal(result.kind, "error");
          if (result.kind !== "error") return;
          const trace = JSON.stringify(result.error);
          ok(trace.includes(`${task}/${THROWN_AT}`) || trace.includes(THROWN_AT), trace);
          ok(!trace.includes("_bootstrap.js"), trace);
          ok(result.xrayCause?.includes("boom.ts"), result.xrayCause);
        });

        await t.step("console.error(error) names the source line", async () => {
          const result = await server.invoke({ log: true }).result;
          equal(result.kind, "response");
        });
      } finally {
        child.kill("SIGKILL");
      }
      const { stdout, stderr } = await output;
      const log = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
      const lines = log.split("\n");
      const invokeError = lines.findIndex((line) => line.includes("Invoke Error"));
      ok(invokeError >= 0, log);
      ok(lines.slice(invokeError).join("\n").includes(THROWN_AT), log);
      ok(lines.some((l, i) => i !== invokeError && l.includes("Error: boom")), log);
      equal(lines.filter((line) => line.includes(THROWN_AT)).length >= 2, true, log);

      await t.step("the bootstrap in dist/ runs in place, with the deno on PATH", async () => {
        await using server = await RuntimeApiServer.start({ handler: "boom.handler" });
        const child = new Deno.Command(`${scratch}/a/x86_64/boom/bootstrap`, {
          clearEnv: true,
          env: {
            PATH: `${Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"))}:/usr/bin:/bin`,
            TMPDIR: tmp,
            AWS_LAMBDA_RUNTIME_API: server.address,
            _HANDLER: "boom.handler",
            LAMBDENO_OPT_DIR: `${scratch}/no-opt`,
          },
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn();
        try {
          const result = await server.invoke({ log: true }).result;
          equal(result.kind, "response");
        } finally {
          child.kill("SIGKILL");
          await child.status;
        }
      });

      await t.step("the same inputs build the same bytes", async () => {
        await build(root, `${scratch}/b`);
        const [a, b] = [await files(`${scratch}/a`), await files(`${scratch}/b`)];
        deepEqual([...b.keys()].sort(), [...a.keys()].sort());
        for (const [path, data] of a) equal(await digest(b.get(path)!), await digest(data), path);
      });
    } finally {
      // The unpacked bootstrap and, last, the one run in place in dist/ made the same link.
      await removeLink(`${scratch}/task`);
      await removeLink(`${scratch}/a/x86_64/boom`);
      await new Deno.Command("chmod", { args: ["-R", "u+w", scratch] }).output();
      await Deno.remove(scratch, { recursive: true });
      await Deno.remove(root, { recursive: true });
    }
  },
});
