/**
 * Finding the handler modules and the functions they export. Reading a module's `config`
 * means importing it, so its top-level code runs at build time, as it will at cold start.
 *
 * @module
 */

import { functionsOf, type FunctionSpec } from "./function_config.ts";
import { fileUrl } from "../../runtime/file_url.ts";
import { HANDLER_EXTENSIONS } from "../../runtime/handler_loader.ts";
import { importHandlerModule } from "../../runtime/module_format.ts";
import { installAwsLambda } from "../../node_compat/awslambda.ts";

/** A handler module on disk. */
export interface HandlerModule {
  /** Its name for `_HANDLER`: the file name without extension. */
  readonly name: string;
  /** Its file name inside the handlers directory. */
  readonly fileName: string;
}

/**
 * Lists the handler modules: files with a script extension at the top of the directory,
 * skipping tests (`*_test.*`, `*.test.*`) and private modules (`_*`).
 *
 * @param dir The handlers directory.
 * @param only The module names to keep, or `undefined` for all.
 * @returns The modules, sorted by name.
 * @throws {Deno.errors.NotFound} If the directory does not exist.
 * @throws {TypeError} If `only` names a module that is not there, or two files have one name
 * (`x.js` and `x.cjs`).
 */
export async function listHandlerModules(
  dir: string,
  only: readonly string[] | undefined,
): Promise<HandlerModule[]> {
  const found: HandlerModule[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || entry.name.startsWith("_")) continue;
    const extension = entry.name.slice(entry.name.lastIndexOf("."));
    if (!HANDLER_EXTENSIONS.includes(extension)) continue;
    const name = entry.name.slice(0, -extension.length);
    if (/[._]test$/.test(name) || name.endsWith(".d")) continue;
    const twin = found.find((m) => m.name === name);
    if (twin !== undefined) {
      const [first, second] = [twin.fileName, entry.name].sort((a, b) =>
        HANDLER_EXTENSIONS.indexOf(a.slice(name.length)) -
        HANDLER_EXTENSIONS.indexOf(b.slice(name.length))
      );
      throw new TypeError(
        `Cannot tell which module handlers/${name} is: ${first} and ${second} are both in ` +
          `${dir}, and _HANDLER=${name}.handler would load ${first}; remove or rename one`,
      );
    }
    found.push({ name, fileName: entry.name });
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (only === undefined) return found;
  const missing = only.filter((name) => !found.some((m) => m.name === name));
  if (missing.length > 0) {
    throw new TypeError(
      `Cannot find handler module ${missing.join(", ")} in ${dir} ` +
        `(there: ${found.map((m) => m.name).join(", ") || "none"})`,
    );
  }
  return found.filter((m) => only.includes(m.name));
}

/**
 * Imports each module and collects its functions (see {@linkcode functionsOf}), with
 * `globalThis.awslambda` in place as Lambda's Node.js runtime provides it.
 *
 * @param dir The handlers directory, absolute.
 * @param modules The modules to read.
 * @param warn Told of each module deployed without a `config` export, which gets no Function
 * URL, environment, policies or events: likely an oversight.
 * @returns Every function, module by module.
 * @throws {TypeError} If a module cannot be imported or its `config` is malformed.
 */
export async function readFunctions(
  dir: string,
  modules: readonly HandlerModule[],
  warn: (message: string) => void = () => {},
): Promise<FunctionSpec[]> {
  // Modules written for Node.js call `awslambda.streamifyResponse` at their top level.
  installAwsLambda();
  const functions: FunctionSpec[] = [];
  for (const module of modules) {
    const url = fileUrl(`${dir.endsWith("/") ? dir : `${dir}/`}${module.fileName}`);
    let exports: Record<string, unknown>;
    try {
      exports = await importHandlerModule(url);
    } catch (error) {
      throw new TypeError(`Cannot import handlers/${module.fileName}: ${String(error)}`, {
        cause: error,
      });
    }
    const found = functionsOf(module.name, exports);
    if (exports.config === undefined && found.length > 0) {
      warn(
        `handlers/${module.fileName} has no \`config\` export: its handler deploys with the ` +
          "default memory and timeout and no Function URL, environment, policies or events " +
          "(export `config` to say how it deploys)",
      );
    }
    functions.push(...found);
  }
  return functions;
}
