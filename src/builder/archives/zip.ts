/**
 * Function zips: written with `fflate`, entries marked as made on Unix so Lambda keeps their
 * modes (`bootstrap` must stay executable), and read back from the central directory to check
 * what was written.
 *
 * @module
 */

import { inflateSync, type Zippable, zipSync } from "fflate";

/** One file to put in a zip. */
export interface ZipInput {
  /** The path inside the archive, `/`-separated, no leading `/`. */
  readonly path: string;
  /** The contents. */
  readonly data: Uint8Array;
  /** Unix permission bits, e.g. `0o755`. */
  readonly mode: number;
}

/** One file as the zip's central directory describes it. */
export interface ZipEntry {
  /** The path inside the archive. */
  readonly path: string;
  /** The Unix permission bits (`0o755`), or `undefined` when not made on Unix. */
  readonly mode: number | undefined;
  /** The host that made the entry: the high byte of "version made by" (3 = Unix). */
  readonly madeBy: number;
  /** The size unpacked. */
  readonly size: number;
  /** The size packed. */
  readonly compressedSize: number;
  /** Unpacks the entry. */
  readonly read: () => Uint8Array;
}

const UNIX = 3;
const S_IFREG = 0o100000;
// A fixed time makes a zip of the same files the same bytes, so redeploys upload nothing new.
const MTIME = new Date(1980, 0, 2);

/**
 * Writes a zip. Entries are sorted by path, so the same files always give the same bytes.
 *
 * @param files The files, each with its mode.
 * @param level The deflate level, 0 to 9.
 * @returns The archive.
 * @throws {TypeError} If a path is absolute, climbs out with `..`, or appears twice.
 */
export function writeZip(files: readonly ZipInput[], level: 0 | 1 | 6 | 9 = 6): Uint8Array {
  const zippable: Zippable = {};
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (file.path.startsWith("/") || file.path.split("/").includes("..")) {
      throw new TypeError(`Cannot zip ${file.path}: paths must be relative and stay inside`);
    }
    if (file.path in zippable) throw new TypeError(`Cannot zip ${file.path}: it appears twice`);
    zippable[file.path] = [file.data, {
      level,
      os: UNIX,
      attrs: ((S_IFREG | (file.mode & 0o7777)) << 16) >>> 0,
      mtime: MTIME,
    }];
  }
  return zipSync(zippable);
}

/**
 * Lists a zip's entries from its central directory, with their Unix modes.
 *
 * @example Modes survive the round trip
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { readZip, writeZip } from "./zip.ts";
 *
 * const zip = writeZip([{ path: "bootstrap", data: new Uint8Array([0x23, 0x21]), mode: 0o755 }]);
 * const [entry] = readZip(zip);
 * equal(entry?.mode, 0o755);
 * equal(entry?.madeBy, 3);
 * ```
 *
 * @param zip The archive.
 * @returns The entries, in central-directory order.
 * @throws {TypeError} If the bytes are not a zip this reader understands (no zip64, no
 * encryption, stored or deflated entries only).
 */
export function readZip(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = _findEndOfCentralDirectory(view);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) {
      throw new TypeError(`Cannot read the zip: central directory entry ${i} is damaged`);
    }
    const madeBy = view.getUint8(at + 5);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const attrs = view.getUint32(at + 38, true);
    const local = view.getUint32(at + 42, true);
    const path = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    entries.push({
      path,
      mode: madeBy === UNIX ? (attrs >>> 16) & 0o7777 : undefined,
      madeBy,
      size,
      compressedSize,
      read: () => _unpack(zip, view, local, method, compressedSize, size, path),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function _findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  throw new TypeError("Cannot read the zip: no end of central directory record");
}

function _unpack(
  zip: Uint8Array,
  view: DataView,
  local: number,
  method: number,
  compressedSize: number,
  size: number,
  path: string,
): Uint8Array {
  if (view.getUint32(local, true) !== 0x04034b50) {
    throw new TypeError(`Cannot read ${path} from the zip: its local header is damaged`);
  }
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const packed = zip.subarray(start, start + compressedSize);
  if (method === 0) return packed.slice();
  if (method === 8) return inflateSync(packed, { out: new Uint8Array(size) });
  throw new TypeError(`Cannot read ${path} from the zip: compression method ${method}`);
}
