/**
 * Deno's module analysis of the function bundle, made at build time and shipped, so that a
 * fresh Lambda environment does not parse the bundle again at cold start. Before `deno run`
 * executes a module it parses it to find its imports, and keeps the result in
 * `$DENO_DIR/dep_analysis_cache_v2`, keyed by the module's URL; in a new sandbox `DENO_DIR` (in
 * `/tmp`) is empty, and parsing a bundle that holds the AWS SDK takes hundreds of milliseconds.
 *
 * The URL must be known at build time, so the bootstrap runs the bundle through a symbolic link
 * at a fixed path (`/tmp/lambdeno-<hash of the bundle>`, see {@linkcode seedLinkPath}) and
 * copies the shipped analysis into its `DENO_DIR` when that is empty. Where the link cannot be
 * made the bootstrap runs the bundle from its own directory, and Deno parses it as before.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { FUNCTION_BUNDLE_PATH } from "./function_bundle.ts";
import { NODE_MODULES_FLAG } from "./node_modules.ts";
import type { ZipInput } from "../archives/zip.ts";
import { fileUrl } from "../../runtime/file_url.ts";

/** Where the analysis sits in the function zip. */
export const SEED_DIR = "deno-dir";

const DATABASE = "dep_analysis_cache_v2";
/** Created at every fresh start otherwise; shipped so that it is only opened. */
const NODE_DATABASE = "node_analysis_cache_v2";

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

/** What {@linkcode analysisSeed} needs. */
export interface AnalysisSeedOptions {
  /** The `deno` running the build: the same version as the one shipped. */
  readonly deno: string;
  /** The bundle, written at `FUNCTION_BUNDLE_PATH` under `stage`. */
  readonly stage: string;
  /** The path the bootstrap will run the bundle through (see {@linkcode seedLinkPath}). */
  readonly linkPath: string;
  /** A scratch directory, removed by the caller. */
  readonly workDir: string;
  /** Whether packages are staged in `node_modules/` beside the bundle, to run as shipped. */
  readonly nodeModules?: boolean;
}

/**
 * Lets the build's `deno` analyse the bundle, then records the analysis under the URL the
 * bundle will have behind the link.
 *
 * @param options The `deno`, the staged bundle, the link path and a scratch directory.
 * @returns Deno's cache databases and their write-ahead logs, as files under `deno-dir/`.
 * @throws {Error} "Cannot analyse …" if `deno` left no analysis of the bundle.
 */
export async function analysisSeed(options: AnalysisSeedOptions): Promise<ZipInput[]> {
  const denoDir = `${options.workDir}/seed-deno-dir`;
  // Without AWS_LAMBDA_RUNTIME_API the runtime stops at once, after Deno has analysed it.
  await _run(
    options.deno,
    denoDir,
    `${options.stage}/${FUNCTION_BUNDLE_PATH}`,
    options.nodeModules ? [NODE_MODULES_FLAG] : [],
  );
  const url = (root: string) => fileUrl(`${root}/${FUNCTION_BUNDLE_PATH}`).href;
  const db = new DatabaseSync(`${denoDir}/${DATABASE}`);
  try {
    const changed = db.prepare("UPDATE moduleinfocache SET specifier = ? WHERE specifier = ?")
      .run(url(options.linkPath), url(options.stage));
    if (Number(changed.changes) !== 1) {
      throw new Error(`Cannot analyse ${FUNCTION_BUNDLE_PATH}: deno recorded no analysis of it`);
    }
    db.prepare("DELETE FROM moduleinfocache WHERE specifier <> ?").run(url(options.linkPath));
    _selfContained(db);
  } finally {
    db.close();
  }
  for (const name of [NODE_DATABASE]) {
    const other = new DatabaseSync(`${denoDir}/${name}`);
    _selfContained(other);
    other.close();
  }
  // Deno opens its databases as a warm start finds them only when their write-ahead logs are
  // there: otherwise it creates them, with a handful of fsyncs. Running a module that imports
  // nothing leaves them so, and the analysis of the bundle as it was.
  const empty = `${options.workDir}/seed-empty.js`;
  await Deno.writeTextFile(empty, "export {};\n");
  await _run(options.deno, denoDir, empty);
  const files: ZipInput[] = [];
  for (const name of [DATABASE, NODE_DATABASE]) {
    for (const suffix of ["", "-wal", "-shm"]) {
      try {
        const data = await Deno.readFile(`${denoDir}/${name}${suffix}`);
        files.push({ path: `${SEED_DIR}/${name}${suffix}`, data, mode: 0o644 });
      } catch (error) {
        // Only an optimisation: a Deno that leaves no such file needs none.
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
  return files;
}

async function _run(
  deno: string,
  denoDir: string,
  module: string,
  flags: readonly string[] = [],
): Promise<void> {
  await new Deno.Command(deno, {
    args: ["run", "--no-config", "--cached-only", "--no-code-cache", ...flags, "-A", module],
    clearEnv: true,
    env: { DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
}

/**
 * Folds the write-ahead log into the database file, so that the file alone is the database. It
 * stays in WAL mode, as Deno opens it: switching modes at start would cost writes and fsyncs.
 */
function _selfContained(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}
