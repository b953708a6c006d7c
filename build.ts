/**
 * `deno task build`: builds Lambda artifacts for provided.al2023 (see `--help`). The only part
 * of the build that reads the environment and the command line; the work is in `src/builder/`.
 *
 * @module
 */

import {
  type Arch,
  build,
  buildSummary,
  DenortMissingError,
  isArch,
  parseBuildArgs,
  summaryTable,
  USAGE,
} from "./src/builder/mod.ts";

// deno-lint-ignore no-console
const say = (line: string) => console.log(line);
// deno-lint-ignore no-console
const complain = (line: string) => console.error(line);

async function main(args: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBuildArgs(args);
  } catch (error) {
    complain(_message(error));
    return 2;
  }
  if (options.help) {
    say(USAGE);
    return 0;
  }
  const root = new URL(".", import.meta.url).pathname.replace(/\/$/, "");
  const started = performance.now();
  try {
    const result = await build(options, {
      root,
      deno: Deno.execPath(),
      denoVersion: Deno.version.deno,
      denoDir: await _denoDir(),
      denortBin: Deno.env.get("DENORT_BIN"),
      npmRegistry: Deno.env.get("NPM_CONFIG_REGISTRY") ?? "https://registry.npmjs.org/",
      cacheDir: `${Deno.env.get("TMPDIR") ?? "/tmp"}/lambdeno-build-cache`,
      reachable: _reachable,
      log: (line) => say(`  ${line}`),
      ...(Deno.build.os === "linux" && isArch(_arch(Deno.build.arch))
        ? { hostArch: _arch(Deno.build.arch) as Arch }
        : {}),
      parallel: Math.max(1, Math.min(4, navigator.hardwareConcurrency)),
    });
    say("");
    say(summaryTable(result.artifacts));
    say("");
    for (const line of buildSummary(result)) say(line);
    for (const warning of result.warnings) complain(`Warning: ${warning}`);
    say(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    complain(
      error instanceof DenortMissingError ? error.message : `Build failed: ${_message(error)}`,
    );
    return 1;
  }
}

/** Deno's cache directory, as `deno info` reports it. */
async function _denoDir(): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info: unknown = JSON.parse(new TextDecoder().decode(output.stdout));
  if (
    typeof info === "object" && info !== null && "denoDir" in info &&
    typeof info.denoDir === "string"
  ) {
    return info.denoDir;
  }
  throw new Error("Cannot find Deno's cache directory: deno info --json names no denoDir");
}

/** A short HEAD: whether `deno compile` could download this. */
async function _reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Lambda's name for the machine's architecture (`aarch64` → `arm64`). */
function _arch(arch: string): string {
  return arch === "aarch64" ? "arm64" : arch;
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

Deno.exit(await main(Deno.args));
