/**
 * The compiled layout: `deno compile` of the function bundle (runtime and handlers) with its
 * source map and the declared assets embedded and V8's heap limits baked in, written as the
 * function's `bootstrap`.
 *
 * @module
 */

import { compileArgs, envFileText, RUNTIME_ENV_DEFAULTS } from "./compile_args.ts";
import { FUNCTION_BUNDLE_PATH, FUNCTION_SOURCE_MAP_PATH } from "../bundling/function_bundle.ts";
import type { ZipInput } from "../archives/zip.ts";
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

/** What {@linkcode compiledArtifact} needs. */
export interface CompiledArtifactOptions {
  /** Where the function bundle is staged (`FUNCTION_BUNDLE_PATH` under it, its map beside). */
  readonly stage: string;
  /** The architecture. */
  readonly arch: Arch;
  /** The declared assets' files, embedded and shipped. */
  readonly assets: readonly ZipInput[];
  /** The packages under `node_modules/`, embedded and shipped. */
  readonly nodeModules: readonly ZipInput[];
  /** The permissions to bake in. */
  readonly permissions: Permissions;
  /** Where to write the binary. */
  readonly output: string;
  /** The `deno` to run. */
  readonly deno: string;
  /** A scratch directory, removed by the caller. */
  readonly workDir: string;
  /** V8 flags to bake in. */
  readonly v8Flags: readonly string[];
  /** Extra environment for `deno compile` (e.g. `DENORT_BIN`). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * One group's compiled artifact: the bundle compiled with its source map and assets embedded,
 * then its zip's files.
 *
 * @param options The staged bundle, the architecture, what ships beside it and the flags.
 * @returns The function zip's files: `bootstrap`, the assets and the packages.
 * @throws {Error} "Cannot compile …" with `deno compile`'s own error output when it fails.
 */
export async function compiledArtifact(options: CompiledArtifactOptions): Promise<ZipInput[]> {
  for (const asset of options.assets) {
    const path = `${options.stage}/${asset.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, asset.data);
  }
  const binary = await compileBootstrap({
    root: options.stage,
    entrypoint: FUNCTION_BUNDLE_PATH,
    arch: options.arch,
    includes: [...options.assets.map((a) => a.path), FUNCTION_SOURCE_MAP_PATH],
    permissions: options.permissions,
    // The build checks types before bundling; the bundle is JavaScript.
    check: false,
    output: options.output,
    deno: options.deno,
    workDir: options.workDir,
    v8Flags: options.v8Flags,
    ...(options.nodeModules.length === 0 ? {} : { nodeModules: true }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return [
    { path: "bootstrap", data: binary, mode: 0o755 },
    ...options.assets,
    ...options.nodeModules,
  ];
}
