/**
 * File paths as `file:` URLs. A path is not URL syntax: `#`, `?` and `%` in a directory name
 * must be escaped, or `file://${path}` cuts the path at a fragment or query, or decodes it.
 * Built on the URL API alone, so the runtime core needs no Node compatibility module for it.
 *
 * @module
 */

/**
 * The `file:` URL of an absolute path, with every character of the path kept as written.
 *
 * @example Characters that are URL syntax stay part of the path
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fileUrl } from "./file_url.ts";
 *
 * equal(fileUrl("/tmp/a#b?c%41/h.ts").href, "file:///tmp/a%23b%3Fc%2541/h.ts");
 * ```
 *
 * @param path An absolute POSIX path; a trailing `/` is kept, so the URL can be a base.
 * @returns The path's URL.
 * @throws {TypeError} If the path is not absolute.
 */
export function fileUrl(path: string): URL {
  if (!path.startsWith("/")) throw new TypeError(`Cannot make a file URL: ${path} is not absolute`);
  const url = new URL("file:///");
  // The pathname setter escapes `#` and `?` but takes `%` as an escape and `\` as a separator,
  // and drops tabs and newlines: escape those first.
  url.pathname = path.replace(
    /[%\\\t\n\r]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return url;
}
