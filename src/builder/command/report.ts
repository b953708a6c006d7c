/**
 * What the build prints at the end: a table of artifact sizes, and warnings where a zip
 * is over what Lambda accepts for a direct upload.
 *
 * @module
 */

import type { Arch } from "../layouts/targets.ts";

/** Lambda's limit for a zip uploaded directly (not through S3): 50 MB. */
export const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;
/** Lambda's limit for a function's unzipped code, layers included: 250 MB. */
export const UNZIPPED_LIMIT = 250 * 1024 * 1024;

/** One file the build wrote. */
export interface ArtifactRow {
  /** The architecture. */
  readonly arch: Arch;
  /** The path, as shown. */
  readonly path: string;
  /** Its size on disk. */
  readonly size: number;
  /** For zips: the size of its contents unpacked. */
  readonly unzipped?: number;
}

/**
 * Formats a size the way the limits are stated: in MB (MiB), one decimal.
 *
 * @param bytes The size.
 * @returns E.g. `41.3 MB`, or `812 KB` / `96 B` below a megabyte.
 */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * The summary table.
 *
 * @param rows The artifacts.
 * @returns Aligned text lines: arch, file, size, unzipped size.
 */
export function summaryTable(rows: readonly ArtifactRow[]): string {
  const lines = [
    ["arch", "file", "size", "unzipped"],
    ...rows.map((row) => [
      row.arch,
      row.path,
      formatSize(row.size),
      row.unzipped === undefined ? "" : formatSize(row.unzipped),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines.map((line) =>
    line.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ").trimEnd()
  ).join("\n");
}

/**
 * Warnings for zips Lambda will not take as they are.
 *
 * @param rows The artifacts.
 * @returns One warning per zip over 50 MB (upload through S3) or 250 MB unzipped (too big).
 */
export function sizeWarnings(rows: readonly ArtifactRow[]): string[] {
  const warnings: string[] = [];
  for (const row of rows) {
    if (row.unzipped === undefined) continue;
    if (row.size > DIRECT_UPLOAD_LIMIT) {
      warnings.push(
        `${row.path} is ${formatSize(row.size)}, over Lambda's 50 MB limit for a direct ` +
          "upload (aws lambda create-function/update-function-code --zip-file): upload it " +
          "through S3 instead — `sam deploy` does this for you, or `aws s3 cp` it and pass " +
          "--s3-bucket/--s3-key.",
      );
    }
    if (row.unzipped > UNZIPPED_LIMIT) {
      warnings.push(
        `${row.path} unzips to ${formatSize(row.unzipped)}, over Lambda's 250 MB limit ` +
          "for code and layers together: ship fewer handlers (--handlers) or assets.",
      );
    }
  }
  return warnings;
}

/**
 * Refuses an artifact Lambda would refuse: more than 250 MB unpacked, layer included.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkUnzippedSize } from "./report.ts";
 *
 * const big = { path: "handlers/_data/big.bin", data: new Uint8Array(3), mode: 0o644 };
 * throws(() => checkUnzippedSize("dist/x86_64/function.zip", [big], 2), /big\.bin/);
 * ```
 *
 * @param path The zip, as shown.
 * @param files Everything Lambda unpacks for the function (function zip and layer).
 * @param limit The limit in bytes (default {@linkcode UNZIPPED_LIMIT}).
 * @throws {RangeError} "Cannot build …" naming the zip, its unpacked size and its largest files.
 */
export function checkUnzippedSize(
  path: string,
  files: readonly { readonly path: string; readonly data: Uint8Array }[],
  limit: number = UNZIPPED_LIMIT,
): void {
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  if (total <= limit) return;
  const largest = [...files].sort((a, b) => b.data.length - a.data.length).slice(0, 3)
    .map((f) => `${f.path} ${formatSize(f.data.length)}`).join(", ");
  throw new RangeError(
    `Cannot build ${path}: it unzips to ${formatSize(total)}, over Lambda's ` +
      `${formatSize(limit)} limit for a function's code and layers (largest: ${largest})`,
  );
}

/** What {@linkcode buildSummary} describes: a build's result. */
export interface BuildSummaryInput {
  /** Every file written. */
  readonly artifacts: readonly ArtifactRow[];
  /** The architectures built. */
  readonly arches: readonly Arch[];
  /** The architecture the template deploys. */
  readonly templateArch: Arch;
  /** How the functions are packaged. */
  readonly packaging: "layer" | "self-contained" | "compiled";
  /** The template's path, as shown. */
  readonly template: string;
  /** `file.export` of every function in the template. */
  readonly functions: readonly string[];
}

/**
 * The lines that end a build: what was built, for which architectures and in which layout, and
 * what the template deploys.
 *
 * @example A layered build for both architectures
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { buildSummary } from "./report.ts";
 *
 * const lines = buildSummary({
 *   artifacts: [{ arch: "arm64", path: "dist/arm64/layer.zip", size: 40 * 1024 * 1024, unzipped: 1 }],
 *   arches: ["x86_64", "arm64"],
 *   templateArch: "arm64",
 *   packaging: "layer",
 *   template: "dist/template.yaml",
 *   functions: ["echo.handler"],
 * });
 * equal(
 *   lines[0],
 *   "Built for x86_64 and arm64: deno in one layer per architecture (dist/<arch>/layer.zip), " +
 *     "each function's code in its own zip.",
 * );
 * equal(
 *   lines[1],
 *   "dist/template.yaml deploys 1 function on arm64 (provided.al2023) with the deno layer " +
 *     "(40.0 MB): echo.handler. Build with --arch x86_64 to deploy x86_64.",
 * );
 * ```
 *
 * @param result The build's result.
 * @returns Two lines.
 */
export function buildSummary(result: BuildSummaryInput): string[] {
  const arches = result.arches.join(" and ");
  const what = {
    layer: "deno in one layer per architecture (dist/<arch>/layer.zip), each function's code in " +
      "its own zip.",
    "self-contained": "self-contained zips, deno in each (--no-layer).",
    compiled: "one deno compile binary per function (--layout compiled).",
  }[result.packaging];
  const layer = result.artifacts.find((row) =>
    row.arch === result.templateArch && row.path.endsWith("/layer.zip")
  );
  const count = `${result.functions.length} function${result.functions.length === 1 ? "" : "s"}`;
  const other = result.templateArch === "arm64" ? "x86_64" : "arm64";
  return [
    `Built for ${arches}: ${what}`,
    `${result.template} deploys ${count} on ${result.templateArch} (provided.al2023)${
      layer === undefined ? "" : ` with the deno layer (${formatSize(layer.size)})`
    }: ${result.functions.join(", ")}. Build with --arch ${other} to deploy ${other}.`,
  ];
}
