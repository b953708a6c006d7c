/**
 * The layout that needs no denort: the Linux `deno` binary, the function bundle (runtime,
 * handlers and the npm code they import, in one module), the assets the handlers declare, and
 * a shell `bootstrap` that runs the bundle with `deno run` offline.
 *
 * Lambda's code directory is read-only, so nothing may be written beside the code: Deno's own
 * caches go to a `DENO_DIR` under `$TMPDIR` (default `/tmp`). The bundle is plain JavaScript
 * importing only `node:` built-ins, so there is nothing to transpile, and no `node_modules/`
 * unless a handler names packages that must stay on disk (`nodeModules`).
 *
 * @module
 */

import { hasCodeCache, SEED_DIR } from "../bundling/cache_seed.ts";
import { FUNCTION_BUNDLE_PATH, FUNCTION_SOURCE_MAP_PATH } from "../bundling/function_bundle.ts";
import { NODE_MODULES_FLAG } from "../bundling/node_modules.ts";
import { V8_FLAGS_SH } from "./memory_flags.ts";
import { permissionFlags, type Permissions } from "./permissions.ts";
import type { ZipInput } from "../archives/zip.ts";

/** Where the `deno` binary sits in the function zip, and in a layer (under `/opt`). */
export const DENO_PATH = "bin/deno";

/** The parts of the deno-run layout. */
export interface DenoRunArtifact {
  /** The function zip's files: `bootstrap`, the bundle, the assets, and `bin/deno` unless in a layer. */
  readonly function: ZipInput[];
  /** The layer zip's files (`bin/deno`), when `deno` goes in a layer. */
  readonly layer: ZipInput[] | undefined;
}

/** What {@linkcode denoRunArtifact} needs. */
export interface DenoRunOptions {
  /** The function bundle (see `bundleFunctions`), shipped as `FUNCTION_BUNDLE_PATH`. */
  readonly bundle: Uint8Array;
  /** Its source map, shipped beside it. */
  readonly sourceMap?: Uint8Array;
  /** The declared assets' files. */
  readonly assets: readonly ZipInput[];
  /** Deno's caches of the bundle (see `cacheSeed`), if made. */
  readonly seed?: readonly ZipInput[];
  /** The fixed path the caches were made for (see `seedLinkPath`). */
  readonly linkPath?: string;
  /** The permissions the bootstrap grants. */
  readonly permissions: Permissions;
  /** The Linux `deno` binary for the target architecture. */
  readonly deno: Uint8Array;
  /** Put `deno` in a layer instead of the function zip. */
  readonly layer: boolean;
  /** The packages left out of the bundle, under `node_modules/` (see `installNodeModules`). */
  readonly nodeModules?: readonly ZipInput[];
}

/** What the bootstrap script runs besides the bundle (see {@linkcode bootstrapScript}). */
export interface BootstrapScriptOptions {
  /** The fixed path the shipped caches were made for, if any. */
  readonly linkPath?: string;
  /** Whether packages ship in `node_modules/`. */
  readonly nodeModules?: boolean;
  /** Whether V8's code cache ships with the caches; without it, none is made at run time. */
  readonly codeCache?: boolean;
}

/**
 * The `bootstrap` shell script. It finds `deno` beside itself, in a layer, or (outside Lambda)
 * on `PATH`, and says which layer is missing when there is none; it points
 * `DENO_DIR` at `$TMPDIR` (or `/tmp`), sizes V8's heap from `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`,
 * and `exec`s the bundle with the given permissions (a narrowed set plus read access to its own
 * directory). Each program it runs costs a cold start a fork and an exec, so it runs none but
 * `deno` where it can: its directory comes from `$0` (Lambda runs `/var/task/bootstrap`), and the
 * link is made only when it is not there already.
 *
 * With `linkPath`, it links that path to its own directory, runs the bundle through the link,
 * and fills an empty `DENO_DIR` with the caches shipped in `deno-dir/`, so that Deno need
 * neither parse the bundle nor, with `codeCache`, compile it (see `cacheSeed`). Without a code
 * cache it runs with `--no-code-cache`: writing one costs a fresh start more than reading it
 * saves a warm one.
 *
 * With `nodeModules`, Deno resolves the bundle's bare imports from the `node_modules/` beside it.
 *
 * @param permissions The permissions to grant.
 * @param options The link, the packages and the code cache, as shipped.
 * @returns The script.
 * @throws {TypeError} If a permission is malformed.
 */
export function bootstrapScript(
  permissions: Permissions,
  options: BootstrapScriptOptions = {},
): string {
  const { linkPath, nodeModules = false, codeCache = false } = options;
  // A narrowed set still reads the bundle's own directory, and the link to it.
  const flags = permissions.read === true ? permissionFlags(permissions).map(_quote) : [
    ...permissionFlags({ ...permissions, read: [] }).map(_quote),
    `"--allow-read=$ROOT,$APP"${
      permissions.read === false ? "" : permissions.read.map((p) => `,${_quote(p)}`).join("")
    }`,
  ];
  const seed = linkPath === undefined
    ? ""
    : `# Deno's caches of the bundle are shipped for the bundle at ${linkPath}.
APP=${_quote(linkPath)}
[ "$APP" -ef "$ROOT" ] || { ln -sfn "$ROOT" "$APP" && [ "$APP" -ef "$ROOT" ]; } 2>/dev/null ||
  APP=$ROOT
[ -e "$DENO_DIR" ] || cp -R "$ROOT/${SEED_DIR}" "$DENO_DIR" 2>/dev/null ||
  { mkdir -p "$DENO_DIR" && cp "$ROOT/${SEED_DIR}/"* "$DENO_DIR/"; } 2>/dev/null || true
`;
  const cache = linkPath !== undefined && codeCache
    ? "# V8's code cache ships with the caches: read, never written at a fresh start.\n"
    : "# No code cache: writing it costs a fresh start more than reading it saves a warm one.\n";
  return `#!/bin/sh
# Lambdeno bootstrap (deno-run layout), written by \`deno task build\`.
set -e
case $0 in
  /*/*) ROOT=\${0%/*} ;;
  *) ROOT=$(cd "$(dirname "$0")" && pwd) ;;
esac
DENO="$ROOT/${DENO_PATH}"
# Lambda unpacks layers in /opt; LAMBDENO_OPT_DIR stands in for it where /opt is not writable.
[ -x "$DENO" ] || DENO="\${LAMBDENO_OPT_DIR:-/opt}/${DENO_PATH}"
# Outside Lambda (deno task dev --bootstrap dist/<arch>/<name>/bootstrap), the deno on PATH.
[ -x "$DENO" ] || DENO=$(command -v deno) || {
  echo "Cannot start: no deno in $ROOT/${DENO_PATH} or \${LAMBDENO_OPT_DIR:-/opt}/${DENO_PATH}:" \
    "attach the deno layer built with this function (dist/<arch>/layer.zip)" >&2
  exit 1
}
# The code directory is read-only: Deno's caches go to the writable temporary directory.
export DENO_DIR="\${LAMBDENO_DENO_DIR:-\${TMPDIR:-/tmp}/lambdeno-deno-dir}"
export DENO_NO_UPDATE_CHECK=1
APP=$ROOT
${seed}# V8's heap sized to the function, as Lambda's Node.js runtime sizes it.
${V8_FLAGS_SH}
${cache}exec "$DENO" run --no-config --cached-only${
    linkPath !== undefined && codeCache ? "" : " --no-code-cache"
  } --no-prompt${nodeModules ? ` ${NODE_MODULES_FLAG}` : ""} "$@" \\
  ${flags.join(" ")} \\
  "$APP/${FUNCTION_BUNDLE_PATH}"
`;
}

/**
 * Lists the zips' files.
 *
 * @param options The bundle, the assets, the permissions and the `deno` binary.
 * @returns The function zip's files and, with `layer`, the layer zip's.
 */
export function denoRunArtifact(options: DenoRunOptions): DenoRunArtifact {
  const files: ZipInput[] = [
    {
      path: "bootstrap",
      data: new TextEncoder().encode(
        bootstrapScript(options.permissions, {
          ...(options.linkPath === undefined ? {} : { linkPath: options.linkPath }),
          nodeModules: (options.nodeModules ?? []).length > 0,
          codeCache: hasCodeCache(options.seed ?? []),
        }),
      ),
      mode: 0o755,
    },
    { path: FUNCTION_BUNDLE_PATH, data: options.bundle, mode: 0o644 },
    ...(options.sourceMap === undefined
      ? []
      : [{ path: FUNCTION_SOURCE_MAP_PATH, data: options.sourceMap, mode: 0o644 }]),
    ...options.assets,
    ...options.nodeModules ?? [],
    ...options.seed ?? [],
  ];
  const deno: ZipInput = { path: DENO_PATH, data: options.deno, mode: 0o755 };
  return options.layer
    ? { function: files, layer: [deno] }
    : { function: [...files, deno], layer: undefined };
}

/** Quotes a word for `sh` unless it is plainly safe. */
function _quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
