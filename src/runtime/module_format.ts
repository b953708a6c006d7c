/**
 * Loading a handler module as Lambda's Node.js runtime loads it: a `.cjs` file, and a `.js` file
 * that Node's rules make CommonJS, are `require`d (the handler is a property of `module.exports`);
 * everything else is imported as an ES module. For a `.js` file the nearest `package.json`
 * decides (`"type": "module"` or `"commonjs"`); without a `type`, its syntax does, as Node 22
 * detects it: a file that cannot be compiled as a CommonJS function body (it has `import` or
 * `export` statements, `import.meta`, top-level `await`, or declares `require` or `module` itself)
 * is an ES module.
 *
 * Only `.js` and `.cjs` files are looked at: a TypeScript handler is imported at once, with no
 * extra file read. Built artifacts do not come here at all: their handlers are bundled.
 *
 * @module
 */

/**
 * Imports a handler module by Node's rules.
 *
 * @example A `.cjs` module gives its `module.exports`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fileUrl } from "./file_url.ts";
 * import { importHandlerModule } from "./module_format.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/legacy.cjs`, "exports.handler = () => 'cjs';");
 * const module = await importHandlerModule(fileUrl(`${dir}/legacy.cjs`));
 * equal((module.handler as () => string)(), "cjs");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param url The module's `file:` URL.
 * @returns Its exports.
 * @throws {Error} Whatever loading the module throws: `Deno.errors.NotFound` for a file that is
 * not there, a `SyntaxError`, or what its top-level code throws.
 */
export async function importHandlerModule(url: URL): Promise<Record<string, unknown>> {
  const path = decodeURIComponent(url.pathname);
  if (path.endsWith(".cjs") || (path.endsWith(".js") && await isCommonJs(path))) {
    const { createRequire } = await import("node:module");
    return createRequire(url)(path) as Record<string, unknown>;
  }
  return await import(url.href);
}

/**
 * Whether a `.js` file is CommonJS by Node's rules: its nearest `package.json`'s `type`, else its
 * syntax.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isCommonJs } from "./module_format.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.js`, "module.exports = { handler() {} };");
 * await Deno.writeTextFile(`${dir}/b.js`, "export const handler = () => {};");
 * equal(await isCommonJs(`${dir}/a.js`), true);
 * equal(await isCommonJs(`${dir}/b.js`), false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file's absolute path.
 * @returns `true` for CommonJS.
 * @throws {Deno.errors.NotFound} If the file is not there.
 */
export async function isCommonJs(path: string): Promise<boolean> {
  const source = await Deno.readTextFile(path);
  const type = await _packageType(path.slice(0, path.lastIndexOf("/")) || "/");
  if (type !== undefined) return type === "commonjs";
  try {
    // Node's detection: compile as the body of CommonJS's wrapper function, without running it.
    new Function("exports", "require", "module", "__filename", "__dirname", source);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `type` of the nearest `package.json` above a directory, as Lambda's Node.js runtime looks
 * for it: not past a `node_modules` directory, and a file it cannot read counts as none.
 */
async function _packageType(dir: string): Promise<"module" | "commonjs" | undefined> {
  for (let at = dir;; at = at.slice(0, at.lastIndexOf("/")) || "/") {
    if (at.endsWith("/node_modules")) return undefined;
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(`${at === "/" ? "" : at}/package.json`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return undefined;
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
        return type === "module" || type === "commonjs" ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (at === "/") return undefined;
  }
}
