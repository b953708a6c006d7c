/**
 * `require()` for the CommonJS code inside a minified bundle. esbuild turns a CommonJS module's
 * `require("node:crypto")` into a call to a helper that uses a global `require` if there is one
 * and otherwise throws `Dynamic require of "node:crypto" is not supported`. `deno bundle` gives
 * its unminified output a `require` made by `createRequire`, but does not recognise the helper
 * once minified, so the AWS SDK and most npm code would fail at init. This puts the same
 * `require` in: the helper is replaced by it, padded to the same length so that every column of
 * the line, and so the source map, stays right, and it is defined on a line of its own before
 * the bundle's first, from `process.getBuiltinModule`, not an `import` (see `builtin_imports.ts`).
 *
 * @module
 */

/** The name the bundle's `require` gets. */
const REQUIRE = "__lambdenoRequire";

/** esbuild's minified helper, whatever its parameters were renamed to. */
const HELPER =
  /\((\w+)=>typeof require<"u"\?require:typeof Proxy<"u"\?new Proxy\(\1,\{get:\((\w+),(\w+)\)=>\(typeof require<"u"\?require:\2\)\[\3\]\}\):\1\)\(function\((\w+)\)\{if\(typeof require<"u"\)return require\.apply\(this,arguments\);throw (?:new )?Error\('Dynamic require of "'\+\4\+'" is not supported'\)\}\)/g;

/**
 * Gives a minified bundle a working `require` where its CommonJS code needs one, and the
 * bindings of its hoisted `node:` imports (see `hoistBuiltinImports`), declared on one line put
 * before the bundle's first.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { withRequire } from "./require_shim.ts";
 *
 * const helper = `(e=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(e,{get:(t,r)=>` +
 *   `(typeof require<"u"?require:t)[r]}):e)(function(e){if(typeof require<"u")return ` +
 *   `require.apply(this,arguments);throw Error('Dynamic require of "'+e+'" is not supported')})`;
 * const bundle = `var a=1,q=${helper};var c=q("node:os");\n`;
 * const shimmed = withRequire(bundle);
 * equal(shimmed.prependedLines, 1);
 * const [first, second] = shimmed.text.split("\n");
 * equal(first!.startsWith("const __lambdenoRequire=globalThis.process.getBuiltinModule("), true);
 * equal(second!.length, bundle.split("\n")[0]!.length);
 * equal(second!.indexOf('var c=q("node:os")'), bundle.indexOf('var c=q("node:os")'));
 * equal(withRequire("var a=1;\n").prependedLines, 0);
 * equal(withRequire("var a=o;\n", "o=1").text, "const o=1;\nvar a=o;\n");
 * ```
 *
 * @param bundle The minified bundle.
 * @param declarations `const` declarators to put first (`a=…,b=…`), or `""`.
 * @returns The bundle, and how many lines were put before its first (for its source map).
 * @throws {Error} "Cannot bundle …" if the bundle refuses dynamic `require`s in a form this
 * does not know.
 */
export function withRequire(
  bundle: string,
  declarations = "",
): { text: string; prependedLines: number } {
  let found = false;
  const replaced = bundle.replace(HELPER, (helper) => {
    found = true;
    return REQUIRE.padEnd(helper.length, " ");
  });
  if (!found && bundle.includes("is not supported')")) {
    throw new Error(
      "Cannot bundle: the bundle refuses dynamic require() in a form the build does not know " +
        "(a newer deno bundle?), so its CommonJS code could not load node: modules",
    );
  }
  const declarators = [
    ...(declarations === "" ? [] : [declarations]),
    ...(found
      ? [
        `${REQUIRE}=globalThis.process.getBuiltinModule("node:module").createRequire(import.meta.url)`,
      ]
      : []),
  ];
  if (declarators.length === 0) return { text: bundle, prependedLines: 0 };
  return { text: `const ${declarators.join(",")};\n${replaced}`, prependedLines: 1 };
}
