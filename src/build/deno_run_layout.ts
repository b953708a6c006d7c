/**
 * The layout that needs no denort: the Linux `deno` binary, the application (`deno.json`,
 * the lock, the bundled bootstrap, `src/`, `handlers/`, asset directories) with its npm
 * packages installed into a flat `node_modules/`, and a shell `bootstrap` that runs the bundle
 * with `deno run` offline.
 *
 * Lambda's code directory is read-only, so nothing may be written beside the code: npm
 * packages come from the shipped `node_modules/` (`--node-modules-dir=manual`), the lock is
 * frozen, and Deno's own caches go to a `DENO_DIR` under `$TMPDIR` (default `/tmp`).
 *
 * @module
 */

import { BUNDLE_PATH } from "./bundle.ts";
import { collectFiles, exists } from "./files.ts";
import { permissionFlags, type Permissions } from "./permissions.ts";
import type { ZipInput } from "./zip.ts";

/** Where the `deno` binary sits in the function zip, and in a layer (under `/opt`). */
export const DENO_PATH = "bin/deno";

/** The parts of the deno-run layout. */
export interface DenoRunArtifact {
  /** The function zip's files: `bootstrap`, `app/…`, and `bin/deno` unless in a layer. */
  readonly function: ZipInput[];
  /** The layer zip's files (`bin/deno`), when `deno` goes in a layer. */
  readonly layer: ZipInput[] | undefined;
}

/** What {@linkcode denoRunArtifact} needs. */
export interface DenoRunOptions {
  /** The project root, absolute. */
  readonly root: string;
  /** The bundled bootstrap (see `bundleBootstrap`), shipped as `app/` + `BUNDLE_PATH`. */
  readonly bundle: Uint8Array;
  /** Asset directories (relative to the root) to ship beside the code. */
  readonly assetDirs: readonly string[];
  /** The permissions the bootstrap grants. */
  readonly permissions: Permissions;
  /** The Linux `deno` binary for the target architecture. */
  readonly deno: Uint8Array;
  /** Put `deno` in a layer instead of the function zip. */
  readonly layer: boolean;
  /** The `deno` that installs the npm packages (the one running the build). */
  readonly hostDeno: string;
  /** A scratch directory, removed by the caller. */
  readonly workDir: string;
}

/**
 * The `bootstrap` shell script. It finds `deno` beside itself or in a layer, points
 * `DENO_DIR` at `$TMPDIR` (or `/tmp`), and `exec`s the runtime with the given permissions plus
 * read access to its own directory, whatever that is.
 *
 * @param permissions The permissions to grant.
 * @returns The script.
 * @throws {TypeError} If a permission is malformed.
 */
export function bootstrapScript(permissions: Permissions): string {
  const flags = permissionFlags({ ...permissions, read: [] }).map(_quote);
  const read = permissions.read.map(_quote).join(",");
  return `#!/bin/sh
# Lambdeno bootstrap (deno-run layout), written by \`deno task build\`.
set -e
ROOT=$(cd "$(dirname "$0")" && pwd)
DENO="$ROOT/${DENO_PATH}"
[ -x "$DENO" ] || DENO=/opt/${DENO_PATH}
# The code directory is read-only: Deno's caches go to the writable temporary directory.
export DENO_DIR="\${LAMBDENO_DENO_DIR:-\${TMPDIR:-/tmp}/lambdeno-deno-dir}"
export DENO_NO_UPDATE_CHECK=1
exec "$DENO" run --cached-only --frozen --node-modules-dir=manual --no-prompt \\
  --config "$ROOT/app/deno.json" \\
  ${flags.join(" ")} "--allow-read=$ROOT"${read === "" ? "" : `,${read}`} \\
  "$ROOT/app/${BUNDLE_PATH}"
`;
}

/**
 * Stages the application, installs its npm packages, and lists the zips' files.
 *
 * @param options The project, the permissions, the `deno` binary and a scratch directory.
 * @returns The function zip's files and, with `layer`, the layer zip's.
 * @throws {Error} "Cannot install the npm packages …" if `deno install` fails (for instance
 * when the lock is out of date: run `deno install` in the project first).
 */
export async function denoRunArtifact(options: DenoRunOptions): Promise<DenoRunArtifact> {
  const app = `${options.workDir}/app`;
  await Deno.mkdir(app, { recursive: true });
  for (const file of ["deno.json", "deno.lock"]) {
    if (await exists(`${options.root}/${file}`)) {
      await Deno.copyFile(`${options.root}/${file}`, `${app}/${file}`);
    }
  }
  const install = await new Deno.Command(options.hostDeno, {
    args: [
      "install",
      "--quiet",
      "--frozen",
      "--node-modules-dir=manual",
      "--node-modules-linker",
      "hoisted",
    ],
    cwd: app,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!install.success) {
    throw new Error(
      `Cannot install the npm packages for the deno-run layout: ${
        new TextDecoder().decode(install.stderr).trim()
      }`,
    );
  }
  const files: ZipInput[] = [
    {
      path: "bootstrap",
      data: new TextEncoder().encode(bootstrapScript(options.permissions)),
      mode: 0o755,
    },
  ];
  for (const file of ["deno.json", "deno.lock"]) {
    if (await exists(`${app}/${file}`)) {
      files.push({ path: `app/${file}`, data: await Deno.readFile(`${app}/${file}`), mode: 0o644 });
    }
  }
  files.push({ path: `app/${BUNDLE_PATH}`, data: options.bundle, mode: 0o644 });
  // Handlers import from src/ themselves, so it ships beside the bundle.
  for (const dir of ["src", "handlers", ...options.assetDirs]) {
    files.push(...await collectFiles(`${options.root}/${dir}`, `app/${dir}`));
  }
  if (await exists(`${app}/node_modules`)) {
    files.push(
      ...await collectFiles(`${app}/node_modules`, "app/node_modules", { skip: [".bin"] }),
    );
  }
  const deno: ZipInput = { path: DENO_PATH, data: options.deno, mode: 0o755 };
  return options.layer
    ? { function: files, layer: [deno] }
    : { function: [...files, deno], layer: undefined };
}

/** Quotes a word for `sh` unless it is plainly safe. */
function _quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
