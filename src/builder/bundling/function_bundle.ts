/**
 * One pre-transpiled module per artifact: the runtime (`src/main.ts`), the chosen handler
 * modules and the npm code they import, bundled by `deno bundle`. A generated first module
 * registers each handler module behind a loader (`registerBundledHandlers`), so a handler's
 * top-level code still runs only when `_HANDLER` selects it, after the runtime has set up its
 * scope; `deno bundle` keeps such a literal dynamic import inside the one file.
 *
 * In a bundle, `import.meta.url` is the bundle's own URL in every module. The bundle therefore
 * sits in the handlers directory (`handlers/_bootstrap.js`), so that a top-level handler
 * module's `new URL("./public/", import.meta.url)` names the same place as from source.
 *
 * @module
 */

import type { HandlerModule } from "../functions/handler_modules.ts";
import { fileUrl } from "../../runtime/file_url.ts";
import { denoBundle, SHIPPED_BUNDLE_FLAGS } from "./bundle.ts";
import { shippedSourceMap } from "./source_map.ts";
import { withRequire } from "./require_shim.ts";
import { hoistBuiltinImports } from "./builtin_imports.ts";

/** Where the function bundle sits in an artifact, relative to its root. */
export const FUNCTION_BUNDLE_PATH = "handlers/_bootstrap.js";

/** Its source map, beside it (the bundle's last line names it). */
export const FUNCTION_SOURCE_MAP_PATH = `${FUNCTION_BUNDLE_PATH}.map`;

/** What {@linkcode bundleFunctions} needs. */
export interface FunctionBundleOptions {
  /** The project root, absolute; `deno bundle` runs there with its `deno.json`. */
  readonly root: string;
  /** The handler modules to include. */
  readonly modules: readonly HandlerModule[];
  /** A scratch directory for the generated entry modules, removed by the caller. */
  readonly workDir: string;
  /** Where to write the bundle, absolute. */
  readonly output: string;
  /** The `deno` to run. */
  readonly deno: string;
  /** npm packages to leave out, imported at run time from `node_modules/` (see `nodeModules`). */
  readonly external?: readonly string[];
}

/**
 * The generated module that registers the handler modules.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { registryModule } from "./function_bundle.ts";
 *
 * const text = registryModule("/app", [{ name: "echo", fileName: "echo.ts" }]);
 * ok(text.includes(`import("file:///app/handlers/echo.ts")`));
 * ```
 *
 * @param root The project root, absolute.
 * @param modules The handler modules.
 * @returns TypeScript source.
 */
export function registryModule(root: string, modules: readonly HandlerModule[]): string {
  const url = (path: string) => JSON.stringify(fileUrl(`${root}/${path}`).href);
  const entries = modules.map((m) =>
    `  ${JSON.stringify(m.name)}: {\n    fileName: ${JSON.stringify(m.fileName)},\n` +
    `    load: () => import(${url(`handlers/${m.fileName}`)}),\n  },`
  );
  return `import { registerBundledHandlers } from ${
    url("src/runtime/bundled_handlers.ts")
  };\n\nregisterBundledHandlers({\n${entries.join("\n")}\n});\n`;
}

/**
 * Bundles the runtime and the handler modules into one file, minified, with its source map
 * beside it (`<output>.map`), rewritten to ship (see `shippedSourceMap`).
 *
 * @param options The project, the handler modules, a scratch directory and the output path.
 * @returns Resolves once the bundle and its map are written.
 * @throws {Error} "Cannot bundle …" naming the handler modules, with `deno bundle`'s own error
 * output (which names the file and the import it could not resolve), when bundling fails.
 */
export async function bundleFunctions(options: FunctionBundleOptions): Promise<void> {
  const { root, modules, workDir } = options;
  await Deno.mkdir(`${workDir}/entry`, { recursive: true });
  await Deno.writeTextFile(`${workDir}/entry/registry.ts`, registryModule(root, modules));
  // ES modules evaluate in import order: the registry is there before main.ts runs.
  await Deno.writeTextFile(
    `${workDir}/entry/entry.ts`,
    `import "./registry.ts";\nimport ${JSON.stringify(fileUrl(`${root}/src/main.ts`).href)};\n`,
  );
  const args = [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    ...SHIPPED_BUNDLE_FLAGS,
    "--config",
    `${root}/deno.json`,
    "--output",
    options.output,
    // A package's subpaths (`pkg/sub`) stay outside too. `--external` takes several values: only
    // the `=` form keeps it from taking the entry module as one.
    ...(options.external ?? []).flatMap((name) => [`--external=${name}`, `--external=${name}/*`]),
    `${workDir}/entry/entry.ts`,
  ];
  const names = modules.map((m) => `handlers/${m.fileName}`).join(", ");
  await denoBundle(
    options.deno,
    root,
    args,
    (detail) => `Cannot bundle ${names} with the runtime:\n${detail}`,
  );
  const hoisted = hoistBuiltinImports(await Deno.readTextFile(options.output));
  const { text, prependedLines } = withRequire(hoisted.text, hoisted.declarations);
  await Deno.writeTextFile(options.output, text);
  const map = `${options.output}.map`;
  const bundleDir = options.output.slice(0, options.output.lastIndexOf("/"));
  const shippedDir = FUNCTION_BUNDLE_PATH.slice(0, FUNCTION_BUNDLE_PATH.lastIndexOf("/"));
  await Deno.writeTextFile(
    map,
    shippedSourceMap(await Deno.readTextFile(map), {
      bundleDir,
      root,
      shippedDir,
      prependedLines,
    }),
  );
}
