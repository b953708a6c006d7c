/**
 * The default layout: `deno compile` of the function bundle (runtime and handlers) with the
 * declared assets embedded and V8's heap limits baked in, written as the function's `bootstrap`.
 *
 * @module
 */

import { compileArgs, envFileText, RUNTIME_ENV_DEFAULTS } from "./compile_args.ts";
import type { Permissions } from "./permissions.ts";
import type { Arch } from "./targets.ts";

/** What {@linkcode compileBootstrap} needs. */
export interface CompileOptions {
  /** The project root, absolute; `deno compile` runs there. */
  readonly root: string;
  /** The entry module, relative to the root: the bundled bootstrap (`BUNDLE_PATH`). */
  readonly entrypoint: string;
  /** The architecture. */
  readonly arch: Arch;
  /** Paths for `--include`, relative to the root. */
  readonly includes: readonly string[];
  /** The permissions to bake in. */
  readonly permissions: Permissions;
  /** Type-check while compiling. */
  readonly check: boolean;
  /** Where to write the binary. */
  readonly output: string;
  /** The `deno` to run. */
  readonly deno: string;
  /** A scratch directory for the env file, removed by the caller. */
  readonly workDir: string;
  /** V8 flags to bake in (see `v8MemoryFlags`). */
  readonly v8Flags?: readonly string[];
  /** Whether packages are staged in `node_modules/` beside the entry module. */
  readonly nodeModules?: boolean;
  /** Extra environment for `deno compile` (e.g. `DENORT_BIN`). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Compiles the bootstrap binary.
 *
 * @param options What to compile, for which architecture, and where to.
 * @returns The binary's contents.
 * @throws {Error} "Cannot compile …" with `deno compile`'s own error output when it fails.
 */
export async function compileBootstrap(options: CompileOptions): Promise<Uint8Array> {
  const envFile = `${options.workDir}/runtime.env`;
  await Deno.writeTextFile(envFile, envFileText(RUNTIME_ENV_DEFAULTS));
  const args = compileArgs({
    arch: options.arch,
    entrypoint: options.entrypoint,
    includes: options.includes,
    output: options.output,
    permissions: options.permissions,
    envFile,
    check: options.check,
    ...(options.v8Flags === undefined ? {} : { v8Flags: options.v8Flags }),
    ...(options.nodeModules ? { nodeModules: true } : {}),
  });
  const result = await new Deno.Command(options.deno, {
    args,
    cwd: options.root,
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const detail = new TextDecoder().decode(result.stderr).trim().split("\n")
      .filter((line) => !/^\s*(Check|Compile|Download|Embedded|Warning Environment)/.test(line))
      .join("\n");
    throw new Error(`Cannot compile for ${options.arch}: deno ${args.join(" ")}\n${detail}`);
  }
  return await Deno.readFile(options.output);
}
