/**
 * The exports a handler module declares, read from its source without running it, so that a
 * made-up `file.export` is answered 404 instead of starting a runtime that can only fail. The
 * reading over-approximates (a commented-out export counts): a false "exists" costs what it
 * always did, a runtime reporting `Runtime.HandlerNotFound`, while a false "missing" would hide
 * a real function.
 *
 * @module
 */

const EXTENSIONS = ["ts", "js", "mts", "mjs", "cjs", "tsx", "jsx"];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DECLARATION =
  /\bexport\s+(?:declare\s+)?(?:async\s+)?(?:function\s*\*?|class|abstract\s+class|const|let|var|enum)\s*([A-Za-z_$][A-Za-z0-9_$]*)/g;
const LIST = /\bexport\s*(?:type\s*)?\{([^}]*)\}/g;
const NAMESPACE = /\bexport\s*\*\s*as\s+([A-Za-z_$][A-Za-z0-9_$]*)/g;
const STAR = /\bexport\s*\*\s*from\b/;
const DESTRUCTURED = /\bexport\s+(?:const|let|var)\s*[{[]/;
const DEFAULT = /\bexport\s+default\b/;
/** CommonJS, whose exports are only known by running it (or an ES module that requires). */
const COMMONJS = /\b(?:module\.exports|exports\.[A-Za-z_$]|exports\[|require\s*\()/;

/**
 * Lists the names a module's source exports.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { exportsOf } from "./module_exports.ts";
 *
 * const source = "export async function handler() {}\nconst s = 1;\nexport { s as stream };";
 * deepEqual([...exportsOf(source) ?? []].sort(), ["handler", "stream"]);
 * equal(exportsOf('export * from "./other.ts";'), undefined);
 * equal(exportsOf("exports.handler = async () => 1;"), undefined);
 * ```
 *
 * @param source The module's source text.
 * @returns The exported names, or `undefined` when the source re-exports another module
 *   wholesale (or destructures), or is CommonJS, and so its exports cannot be known without
 *   running it.
 */
export function exportsOf(source: string): Set<string> | undefined {
  if (STAR.test(source) || DESTRUCTURED.test(source)) return undefined;
  if (COMMONJS.test(source)) return undefined;
  const names = new Set<string>();
  for (const match of source.matchAll(DECLARATION)) names.add(match[1]!);
  for (const match of source.matchAll(NAMESPACE)) names.add(match[1]!);
  for (const match of source.matchAll(LIST)) {
    for (const item of match[1]!.split(",")) {
      const words = item.trim().split(/\s+/).filter((word) => word !== "type");
      const name = words.at(-1);
      if (name !== undefined && IDENTIFIER.test(name)) names.add(name);
    }
  }
  if (DEFAULT.test(source)) names.add("default");
  return names;
}

/**
 * Reads the exports of the module `file` in a handlers directory.
 *
 * @param directory The handlers directory.
 * @param file The module's name, without its extension.
 * @returns The exported names; `undefined` when they cannot be known (no readable module, or
 *   one that re-exports wholesale).
 */
export async function moduleExports(
  directory: string,
  file: string,
): Promise<Set<string> | undefined> {
  for (const extension of EXTENSIONS) {
    let source: string;
    try {
      source = await Deno.readTextFile(`${directory}/${file}.${extension}`);
    } catch {
      continue;
    }
    return exportsOf(source);
  }
  return undefined;
}
