/**
 * Collecting a directory's files for a zip, with the mode each should have on Lambda.
 *
 * @module
 */

import type { ZipInput } from "./zip.ts";

/**
 * Reads every regular file under a directory. A symbolic link is followed only to a target
 * inside `within` (the project), so a link to `/etc` cannot walk `/etc` into a zip, and a
 * directory met twice through links is refused rather than walked forever.
 *
 * @param dir The directory to read.
 * @param prefix The path in the zip that stands for `dir`, e.g. `app/src` (no trailing `/`).
 * @param options `skip` names directories to leave out wherever they are (e.g. `.bin`);
 * `within` is the directory links must stay in (default `dir`).
 * @returns The files, each `0o644`: code that is read, never executed.
 * @throws {Deno.errors.NotFound} If `dir` does not exist.
 * @throws {Error} "Cannot ship …" naming the entry, for a link that leaves `within` or loops.
 */
export async function collectFiles(
  dir: string,
  prefix: string,
  options: { readonly skip?: readonly string[]; readonly within?: string } = {},
): Promise<ZipInput[]> {
  const files: ZipInput[] = [];
  const skip = new Set(options.skip ?? []);
  const within = await Deno.realPath(options.within ?? dir);
  const walking = new Set<string>();
  const walk = async (path: string, into: string): Promise<void> => {
    const real = await Deno.realPath(path);
    if (walking.has(real)) {
      throw new Error(`Cannot ship ${into}: a symbolic link leads back into a directory above it`);
    }
    walking.add(real);
    for await (const entry of Deno.readDir(path)) {
      const from = `${path}/${entry.name}`;
      const to = into === "" ? entry.name : `${into}/${entry.name}`;
      if (entry.isSymlink) await insideOrThrow(from, within, to);
      const info = entry.isSymlink ? await Deno.stat(from) : entry;
      if (info.isDirectory) {
        if (!skip.has(entry.name)) await walk(from, to);
      } else if (info.isFile) {
        files.push({ path: to, data: await Deno.readFile(from), mode: 0o644 });
      }
    }
    walking.delete(real);
  };
  await walk(dir, prefix);
  return files;
}

/**
 * Refuses a path whose real location (symbolic links followed) is outside a directory.
 *
 * @param path The path.
 * @param within The directory, its real path.
 * @param shown The entry as messages name it (its path in the zip).
 * @returns Resolves when the path is inside.
 * @throws {Error} "Cannot ship …: it is a symbolic link to …, outside …".
 */
export async function insideOrThrow(path: string, within: string, shown: string): Promise<void> {
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Error(`Cannot ship ${shown}: it is a symbolic link to nothing`);
  }
  if (real !== within && !real.startsWith(`${within}/`)) {
    throw new Error(
      `Cannot ship ${shown}: it is a symbolic link to ${real}, outside ${within}; only files ` +
        "of the project ship (copy the file into the project instead)",
    );
  }
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
