/**
 * The argument list for `deno compile`, as a pure function of the build's choices, and the
 * environment defaults baked into the binary.
 *
 * @module
 */

import { NODE_MODULES_DIR, NODE_MODULES_FLAG } from "../bundling/node_modules.ts";
import { permissionFlags, type Permissions } from "./permissions.ts";
import { type Arch, denoTarget } from "./targets.ts";

/**
 * Variables the compiled binary gets unless Lambda (or the caller) sets them: the code
 * directory is read-only, so whatever Deno caches goes to `/tmp`.
 */
export const RUNTIME_ENV_DEFAULTS: Readonly<Record<string, string>> = {
  DENO_DIR: "/tmp/deno_dir",
  DENO_NO_UPDATE_CHECK: "1",
};

/** The choices one `deno compile` run depends on. */
export interface CompileArgsOptions {
  /** The architecture to compile for. */
  readonly arch: Arch;
  /** The entry module, relative to the project root: `src/main.ts`. */
  readonly entrypoint: string;
  /** Files to embed: the declared assets. */
  readonly includes: readonly string[];
  /** Where to write the binary. */
  readonly output: string;
  /** The permissions to bake in. */
  readonly permissions: Permissions;
  /** A dotenv file whose variables become defaults in the binary, if any. */
  readonly envFile?: string;
  /** Type-check before compiling (slower; `deno check` covers it). */
  readonly check: boolean;
  /** V8 flags baked into the binary (denort reads no `DENO_V8_FLAGS`). */
  readonly v8Flags?: readonly string[];
  /**
   * Whether packages left out of the bundle are staged in `node_modules/` beside it: they are
   * embedded, and the bundle's bare imports resolve there.
   */
  readonly nodeModules?: boolean;
}

/**
 * The arguments after `deno` for compiling the bootstrap.
 *
 * @example Compile for arm64
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { compileArgs } from "./compile_args.ts";
 * import { DEFAULT_PERMISSIONS } from "./permissions.ts";
 *
 * deepEqual(
 *   compileArgs({
 *     arch: "arm64",
 *     entrypoint: "src/main.ts",
 *     includes: ["handlers/"],
 *     output: "dist/arm64/bootstrap",
 *     permissions: DEFAULT_PERMISSIONS,
 *     check: false,
 *   }),
 *   [
 *     "compile", "--target", "aarch64-unknown-linux-gnu", "--output", "dist/arm64/bootstrap",
 *     "--no-check", "--include", "handlers/",
 *     "--allow-all",
 *     "src/main.ts",
 *   ],
 * );
 * ```
 *
 * @param options Target, entry point, embedded files, output, permissions and checking.
 * @returns The argument list.
 * @throws {TypeError} If a permission is malformed.
 */
export function compileArgs(options: CompileArgsOptions): string[] {
  const v8Flags = options.v8Flags ?? [];
  return [
    "compile",
    "--target",
    denoTarget(options.arch),
    "--output",
    options.output,
    ...(options.check ? [] : ["--no-check"]),
    ...(options.nodeModules ? [NODE_MODULES_FLAG] : []),
    ...options.includes.flatMap((path) => ["--include", path]),
    ...(options.nodeModules ? ["--include", `${NODE_MODULES_DIR}/`] : []),
    ...(options.envFile === undefined ? [] : [`--env-file=${options.envFile}`]),
    ...(v8Flags.length === 0 ? [] : [`--v8-flags=${v8Flags.join(",")}`]),
    ...permissionFlags(options.permissions),
    options.entrypoint,
  ];
}

/**
 * Renders variables as a dotenv file for `--env-file`.
 *
 * @param env The variables.
 * @returns `KEY=value` lines.
 * @throws {TypeError} If a value contains a line break.
 */
export function envFileText(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([key, value]) => {
    if (/[\r\n]/.test(value)) {
      throw new TypeError(`Cannot write the env file: ${key} contains a line break`);
    }
    return `${key}=${value}\n`;
  }).join("");
}
