/**
 * Where the emulator's functions come from, and what to watch for changes to them: the project's
 * handler modules (each one's `config` read in a child process), or a built artifact. A built
 * artifact serves what `deno task build` says it does in the template it writes beside the
 * artifacts: `dist/<arch>/<name>/bootstrap` runs the functions whose `CodeUri` is
 * `<arch>/<name>/function.zip` in `dist/template.yaml`, each with the memory, timeout, reserved
 * concurrency and environment the template gives it (and its `Globals`), as `sam local` reads
 * them; what the project's `handlers/` holds beside them plays no part.
 *
 * @module
 */

import type { FunctionSpec } from "./front/function_catalog.ts";
import {
  type FunctionSettings,
  overriddenByFlags,
  readFunctionSettings,
} from "./front/function_configs.ts";
import { parseTemplate } from "../builder/template/template_base.ts";

/** What the functions are read from, and what to watch for changes to them. */
export interface FunctionSource {
  /** Directories or files to watch, recursively. */
  readonly paths: readonly string[];
  /**
   * Reads the functions (again).
   *
   * @returns Their settings, and the functions themselves when the source names them (an
   *   artifact's); otherwise the handler modules found are the functions.
   * @throws {Error} (rejects) If a `config` or the template is malformed or missing.
   */
  read(): Promise<{
    readonly settings: ReadonlyMap<string, FunctionSettings>;
    readonly functions?: readonly FunctionSpec[];
  }>;
}

/** Which settings a command-line flag gives every function instead. */
export interface SettingFlags {
  /** `--timeout` was given. */
  readonly timeout: boolean;
  /** `--memory` was given. */
  readonly memory: boolean;
}

/**
 * The project's handler modules, with their configs' settings.
 *
 * @param handlersDir The handlers directory, absolute.
 * @param paths What to watch: the handlers and the runtime's source, say.
 * @param flags Which settings the command line overrides.
 * @returns The source.
 */
export function handlerModules(
  handlersDir: string,
  paths: readonly string[],
  flags: SettingFlags,
): FunctionSource {
  return {
    paths,
    async read() {
      try {
        return { settings: overriddenByFlags(await readFunctionSettings(handlersDir), flags) };
      } catch (error) {
        // Not a usage mistake: the message alone says what to fix.
        if (!(error instanceof TypeError)) throw error;
        throw new Error(`Cannot run the functions of ${handlersDir}: ${error.message}`, {
          cause: error,
        });
      }
    },
  };
}

/**
 * The functions of a built artifact, read from the build's template; the build's whole output
 * directory is watched, since a build replaces it.
 *
 * @param bootstrap The artifact's `bootstrap`, absolute.
 * @param flags Which settings the command line overrides.
 * @returns The source.
 */
export function builtArtifact(bootstrap: string, flags: SettingFlags): FunctionSource {
  return {
    paths: [bootstrap.split("/").slice(0, -3).join("/") || "/"],
    async read() {
      const { functions, settings } = await readArtifactFunctions(bootstrap);
      return { functions, settings: overriddenByFlags(settings, flags) };
    },
  };
}

/** The functions of one artifact. */
export interface ArtifactFunctions {
  /** The template they were read from. */
  readonly template: string;
  /** The functions, in the template's order. */
  readonly functions: readonly FunctionSpec[];
  /** Each one's settings, by `file.export`. */
  readonly settings: ReadonlyMap<string, FunctionSettings>;
}

type _Fields = Readonly<Record<string, unknown>>;

/**
 * Reads the functions a built bootstrap serves from the build's template.
 *
 * @example The functions of `dist/x86_64/web/bootstrap`
 * ```ts ignore
 * const { functions, settings } = await readArtifactFunctions("dist/x86_64/web/bootstrap");
 * ```
 *
 * @param bootstrap The artifact's `bootstrap`, as `deno task build` wrote it.
 * @returns The functions whose code is that artifact, and their settings.
 * @throws {Error} (rejects) If the bootstrap or the template is missing, or the template has no
 *   function for that artifact.
 */
export async function readArtifactFunctions(bootstrap: string): Promise<ArtifactFunctions> {
  const parts = bootstrap.split("/");
  const name = parts.at(-2) ?? "";
  const template = [...parts.slice(0, -3), "template.yaml"].join("/") || "template.yaml";
  const where = `Cannot serve the artifact ${bootstrap}`;
  if (!(await _isFile(bootstrap))) {
    throw new Error(`${where}: it does not exist; build it with deno task build`);
  }
  let text: string;
  try {
    text = await Deno.readTextFile(template);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Error(
      `${where}: the build's template, ${template}, is missing; run the bootstrap from where ` +
        "deno task build wrote it (dist/<arch>/<name>/bootstrap), or name its functions with " +
        "--handler name=file.export",
    );
  }
  const parsed = parseTemplate(text, template);
  const resources = _fields(parsed.Resources);
  const globals = _fields(_fields(parsed.Globals).Function);
  const parameters = _fields(parsed.Parameters);
  const codeUri = new RegExp(`^[^/]+/${RegExp.escape(name)}/function\\.zip$`);
  const functions: FunctionSpec[] = [];
  const settings = new Map<string, FunctionSettings>();
  const others = new Set<string>();
  for (const resource of Object.values(resources)) {
    const fields = _fields(resource);
    const properties = _fields(fields.Properties);
    const handler = properties.Handler;
    if (fields.Type !== "AWS::Serverless::Function" || typeof handler !== "string") continue;
    const uri = properties.CodeUri;
    if (typeof uri !== "string" || !codeUri.test(uri)) {
      if (typeof uri === "string") others.add(uri.split("/").at(-2) ?? uri);
      continue;
    }
    // Named as the emulator names a module's functions: `file` for its `handler`.
    const file = handler.endsWith(".handler") ? handler.slice(0, -".handler".length) : handler;
    functions.push({ name: file, handler });
    settings.set(handler, _settings({ ...globals, ...properties }, globals, parameters));
  }
  if (functions.length === 0) {
    throw new Error(
      `${where}: ${template} names no function whose code is ${name}` +
        (others.size === 0 ? "" : `; it has ${[...others].sort().join(", ")}`),
    );
  }
  return { template, functions, settings };
}

function _settings(properties: _Fields, globals: _Fields, parameters: _Fields): FunctionSettings {
  const env: Record<string, string> = {};
  const variables = {
    ..._fields(_fields(globals.Environment).Variables),
    ..._fields(_fields(properties.Environment).Variables),
  };
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      env[key] = String(value);
      continue;
    }
    // A parameter's default, as the deployment would get it unless given one; never a secret.
    const ref = _fields(value).Ref;
    const parameter = typeof ref === "string" ? _fields(parameters[ref]) : {};
    if (parameter.NoEcho !== true && typeof parameter.Default === "string") {
      env[key] = parameter.Default;
    }
  }
  const { MemorySize, Timeout, ReservedConcurrentExecutions } = properties;
  return {
    ...(typeof Timeout === "number" ? { timeoutSeconds: Timeout } : {}),
    ...(typeof MemorySize === "number" ? { memoryMb: MemorySize } : {}),
    ...(typeof ReservedConcurrentExecutions === "number"
      ? { reservedConcurrency: ReservedConcurrentExecutions }
      : {}),
    env,
  };
}

function _fields(value: unknown): _Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as _Fields
    : {};
}

async function _isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
