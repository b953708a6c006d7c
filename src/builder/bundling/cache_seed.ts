/**
 * Deno's caches for the function bundle, made at build time and shipped, so that a fresh
 * Lambda environment, whose `DENO_DIR` (in `/tmp`) is empty, neither parses the bundle nor
 * compiles it from scratch at cold start:
 * - the module analysis (`dep_analysis_cache_v2`): before `deno run` executes a module it parses
 *   it to find its imports, hundreds of milliseconds for a bundle that holds the AWS SDK;
 * - V8's code cache (`v8_code_cache_v2`), of the bundle and of the parts of Deno that load
 *   lazily up to the first `/next` (its Node.js layer, for a function that uses npm code). It is
 *   made by the very `deno` that ships, running the bundle as the bootstrap does, so V8 takes it
 *   as its own; that needs a `deno` this machine can run, so an artifact for another
 *   architecture ships the analysis alone and runs without a code cache.
 *
 * Both are keyed by the module's URL, which must be known at build time: the bootstrap runs the
 * bundle through a symbolic link at a fixed path (`/tmp/lambdeno-<hash of the bundle>`, see
 * {@linkcode seedLinkPath}) and copies the shipped caches into its `DENO_DIR` when that is empty.
 * Where the link cannot be made the bootstrap runs the bundle from its own directory, and Deno
 * parses and compiles it as before.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { FUNCTION_BUNDLE_PATH } from "./function_bundle.ts";
import { NODE_MODULES_FLAG } from "./node_modules.ts";
import type { ZipInput } from "../archives/zip.ts";
import { fileUrl } from "../../runtime/file_url.ts";
import { runToFirstPoll } from "./first_poll.ts";

/**
 * The smallest bundle worth a code cache. Opening V8's cache database and reading the cache
 * cost a fresh start more than compiling a small bundle (the runtime and `echo`, 60 KB minified:
 * about 10 ms slower with it); a bundle with the AWS SDK (1.2 MB) starts a quarter faster.
 */
export const CODE_CACHE_MIN_BYTES = 512 * 1024;

/** Where the caches sit in the function zip. */
export const SEED_DIR = "deno-dir";

/** The bundle's path in the runs that make the code cache: the stage, as the run sees it. */
const SEED_URL_PATH = `/proc/self/cwd/${FUNCTION_BUNDLE_PATH}`;

const ANALYSIS = "dep_analysis_cache_v2";
/** Created at every fresh start otherwise; shipped so that it is only opened. */
const NODE_ANALYSIS = "node_analysis_cache_v2";
const CODE_CACHE = "v8_code_cache_v2";

/**
 * The fixed path the bootstrap links to its own directory.
 *
 * @param bundle The function bundle.
 * @returns `/tmp/lambdeno-` and the first 16 hex digits of the bundle's SHA-256.
 */
export async function seedLinkPath(bundle: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bundle));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `/tmp/lambdeno-${hex}`;
}

/** How to run the bundle up to its first `/next`, to make V8's code cache. */
export interface CodeCacheRun {
  /** The `deno` that ships, runnable on this machine. */
  readonly deno: string;
  /** `_HANDLER` values: one run each, so each handler module's init is cached. */
  readonly handlers: readonly string[];
  /** Variables the runs get besides `DENO_DIR`, the Runtime API and `_HANDLER`. */
  readonly env: Readonly<Record<string, string>>;
}

/** What {@linkcode cacheSeed} needs. */
export interface CacheSeedOptions {
  /** The `deno` running the build: the same version as the one shipped. */
  readonly deno: string;
  /** The bundle, written at `FUNCTION_BUNDLE_PATH` under `stage`. */
  readonly stage: string;
  /** The path the bootstrap will run the bundle through (see {@linkcode seedLinkPath}). */
  readonly linkPath: string;
  /** A scratch directory of its own, removed by the caller. */
  readonly workDir: string;
  /** Whether packages are staged in `node_modules/` beside the bundle, to run as shipped. */
  readonly nodeModules?: boolean;
  /** Makes V8's code cache too, by running the bundle; without it, the analysis only. */
  readonly codeCache?: CodeCacheRun;
}

/**
 * Lets `deno` analyse the bundle (and, with `codeCache`, run it up to its first `/next`), then
 * records the caches under the URL the bundle will have behind the link.
 *
 * @param options The `deno`, the staged bundle, the link path, a scratch directory and how to
 * make the code cache.
 * @returns Deno's cache databases, as files under `deno-dir/`.
 * @throws {Error} "Cannot analyse …" if `deno` left no analysis of the bundle, or "Cannot
 * cache …" if a run made no code cache of it.
 */
export async function cacheSeed(options: CacheSeedOptions): Promise<ZipInput[]> {
  const denoDir = `${options.workDir}/seed-deno-dir`;
  const bundle = `${options.stage}/${FUNCTION_BUNDLE_PATH}`;
  const flags = options.nodeModules ? [NODE_MODULES_FLAG] : [];
  if (options.codeCache === undefined) {
    // Without AWS_LAMBDA_RUNTIME_API the runtime stops at once, after Deno has analysed it.
    await new Deno.Command(options.deno, {
      args: ["run", "--no-config", "--cached-only", "--no-code-cache", ...flags, "-A", bundle],
      clearEnv: true,
      env: { DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdout: "null",
      stderr: "null",
    }).output();
  } else {
    for (const handler of options.codeCache.handlers) {
      // V8 keeps the script's URL in its code cache: run from a path that is the same for every
      // build, so that the same bundle gives the same bytes.
      await runToFirstPoll({
        deno: options.codeCache.deno,
        args: ["run", "--no-config", "--cached-only", "--no-prompt", ...flags, "-A", SEED_URL_PATH],
        cwd: options.stage,
        env: { ...options.codeCache.env, DENO_DIR: denoDir, _HANDLER: handler },
      });
    }
  }
  const url = (root: string) => fileUrl(`${root}/${FUNCTION_BUNDLE_PATH}`).href;
  const from = options.codeCache === undefined ? url(options.stage) : fileUrl(SEED_URL_PATH).href;
  const to = url(options.linkPath);
  _seed(`${denoDir}/${ANALYSIS}`, { table: "moduleinfocache", from, to });
  _seed(`${denoDir}/${NODE_ANALYSIS}`);
  if (options.codeCache !== undefined) {
    _seed(`${denoDir}/${CODE_CACHE}`, { table: "codecache", from, to });
  }
  const databases = options.codeCache === undefined
    ? [ANALYSIS, NODE_ANALYSIS]
    : [ANALYSIS, NODE_ANALYSIS, CODE_CACHE];
  // The database files alone, their logs folded in: the same bundle gives the same bytes (a
  // write-ahead log holds random salts), and a fresh start that only reads them writes nothing.
  const files: ZipInput[] = [];
  for (const name of databases) {
    try {
      const data = await Deno.readFile(`${denoDir}/${name}`);
      files.push({ path: `${SEED_DIR}/${name}`, data, mode: 0o644 });
    } catch (error) {
      // Only an optimisation: a Deno that leaves no such file needs none.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files;
}

/** Tells whether the shipped caches hold V8's code cache (see {@linkcode cacheSeed}). */
export function hasCodeCache(seed: readonly ZipInput[]): boolean {
  return seed.some((file) => file.path === `${SEED_DIR}/${CODE_CACHE}`);
}

/**
 * Moves the bundle's entry from the staged URL to the shipped one and drops every other file's,
 * then folds the write-ahead log into the database file, so that the file alone is the
 * database. It stays in WAL mode, as Deno opens it: switching modes at start would cost writes.
 */
function _seed(path: string, entry?: { table: string; from: string; to: string }): void {
  const db = new DatabaseSync(path);
  try {
    if (entry !== undefined) {
      const { table, from, to } = entry;
      const changed = db.prepare(`UPDATE ${table} SET specifier = ? WHERE specifier = ?`)
        .run(to, from);
      if (Number(changed.changes) < 1) {
        throw new Error(
          table === "moduleinfocache"
            ? `Cannot analyse ${FUNCTION_BUNDLE_PATH}: deno recorded no analysis of it`
            : `Cannot cache ${FUNCTION_BUNDLE_PATH}: deno made no code cache of it`,
        );
      }
      // Deno's own modules (`ext:`, `node:`) stay: their code cache is what a fresh start loads.
      db.prepare(`DELETE FROM ${table} WHERE specifier LIKE 'file:%' AND specifier <> ?`).run(to);
    }
    // Deno runs PRAGMA optimize on open, which analyses a table whose statistics are missing or
    // stale: that would be a write at every fresh start.
    db.exec("ANALYZE");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
