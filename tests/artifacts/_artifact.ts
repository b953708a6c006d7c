/**
 * Builds as they ship (`deno task build --layout deno-run --layer`), of this project or of a
 * user's project beside it, made once per test file for every test that needs them (`deno test`
 * runs each file apart) and removed when the run ends. `_sandbox.ts` runs what they make.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { scratchDir } from "../_scratch.ts";
import { ARM64_RUNS } from "./_arm64.ts";

/** The repository's root, without a trailing slash. */
export const ROOT: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Whether x86_64 artifacts can run here: Linux on x86_64, with the `deno` packages reachable on
 * npm (`LAMBDENO_SKIP_NPM_DENO=1` says they are not).
 */
export const CAN_RUN: boolean = Deno.build.os === "linux" && Deno.build.arch === "x86_64" &&
  Deno.env.get("LAMBDENO_SKIP_NPM_DENO") !== "1";

/** A test of built artifacts, for a test file to register on a build it shares. */
export interface ArtifactTest {
  /** The test's name. */
  readonly name: string;
  /** The test. */
  fn(t: Deno.TestContext): Promise<void>;
}

/** What a build printed, and how it ended. */
export interface BuildRun {
  readonly code: number;
  readonly text: string;
}

/**
 * Runs a project's `build.ts` with the deno-run layout and `deno` in a layer.
 *
 * @param project The project's root.
 * @param out The output directory.
 * @param args More arguments (`--arch`, `--handlers`…).
 * @returns The exit code and the output.
 */
export async function buildProject(
  project: string,
  out: string,
  ...args: string[]
): Promise<BuildRun> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${project}/build.ts`, "--layout", "deno-run", "--out", out, ...args],
    cwd: project,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: result.code, text: decoder.decode(result.stdout) + decoder.decode(result.stderr) };
}

/** A finished build: where it is, and how long it took. */
export interface Built {
  /** The output directory (`<dist>/<arch>/<artifact>/function.zip`, `<dist>/<arch>/layer.zip`). */
  readonly dist: string;
  /** Milliseconds the build took. */
  readonly ms: number;
}

const builds = new Map<string, Promise<Built>>();

/**
 * Builds a project once per test run for every caller with the same arguments; the output is
 * removed when the run ends.
 *
 * @param project The project's root.
 * @param args The build's arguments (besides the layout and the output directory).
 * @returns The build.
 * @throws {Error} If the build fails, with its output.
 */
export function sharedBuild(project: string, args: readonly string[]): Promise<Built> {
  const key = JSON.stringify([project, args]);
  let built = builds.get(key);
  if (built === undefined) {
    built = (async () => {
      const dist = await scratchDir("lambdeno-artifacts-");
      const started = performance.now();
      const run = await buildProject(project, `${dist}/out`, ...args);
      equal(run.code, 0, run.text);
      return { dist: `${dist}/out`, ms: performance.now() - started };
    })();
    builds.set(key, built);
  }
  return built;
}

/**
 * The example functions of `handlers/`, each in its own artifact as it ships, for x86_64 (and
 * arm64 when the arm64 tests run), built once per test run.
 *
 * @returns The build.
 */
export function exampleBuild(): Promise<Built> {
  return sharedBuild(ROOT, ["--layer", "--arch", ARM64_RUNS ? "all" : "x86_64"]);
}

/**
 * A project of one's own beside this one, as a user's is: its `deno.json` (this one's import
 * map, plus `imports`), `deno.lock`, `build.ts` and `src/`, and the given handler modules.
 *
 * @param handlers Source text by file name, or a directory whose files to copy.
 * @param imports More entries for the import map.
 * @returns The project's root, removed when the test run ends.
 */
export async function userProject(
  handlers: Readonly<Record<string, string>> | string,
  imports: Readonly<Record<string, string>> = {},
): Promise<string> {
  const dir = await scratchDir("lambdeno-project-");
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    imports: Record<string, string>;
  };
  Object.assign(config.imports, imports);
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config));
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  await Deno.copyFile(`${ROOT}/build.ts`, `${dir}/build.ts`);
  await Deno.symlink(`${ROOT}/src`, `${dir}/src`);
  await Deno.mkdir(`${dir}/handlers`);
  if (typeof handlers === "string") {
    for await (const entry of Deno.readDir(handlers)) {
      if (entry.isFile) {
        await Deno.copyFile(`${handlers}/${entry.name}`, `${dir}/handlers/${entry.name}`);
      }
    }
  } else {
    for (const [name, text] of Object.entries(handlers)) {
      await Deno.writeTextFile(`${dir}/handlers/${name}`, text);
    }
  }
  return dir;
}
