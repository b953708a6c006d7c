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
