/**
 * Resolves `_HANDLER` (`file.export`, or `file` for its `handler` export) to a function in the
 * handlers directory, loading only that module. Every way it can fail becomes a
 * {@linkcode RuntimeError} with the `Runtime.*` type Lambda users know and a message that names
 * the file, the export and the original error.
 *
 * @module
 */

import type { BundledHandlers, BundledModule } from "./bundled_handlers.ts";
import type { Handler } from "./context.ts";
import { RuntimeError } from "./errors.ts";
import { importHandlerModule } from "./module_format.ts";

/**
 * The file extensions a handler module may have, in the order they are looked for (the build and
 * the emulator find handler modules by the same list): TypeScript first, then as Lambda's Node.js
 * runtime tries them (`.js`, `.mjs`, `.cjs`). A `.js` file is CommonJS or an ES module by Node's
 * rules (see `importHandlerModule`).
 */
export const HANDLER_EXTENSIONS: readonly string[] = [
  ".ts",
  ".js",
  ".mts",
  ".mjs",
  ".cjs",
  ".tsx",
  ".jsx",
];
const FILE = /^[A-Za-z0-9_][A-Za-z0-9_-]*(\/[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;
const EXPORT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A parsed `_HANDLER` value. */
export interface HandlerName {
  /** The module, relative to the handlers directory, without extension. */
  readonly file: string;
  /** The export to call. */
  readonly exportName: string;
}

/**
 * Parses `_HANDLER`.
 *
 * @param spec `file.export` or `file`.
 * @returns The module and the export.
 * @throws {RuntimeError} `Runtime.MalformedHandlerName` if `spec` is unset or malformed.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseHandlerName } from "./handler_loader.ts";
 *
 * deepEqual(parseHandlerName("echo.stream"), { file: "echo", exportName: "stream" });
 * deepEqual(parseHandlerName("hello"), { file: "hello", exportName: "handler" });
 * ```
 */
export function parseHandlerName(spec: string | undefined): HandlerName {
  if (spec === undefined || spec.trim() === "") {
    throw new RuntimeError(
      "Runtime.MalformedHandlerName",
      "Cannot load the handler: _HANDLER is not set; set it to file.export, e.g. echo.handler",
    );
  }
  const dot = spec.lastIndexOf(".");
  const file = dot < 0 ? spec : spec.slice(0, dot);
  const exportName = dot < 0 ? "handler" : spec.slice(dot + 1);
  if (!FILE.test(file) || !EXPORT.test(exportName)) {
    throw new RuntimeError(
      "Runtime.MalformedHandlerName",
      `Cannot load the handler: _HANDLER "${spec}" is not of the form file.export ` +
        `(a module in handlers/ and the name of one of its exports)`,
    );
  }
  return { file, exportName };
}

/**
 * Loads the handler `_HANDLER` names from `directory`.
 *
 * @param spec `file.export` or `file`.
 * @param directory The handlers directory, as a URL ending in `/`.
 * @param bundled Handler modules bundled with the runtime, taken before `directory`.
 * @returns The handler function.
 * @throws {RuntimeError} `Runtime.MalformedHandlerName`, `Runtime.ImportModuleError` (no such
 * module, or it threw while loading), `Runtime.UserCodeSyntaxError`, or
 * `Runtime.HandlerNotFound` (no such export, or not a function).
 */
export async function loadHandler(
  spec: string | undefined,
  directory: URL,
  bundled?: BundledHandlers,
): Promise<Handler> {
  const { file, exportName } = parseHandlerName(spec);
  const { module, shown } = await _importModule(file, directory, bundled?.[file]);
  const fn = module[exportName];
  if (fn === undefined) {
    const names = Object.keys(module).filter((k) => typeof module[k] === "function");
    throw new RuntimeError(
      "Runtime.HandlerNotFound",
      `Cannot find the handler: ${shown} does not export "${exportName}" ` +
        `(its function exports: ${names.length > 0 ? names.join(", ") : "none"})`,
    );
  }
  if (typeof fn !== "function") {
    throw new RuntimeError(
      "Runtime.HandlerNotFound",
      `Cannot use the handler: ${shown} exports "${exportName}" as a ${typeof fn}, not a function`,
    );
  }
  return fn as Handler;
}

/**
 * Imports the first of `file.ts`, `file.js`, … that exists. The import itself is the test: only
 * when it fails is the file system asked why, so a cold start costs no extra `stat`.
 */
async function _importModule(
  file: string,
  directory: URL,
  bundled: BundledModule | undefined,
): Promise<{ module: Record<string, unknown>; shown: string }> {
  for (const extension of bundled === undefined ? HANDLER_EXTENSIONS : [""]) {
    const url = new URL(`${file}${extension}`, directory);
    const shown = bundled === undefined
      ? `handlers/${file}${extension}`
      : `handlers/${bundled.fileName}`;
    try {
      return {
        module: bundled === undefined ? await importHandlerModule(url) : await bundled.load(),
        shown,
      };
    } catch (error) {
      if (bundled === undefined && await _missing(url, shown)) continue;
      // A parse error in TypeScript reaches us as a TypeError whose message starts "SyntaxError:".
      const syntax = error instanceof SyntaxError ||
        (error instanceof Error && error.message.startsWith("SyntaxError:"));
      const detail = error instanceof Error
        ? (syntax && !(error instanceof SyntaxError)
          ? error.message
          : `${error.name}: ${error.message}`)
        : String(error);
      throw new RuntimeError(
        syntax ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError",
        `Cannot load module ${shown}: ${_plain(detail)}`,
        { cause: error },
      );
    }
  }
  throw new RuntimeError(
    "Runtime.ImportModuleError",
    `Cannot find module handlers/${file} (looked for ${file}${HANDLER_EXTENSIONS.join(", ")} ` +
      `in ${decodeURIComponent(directory.pathname)})`,
  );
}

/** Drops terminal colour codes, which Deno may put in its errors, from a message for logs. */
function _plain(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

async function _missing(url: URL, shown: string): Promise<boolean> {
  try {
    return !(await Deno.stat(url)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw new RuntimeError("Runtime.ImportModuleError", `Cannot read ${shown}: ${String(error)}`, {
      cause: error,
    });
  }
}
