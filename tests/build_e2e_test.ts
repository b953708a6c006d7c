/**
 * Builds the deno-run layout for x86_64, unpacks the function zip into a read-only directory
 * and runs its `bootstrap` against a Runtime API server, with only a separate temporary
 * directory writable and no HOME: the artifact, not the source tree, answers.
 *
 * Needs the `@deno/linux-x64-glibc` package from the npm registry (cached between runs under
 * `$TMPDIR/lambdeno-build-cache`). Set LAMBDENO_SKIP_NPM_DENO=1 where it cannot be fetched.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { RuntimeApiServer } from "../src/emulator/runtime_api_server/server.ts";
import { readZip } from "../src/build/zip.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const canRun = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

async function build(out: string): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${root}/build.ts`,
      "--layout",
      "deno-run",
      "--arch",
      "x86_64",
      "--out",
      out,
    ],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  equal(result.code, 0, output);
}

/** Unpacks a zip with its modes, then takes write permission away from the whole tree. */
async function unpackReadOnly(zip: Uint8Array, dir: string): Promise<void> {
  const dirs = new Set<string>([dir]);
  for (const entry of readZip(zip)) {
    const path = `${dir}/${entry.path}`;
    const parent = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(parent, { recursive: true });
    for (let d = parent; d.length > dir.length; d = d.slice(0, d.lastIndexOf("/"))) dirs.add(d);
    await Deno.writeFile(path, entry.read(), { mode: entry.mode ?? 0o644 });
    await Deno.chmod(path, (entry.mode ?? 0o644) & 0o555);
  }
  for (const d of dirs) await Deno.chmod(d, 0o555);
}

/** Every file under a directory with its size and modification time. */
async function snapshot(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      const info = await Deno.lstat(full);
      found.push(`${full} ${info.size} ${info.mtime?.getTime()}`);
      if (info.isDirectory) await walk(full);
    }
  };
  await walk(dir);
  return found.sort();
}

async function makeWritable(dir: string): Promise<void> {
  await new Deno.Command("chmod", { args: ["-R", "u+w", dir] }).output();
}

/** Starts the bootstrap for one handler, runs one invocation, stops it. */
async function invokeOnce(
  task: string,
  tmp: string,
  handler: string,
  event: unknown,
): Promise<unknown> {
  await using server = await RuntimeApiServer.start({ handler, timeoutMs: 30_000 });
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
      NO_COLOR: "1",
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
  try {
    const answer = await Promise.race([server.invoke(event).result, exited]);
    return answer.kind === "response" ? answer.json() : answer;
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await output;
    exited.catch(() => {});
  }
}

Deno.test({
  name: "the deno-run artifact runs echo and hello from a read-only directory, offline",
  ignore: !canRun || Deno.env.get("LAMBDENO_SKIP_NPM_DENO") === "1",
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "lambdeno-e2e-" });
    try {
      await build(`${scratch}/dist`);
      const zip = await Deno.readFile(`${scratch}/dist/x86_64/function.zip`);
      const task = `${scratch}/task`;
      const tmp = `${scratch}/tmp`;
      await Deno.mkdir(tmp);
      await unpackReadOnly(zip, task);
      equal((await Deno.stat(`${task}/bootstrap`)).mode! & 0o777, 0o555);
      const before = await snapshot(task);

      const echo = await invokeOnce(task, tmp, "echo.handler", { hello: "artifact", n: [1, 2] });
      deepEqual(echo, { hello: "artifact", n: [1, 2] });

      const hello = await invokeOnce(task, tmp, "hello.handler", {
        version: "2.0",
        routeKey: "$default",
        rawPath: "/",
        rawQueryString: "name=Ada",
        headers: { host: "abc.lambda-url.us-east-1.on.aws", accept: "text/plain" },
        requestContext: {
          requestId: "e2e-request",
          http: { method: "GET", path: "/", sourceIp: "192.0.2.1" },
        },
        isBase64Encoded: false,
      });
      const http = hello as {
        statusCode: number;
        body: string;
        headers: Record<string, string>;
      };
      equal(http.statusCode, 200);
      equal(http.body, "Hello, Ada!\n");
      equal(http.headers["x-request-id"], "e2e-request");

      deepEqual(await snapshot(task), before, "nothing was written beside the code");
      ok(
        (await snapshot(tmp)).some((line) => line.includes("lambdeno-deno-dir")),
        "DENO_DIR in TMPDIR",
      );
    } finally {
      await makeWritable(scratch);
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
