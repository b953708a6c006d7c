/**
 * Reading one file out of a gzipped tarball, enough for npm packages: ustar names with their
 * prefix, PAX and GNU long-name headers honoured.
 *
 * @module
 */

const BLOCK = 512;

/**
 * Finds a regular file in a `.tgz` and returns its contents.
 *
 * @param tgz The gzipped tarball.
 * @param path The file's path in the archive, e.g. `package/deno`.
 * @returns The file, or `undefined` if the archive has no such regular file.
 * @throws {TypeError} If the data is not gzip or the tar headers are damaged.
 */
export async function readTarGzFile(
  tgz: Uint8Array<ArrayBuffer>,
  path: string,
): Promise<Uint8Array | undefined> {
  let tar: Uint8Array;
  try {
    const stream = new Blob([tgz]).stream().pipeThrough(new DecompressionStream("gzip"));
    tar = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new TypeError(`Cannot read the tarball: ${String(error)}`, { cause: error });
  }
  return readTarFile(tar, path);
}

/**
 * Finds a regular file in an uncompressed tar archive.
 *
 * @param tar The archive.
 * @param path The file's path in the archive.
 * @returns The file, or `undefined` if there is no such regular file.
 * @throws {TypeError} If a header's size field is damaged.
 */
export function readTarFile(tar: Uint8Array, path: string): Uint8Array | undefined {
  const decoder = new TextDecoder();
  const field = (at: number, length: number) =>
    decoder.decode(tar.subarray(at, at + length)).replace(/\0.*$/s, "");
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    if (tar[at] === 0) return undefined; // the zero blocks that end the archive
    const sizeField = field(at + 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeField)) {
      throw new TypeError(`Cannot read the tarball: bad size field at byte ${at}`);
    }
    const size = parseInt(sizeField || "0", 8);
    const type = String.fromCharCode(tar[at + 156] ?? 0);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    const prefix = field(at + 345, 155);
    const name = longName ?? (prefix === "" ? field(at, 100) : `${prefix}/${field(at, 100)}`);
    longName = undefined;
    if (type === "L") longName = decoder.decode(body).replace(/\0.*$/s, "");
    else if (type === "x") longName = /\d+ path=([^\n]*)\n/.exec(decoder.decode(body))?.[1];
    else if ((type === "0" || type === "\0") && name === path) return body.slice();
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}
