/**
 * Collecting a directory's files for a zip, with the mode each should have on Lambda.
 *
 * @module
 */

import type { ZipInput } from "./zip.ts";

/**
 * Reads every regular file under a directory (following symbolic links to their targets).
 *
 * @param dir The directory to read.
 * @param prefix The path in the zip that stands for `dir`, e.g. `app/src` (no trailing `/`).
 * @param options `skip` names directories to leave out wherever they are (e.g. `.bin`).
 * @returns The files, each `0o644`: code that is read, never executed.
 * @throws {Deno.errors.NotFound} If `dir` does not exist.
 */
export async function collectFiles(
  dir: string,
  prefix: string,
  options: { readonly skip?: readonly string[] } = {},
): Promise<ZipInput[]> {
  const files: ZipInput[] = [];
  const skip = new Set(options.skip ?? []);
  const walk = async (path: string, into: string): Promise<void> => {
    for await (const entry of Deno.readDir(path)) {
      const from = `${path}/${entry.name}`;
      const to = into === "" ? entry.name : `${into}/${entry.name}`;
      const info = entry.isSymlink ? await Deno.stat(from) : entry;
      if (info.isDirectory) {
        if (!skip.has(entry.name)) await walk(from, to);
      } else if (info.isFile) {
        files.push({ path: to, data: await Deno.readFile(from), mode: 0o644 });
      }
    }
  };
  await walk(dir, prefix);
  return files;
}

/**
 * Tells whether a path exists.
 *
 * @param path Any path.
 * @returns `true` if something is there.
 * @throws {Deno.errors.PermissionDenied} If it cannot be looked at.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
