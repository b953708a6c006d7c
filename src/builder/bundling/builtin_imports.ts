/**
 * A bundle without `import` statements. Deno reads and parses a module's source map when it
 * loads a module that has static imports, before any of its code runs; a bundle that imports
 * only `node:` modules (the AWS SDK's bundle imports a dozen) then pays for its 1.5 MB map at
 * every cold start (about 13 ms, a tenth of the SDK function's start), though the map is needed
 * only when a stack is formatted. Taken from `process.getBuiltinModule` instead, as Node 22 and
 * Deno both offer, the same modules load, and the map is read only when a stack is formatted.
 *
 * Each statement is blanked with as many spaces, so every other column of its line, and so the
 * source map, stays right; the bindings are declared on the line put before the bundle's first
 * (see `withRequire`), as imports are bound before a module's code runs. A bundle that also
 * imports anything else (the packages left in `node_modules/`) keeps its imports as they are.
 *
 * @module
 */

/** One `import … from "node:…"` statement as `deno bundle` writes it, minified. */
const STATEMENT =
  /(?<=^|[;}])import ?(?:([\w$]+) ?,? ?)?(?:\{([^}\n]*)\}|\* ?as ([\w$]+))? ?(?:from ?)?"(node:[\w/]+)";?/gm;

/** Any static import left, in the places a statement starts. */
const ANY_STATEMENT = /(?<=^|[;}])import ?(?:[\w${*]|"|')/m;

/** One `a as b` (or `a`) of a named import, as a destructuring property. */
function _property(specifier: string): string {
  const [imported, local] = specifier.split(/ as /).map((part) => part.trim());
  if (imported === undefined || imported === "") return "";
  return local === undefined || local === imported ? imported : `${imported}:${local}`;
}

/**
 * Takes a minified bundle's `node:` imports out of its statements.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hoistBuiltinImports } from "./builtin_imports.ts";
 *
 * const bundle = 'var a=1;import{readFile as r,stat}from"node:fs";import o from"node:os";r(o);\n';
 * const hoisted = hoistBuiltinImports(bundle);
 * equal(hoisted.text.length, bundle.length);
 * equal(hoisted.text.includes("import"), false);
 * equal(
 *   hoisted.declarations,
 *   '{readFile:r,stat}=globalThis.process.getBuiltinModule("node:fs"),' +
 *     'o=globalThis.process.getBuiltinModule("node:os")',
 * );
 * // A bundle that imports a package too keeps every import.
 * equal(hoistBuiltinImports('import p from"pkg";' + bundle).declarations, "");
 * ```
 *
 * @param bundle The minified bundle.
 * @returns The bundle with each `node:` import blanked, and the bindings as `const`
 * declarators (`a=…,{b:c}=…`); the bundle unchanged and `""` when it has none, or has other
 * imports.
 */
export function hoistBuiltinImports(bundle: string): { text: string; declarations: string } {
  const declarations: string[] = [];
  const text = bundle.replace(
    STATEMENT,
    (statement, name: string | undefined, named: string | undefined, all, specifier) => {
      const module = `globalThis.process.getBuiltinModule(${JSON.stringify(specifier)})`;
      const properties = (named ?? "").split(",").map(_property).filter((p) => p !== "");
      if (name === undefined && properties.length === 0 && all === undefined) {
        declarations.push(`{}=${module}`); // `import "node:…"`: loaded for its effects
      }
      if (name !== undefined) declarations.push(`${name}=${module}`);
      if (properties.length > 0) declarations.push(`{${properties.join(",")}}=${module}`);
      if (all !== undefined) declarations.push(`${all}=${module}`);
      return " ".repeat(statement.length);
    },
  );
  if (declarations.length === 0 || ANY_STATEMENT.test(text)) {
    return { text: bundle, declarations: "" };
  }
  return { text, declarations: declarations.join(",") };
}
