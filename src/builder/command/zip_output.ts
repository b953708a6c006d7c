/**
 * Writing an artifact's zip: written, read back, and each entry's mode checked, so that what
 * is reported is what Lambda will unpack.
 *
 * @module
 */

import type { ArtifactRow } from "./report.ts";
import type { Arch } from "../layouts/targets.ts";
import { readZip, writeZip, type ZipInput } from "../archives/zip.ts";

/**
 * Writes a zip, reads it back, and gives its row for the size table.
 *
 * @param files The zip's files.
 * @param path Where to write it.
 * @param arch Its architecture.
 * @param shownDir Its directory as the summary shows it.
 * @returns Its row, with its size and unzipped size.
 * @throws {Error} "Cannot trust …" if an entry comes back with another mode.
 */
export async function writeZipFile(
  files: readonly ZipInput[],
  path: string,
  arch: Arch,
  shownDir: string,
): Promise<ArtifactRow> {
  const zip = writeZip(files);
  await Deno.writeFile(path, zip);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return {
    arch,
    path: `${shownDir}/${name}`,
    size: zip.length,
    unzipped: _checkZip(zip, files, path),
  };
}

/** Reads the zip back and checks every entry's mode; returns the unzipped size. */
function _checkZip(zip: Uint8Array, files: readonly ZipInput[], path: string): number {
  const wanted = new Map(files.map((f) => [f.path, f.mode]));
  let unzipped = 0;
  for (const entry of readZip(zip)) {
    if (entry.mode !== wanted.get(entry.path)) {
      throw new Error(
        `Cannot trust ${path}: ${entry.path} came back with mode ${entry.mode?.toString(8)}, ` +
          `not ${wanted.get(entry.path)?.toString(8)}`,
      );
    }
    unzipped += entry.size;
  }
  return unzipped;
}
