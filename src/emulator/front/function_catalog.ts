/**
 * Which functions the emulator serves: one per handler module in the handlers directory,
 * named after its file and running its `handler` export, plus any declared explicitly
 * (`--handler name=file.export`). Any other export is reachable as `file.export` — a name no
 * real Lambda function can have, since they cannot contain dots.
 *
 * @module
 */

import { HANDLER_EXTENSIONS } from "../../runtime/handler_loader.ts";

const MODULE = new RegExp(
  `^([A-Za-z0-9_][A-Za-z0-9_-]*)(?:${HANDLER_EXTENSIONS.join("|").replaceAll(".", "\\.")})$`,
);
const EXPORT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A function: its name and the `_HANDLER` it runs. */
export interface FunctionSpec {
  /** The name it is invoked by: the module's file name, or the one `--handler` gives. */
  readonly name: string;
  /** `file.export`, relative to the handlers directory. */
  readonly handler: string;
}

/**
 * Lists the handler modules in a directory as functions, sorted by name. Test files
 * (`*_test.ts`), declaration files and files starting with `_` or `.` are not functions.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { discoverFunctions } from "./function_catalog.ts";
 *
 * const specs = await discoverFunctions("handlers");
 * deepEqual(specs.find((spec) => spec.name === "echo"), { name: "echo", handler: "echo.handler" });
 * ```
 *
 * @param directory The handlers directory.
 * @returns One function per module.
 * @throws {Deno.errors.NotFound} If the directory does not exist.
 */
export async function discoverFunctions(directory: string): Promise<FunctionSpec[]> {
  const specs: FunctionSpec[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (!entry.isFile && !entry.isSymlink) continue;
    const match = MODULE.exec(entry.name);
    const file = match?.[1];
    if (file === undefined || file.endsWith("_test") || entry.name.endsWith(".d.ts")) continue;
    // `x.js` beside `x.cjs` is one function: the runtime loads the first it finds.
    if (specs.some((spec) => spec.name === file)) continue;
    specs.push({ name: file, handler: `${file}.handler` });
  }
  return specs.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Finds the function a name refers to: a declared one, a discovered one, or `file.export` for
 * another export of a discovered module.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { resolveFunction } from "./function_catalog.ts";
 *
 * const specs = [{ name: "echo", handler: "echo.handler" }];
 * deepEqual(resolveFunction("echo.stream", specs), { name: "echo.stream", handler: "echo.stream" });
 * equal(resolveFunction("nope", specs), undefined);
 * ```
 *
 * @param name The name in the URL.
 * @param specs The known functions.
 * @returns The function, or `undefined` when there is none by that name.
 */
export function resolveFunction(
  name: string,
  specs: readonly FunctionSpec[],
): FunctionSpec | undefined {
  const known = specs.find((spec) => spec.name === name);
  if (known !== undefined) return known;
  const dot = name.lastIndexOf(".");
  if (dot < 0) return undefined;
  const file = name.slice(0, dot);
  const exportName = name.slice(dot + 1);
  if (!EXPORT.test(exportName)) return undefined;
  const module = specs.find((spec) => spec.handler === `${file}.handler`);
  return module === undefined ? undefined : { name, handler: `${file}.${exportName}` };
}

/**
 * Parses `--handler name=file.export`.
 *
 * @param value The flag's value.
 * @returns The function it declares.
 * @throws {TypeError} If the value is not of that form.
 */
export function parseFunctionSpec(value: string): FunctionSpec {
  const match = /^([A-Za-z0-9_-]+)=([A-Za-z0-9_][A-Za-z0-9_/-]*)(?:\.([A-Za-z_$][A-Za-z0-9_$]*))?$/
    .exec(value);
  if (match === null) {
    throw new TypeError(
      `Cannot declare a function: "${value}" is not of the form name=file.export`,
    );
  }
  return { name: match[1]!, handler: `${match[2]}.${match[3] ?? "handler"}` };
}
