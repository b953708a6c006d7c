/**
 * The files of a static site, served from one directory: request paths checked and mapped to
 * files that are really inside it, each file read once and kept with its strong `ETag`, and
 * gzip and brotli variants made on first demand and kept too.
 *
 * Everything is cached for the life of the process, which suits Lambda (the code directory is
 * read-only) and a site of a few megabytes; only files that exist are cached, so requests for
 * random paths cannot grow the memory.
 *
 * @module
 */

import { brotliCompressSync, constants as zlib } from "node:zlib";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Coding } from "./accept_encoding.ts";

/** A compressed coding a file may have a variant in. */
export type CompressedCoding = Exclude<Coding, "identity">;

/** One representation of a file: its bytes and their entity tag. */
export interface Representation {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** A strong entity tag, quotes included. */
  readonly etag: string;
}

/** A file of the site, as read from disk. */
export interface StaticFile extends Representation {
  /** Its path relative to the root, with `/` separators: `css/site.css`. */
  readonly path: string;
  /** Its `Content-Type`. */
  readonly type: string;
  /** Whether compressing it is worth trying (text, SVG, JSON…); decides `Vary`. */
  readonly compressible: boolean;
}

/**
 * What a request path turned out to be:
 * - `file`: a file inside the root;
 * - `directory`: a directory asked for without its trailing slash (redirect to `name/`);
 * - `missing`: nothing there, or something outside the root, or a hidden file;
 * - `invalid`: a path no file could have — `..`, encoded slashes, NUL and other control
 *   characters, empty segments, malformed percent-encoding.
 */
export type Lookup =
  | { readonly kind: "file"; readonly file: StaticFile }
  | { readonly kind: "directory"; readonly name: string }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid" };

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  json: "application/json",
  map: "application/json",
  webmanifest: "application/manifest+json",
  txt: "text/plain; charset=utf-8",
  xml: "application/xml",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  wasm: "application/wasm",
  pdf: "application/pdf",
};

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|manifest\+json|xml|wasm)|image\/svg\+xml)/;

// Compressed once per file and kept, so the best ratio is worth its time; 11 is brotli's
// maximum, and the files of a site are small.
const BROTLI_OPTIONS = {
  params: {
    [zlib.BROTLI_PARAM_QUALITY]: 11,
    [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
  },
};

/**
 * A directory of static files, read on demand and cached.
 *
 * @example Look a file up
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StaticFiles } from "./static_files.ts";
 *
 * const files = new StaticFiles(new URL("../public/", import.meta.url));
 * const found = await files.lookup("/style.css");
 * equal(found.kind === "file" && found.file.type, "text/css; charset=utf-8");
 * equal((await files.lookup("/site.ts")).kind, "missing");
 * equal((await files.lookup("/../site.ts")).kind, "invalid");
 * equal((await files.lookup("/..%2fsite.ts")).kind, "invalid");
 * ```
 */
export class StaticFiles {
  readonly #root: string;
  #realRoot: Promise<string> | undefined;
  readonly #files = new Map<string, Promise<StaticFile>>();
  readonly #variants = new Map<string, Promise<Representation | null>>();

  /**
   * @param root The directory, as a `file:` URL (`new URL("./public/", import.meta.url)`).
   * @throws {TypeError} If `root` is not a `file:` URL.
   */
  constructor(root: URL) {
    if (root.protocol !== "file:") {
      throw new TypeError(`Cannot serve files from ${root.href}: it is not a file: URL`);
    }
    this.#root = fileURLToPath(root);
  }

  /**
   * Finds the file a request path names. `/` and paths ending in `/` name that directory's
   * `index.html`.
   *
   * @param pathname The URL's path, still percent-encoded (`new URL(request.url).pathname`).
   * @returns The file, or why there is none.
   * @throws {Error} If the file exists but cannot be read (permissions, I/O).
   */
  async lookup(pathname: string): Promise<Lookup> {
    const segments = relativeSegments(pathname);
    if (segments === undefined) return { kind: "invalid" };
    if (segments.some((s) => s.startsWith(".") && s !== ".well-known")) return { kind: "missing" };
    const path = segments.join("/");
    const cached = this.#files.get(path);
    if (cached !== undefined) return { kind: "file", file: await cached };

    const realRoot = await (this.#realRoot ??= Deno.realPath(this.#root));
    let real: string;
    let info: Deno.FileInfo;
    try {
      real = await Deno.realPath(join(realRoot, ...segments));
      info = await Deno.stat(real);
    } catch (error) {
      if (_isMissing(error)) return { kind: "missing" };
      throw error;
    }
    // A symbolic link may point anywhere; only what resolves inside the root is served.
    if (!real.startsWith(realRoot + sep)) return { kind: "missing" };
    if (info.isDirectory) {
      const name = segments.at(-1);
      return name === undefined ? { kind: "missing" } : { kind: "directory", name };
    }
    if (!info.isFile) return { kind: "missing" };

    // Concurrent first requests share one read; a failed read is forgotten, not cached.
    const loading = _load(path, real);
    this.#files.set(path, loading);
    try {
      return { kind: "file", file: await loading };
    } catch (error) {
      this.#files.delete(path);
      if (_isMissing(error)) return { kind: "missing" };
      throw error;
    }
  }

  /**
   * The file compressed in a coding, made on first demand and cached.
   *
   * @param file A file from {@linkcode StaticFiles.lookup}.
   * @param coding `br` or `gzip`.
   * @returns The compressed bytes with their own entity tag, or `null` when the file is not
   * compressible or compressing does not make it smaller.
   */
  async variant(file: StaticFile, coding: CompressedCoding): Promise<Representation | null> {
    if (!file.compressible) return null;
    const key = `${coding}:${file.path}`;
    let variant = this.#variants.get(key);
    if (variant === undefined) {
      variant = _compress(file, coding);
      this.#variants.set(key, variant);
    }
    return await variant;
  }
}

/**
 * Splits a request path into the names of the directories and file it leads to, decoding each
 * segment once. A trailing slash adds `index.html`.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { relativeSegments } from "./static_files.ts";
 *
 * deepEqual(relativeSegments("/docs/"), ["docs", "index.html"]);
 * deepEqual(relativeSegments("/a%20b.txt"), ["a b.txt"]);
 * equal(relativeSegments("/%2e%2e/secret"), undefined);
 * equal(relativeSegments("/a%2Fb"), undefined);
 * equal(relativeSegments("//etc/passwd"), undefined);
 * ```
 *
 * @param pathname The URL's path, percent-encoded, starting with `/`.
 * @returns The segments, or `undefined` when the path is one no file inside a root could have.
 */
export function relativeSegments(pathname: string): string[] | undefined {
  if (!pathname.startsWith("/")) return undefined;
  const raw = pathname.slice(1).split("/");
  const segments: string[] = [];
  for (const [i, part] of raw.entries()) {
    if (part === "") {
      // Only the last segment may be empty: that is the directory's index.
      if (i !== raw.length - 1) return undefined;
      segments.push("index.html");
      continue;
    }
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      return undefined;
    }
    // Decoded once only: "%252e" stays the three characters "%2e", a name like any other.
    if (name === "." || name === ".." || _unsafe(name)) return undefined;
    segments.push(name);
  }
  return segments;
}

/**
 * The `Content-Type` for a file name, by its extension.
 *
 * @param path The file's path.
 * @returns The type, `application/octet-stream` when the extension is unknown.
 */
export function contentType(path: string): string {
  const dot = path.lastIndexOf(".");
  const extension = dot < 0 ? "" : path.slice(dot + 1).toLowerCase();
  return TYPES[extension] ?? "application/octet-stream";
}

async function _load(path: string, real: string): Promise<StaticFile> {
  const bytes = await Deno.readFile(real);
  const type = contentType(path);
  return { path, type, compressible: COMPRESSIBLE.test(type), bytes, etag: await _etag(bytes) };
}

async function _etag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  // 144 bits of SHA-256 tell files apart as well as the whole digest would, in fewer bytes.
  return `"${digest.subarray(0, 18).toBase64({ alphabet: "base64url" })}"`;
}

async function _compress(
  file: StaticFile,
  coding: CompressedCoding,
): Promise<Representation | null> {
  const bytes = coding === "br"
    ? new Uint8Array(brotliCompressSync(file.bytes, BROTLI_OPTIONS))
    : new Uint8Array(
      await new Response(
        new Blob([file.bytes]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
  if (bytes.length >= file.bytes.length) return null;
  // Each representation has its own strong tag: the same bytes decoded are not the same bytes.
  return { bytes, etag: `${file.etag.slice(0, -1)}-${coding}"` };
}

function _unsafe(name: string): boolean {
  // Separators would reach another directory; control characters (NUL above all, which ends a
  // path in C) belong in no file name a site serves.
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x2f || code === 0x5c) return true;
  }
  return false;
}

function _isMissing(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory;
}
