/**
 * Artifacts as Lambda runs them: a function zip unpacked read-only, its layer unpacked read-only
 * where the bootstrap looks for `/opt` (`LAMBDENO_OPT_DIR`), and its `bootstrap` started with only
 * Lambda's variables (`env -i`: no `HOME`, Lambda's `PATH`, a fresh `TMPDIR`) against the strict
 * Runtime API server.
 *
 * @module
 */

import { deepEqual } from "node:assert/strict";
import { readZip } from "../../src/builder/archives/zip.ts";
import type { InvocationResult } from "../../src/emulator/runtime_api_server/invocation_result.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { Bootstrap } from "../runtime/_bootstrap_support.ts";
import type { Built } from "./_artifact.ts";

/** Lambda's path on `provided.al2023`. */
const LAMBDA_PATH = "/usr/local/bin:/usr/bin:/bin";

/** Unpacks a zip with its modes, then takes write permission away from the whole tree. */
export async function unpackReadOnly(zip: Uint8Array, dir: string): Promise<void> {
  const dirs = new Set<string>([dir]);
  await Deno.mkdir(dir, { recursive: true });
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
export async function snapshot(dir: string): Promise<string[]> {
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

const layers = new Map<string, Promise<string>>();
const readOnly = new Set<string>();

globalThis.addEventListener("unload", () => {
  for (const dir of readOnly) {
    new Deno.Command("chmod", { args: ["-R", "u+w", dir] }).outputSync();
    Deno.removeSync(dir, { recursive: true });
  }
});

/**
 * A layer zip unpacked read-only, once per test run for every function that uses it, and
 * removed when the run ends.
 *
 * @param zip The layer's `layer.zip`.
 * @returns The directory, Lambda's `/opt`.
 */
export function sharedLayer(zip: string): Promise<string> {
  let layer = layers.get(zip);
  if (layer === undefined) {
    layer = (async () => {
      const dir = await Deno.makeTempDir({ prefix: "lambdeno-layer-" });
      readOnly.add(dir);
      await unpackReadOnly(await Deno.readFile(zip), `${dir}/opt`);
      return `${dir}/opt`;
    })();
    layers.set(zip, layer);
  }
  return layer;
}

/**
 * An artifact unpacked as Lambda unpacks it: the function's code read-only in `task`, its layer
 * read-only in `opt` (the `/opt` stand-in), and an empty temporary directory for each start.
 */
export class Sandbox implements AsyncDisposable {
  /** The directory holding the code and the temporary directories. */
  readonly dir: string;
  /** The function's code: `LAMBDA_TASK_ROOT`. */
  readonly task: string;
  /** The layer: `LAMBDENO_OPT_DIR`. */
  readonly opt: string;
  #starts = 0;
  #unpacked: string[] = [];

  private constructor(dir: string, opt: string) {
    this.dir = dir;
    this.task = `${dir}/task`;
    this.opt = opt;
  }

  /**
   * Unpacks one artifact of a build, with its architecture's layer (shared, see
   * {@linkcode sharedLayer}).
   *
   * @param built The build.
   * @param artifact The artifact's name (its module's, or its group's).
   * @param arch The architecture.
   * @returns The sandbox; dispose of it to remove it.
   */
  static async of(built: Built, artifact: string, arch = "x86_64"): Promise<Sandbox> {
    return await Sandbox.unpack(
      `${built.dist}/${arch}/${artifact}/function.zip`,
      await sharedLayer(`${built.dist}/${arch}/layer.zip`),
    );
  }

  /**
   * Unpacks a function zip.
   *
   * @param functionZip The function's `function.zip`.
   * @param opt The unpacked layer, if any.
   * @returns The sandbox; dispose of it to remove it.
   */
  static async unpack(functionZip: string, opt?: string): Promise<Sandbox> {
    const dir = await Deno.makeTempDir({ prefix: "lambdeno-sandbox-" });
    const sandbox = new Sandbox(dir, opt ?? `${dir}/no-layer`);
    await unpackReadOnly(await Deno.readFile(functionZip), sandbox.task);
    sandbox.#unpacked = await snapshot(sandbox.task);
    return sandbox;
  }

  /** A fresh, empty temporary directory, as a new Lambda environment has. */
  async freshTmp(): Promise<string> {
    const tmp = `${this.dir}/tmp-${this.#starts++}`;
    await Deno.mkdir(tmp);
    return tmp;
  }

  /**
   * Checks that nothing was written beside the code (Lambda's code directory is read-only, which
   * a test run as root would not notice), then gives write permission back and removes
   * everything, with the bootstrap's link in /tmp.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      deepEqual(await snapshot(this.task), this.#unpacked, "nothing was written beside the code");
    } finally {
      await removeLink(this.task);
      await new Deno.Command("chmod", { args: ["-R", "u+w", this.dir] }).output();
      await Deno.remove(this.dir, { recursive: true });
    }
  }
}

/**
 * Removes the link a bootstrap made to its directory (see `cacheSeed`), if it still points there.
 *
 * @param task The directory the bootstrap ran from.
 */
export async function removeLink(task: string): Promise<void> {
  const script = await Deno.readTextFile(`${task}/bootstrap`).catch(() => "");
  const link = /^APP=(\/tmp\/lambdeno-[0-9a-f]+)$/m.exec(script)?.[1];
  if (link !== undefined && (await Deno.readLink(link).catch(() => "")) === task) {
    await Deno.remove(link);
  }
}

/** Options for {@linkcode startFunction}. */
export interface StartOptions {
  /** `_HANDLER`: `file.export`. */
  readonly handler: string;
  /** The function's own variables (its `environment`, endpoints, credentials). */
  readonly env?: Readonly<Record<string, string>>;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`; 256 by default. */
  readonly memoryMb?: number;
  /**
   * Milliseconds from an invocation's delivery to its deadline; 10 minutes by default, so that a
   * loaded machine never reaches it.
   */
  readonly timeoutMs?: number;
  /** The layer's stand-in (`LAMBDENO_OPT_DIR`), when not the unpacked layer (see `_arm64.ts`). */
  readonly optDir?: string;
}

/** Dummy credentials, as Lambda puts the execution role's in the environment. */
export const DUMMY_CREDENTIALS: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_SESSION_TOKEN: "dummy-session-token",
};

/**
 * Starts the artifact's `bootstrap` with only Lambda's variables (`env -i`): no `HOME`, Lambda's
 * `PATH`, a fresh `TMPDIR`, the layer stand-in, against a new strict Runtime API server.
 *
 * @param sandbox The unpacked artifact.
 * @param options The handler and the function's own variables.
 * @returns The running bootstrap; dispose of it to stop it.
 */
export async function startFunction(sandbox: Sandbox, options: StartOptions): Promise<Bootstrap> {
  const server = await RuntimeApiServer.start({
    handler: options.handler,
    timeoutMs: options.timeoutMs ?? 600_000,
  });
  const name = options.handler.replace(/\W/g, "-");
  const memory = String(options.memoryMb ?? 256);
  const process = new Deno.Command(`${sandbox.task}/bootstrap`, {
    cwd: sandbox.task,
    clearEnv: true,
    env: {
      PATH: LAMBDA_PATH,
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      TMPDIR: await sandbox.freshTmp(),
      LAMBDENO_OPT_DIR: options.optDir ?? sandbox.opt,
      _HANDLER: options.handler,
      LAMBDA_TASK_ROOT: sandbox.task,
      AWS_LAMBDA_RUNTIME_API: server.address,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: "2025/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      ...DUMMY_CREDENTIALS,
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return new Bootstrap(server, process, undefined, true);
}

/**
 * Invokes the function, failing at once with its output if the bootstrap exits instead.
 *
 * @param b The running bootstrap.
 * @param event The event.
 * @returns How the invocation ended.
 */
export async function invoke(b: Bootstrap, event: unknown): Promise<InvocationResult> {
  const exited = b.exited.then((code): never => {
    throw new Error(`The bootstrap exited with ${code} instead of answering:\n${b.output()}`);
  });
  return await Promise.race([b.server.invoke(event).result, exited]);
}

/**
 * Stops the function and gives every line it wrote to stdout. A runtime writes a log line before
 * it sends the answer, so once the answer is in, stopping the process and reading its output to
 * the end finds the line, with no waiting on a line that may never come.
 *
 * @param b The running bootstrap.
 * @returns Its stdout lines.
 */
export async function stopAndRead(b: Bootstrap): Promise<readonly string[]> {
  try {
    b.process.kill("SIGKILL");
  } catch {
    // Already gone.
  }
  await b.status();
  return b.lines;
}

/**
 * The JSON a buffered invocation answered.
 *
 * @param result How the invocation ended.
 * @returns The parsed body.
 * @throws {Error} If it was not a buffered response.
 */
export function json(result: InvocationResult): unknown {
  if (result.kind !== "response") {
    throw new Error(`expected a response, got ${result.kind}: ${JSON.stringify(result)}`);
  }
  return result.json();
}
