/**
 * Each function's `config`, as the emulator applies it: the same timeout, memory and
 * environment as the SAM template gives it, so that a function behaves locally as deployed.
 * Reading a `config` means importing the module; that happens in a child process, so that the
 * modules' top-level code (an S3 client, a warning about a missing secret) runs apart from the
 * emulator, with its output dropped, and a module that fails to load only loses its settings
 * (invoking it reports the import error). A malformed `config` is an error, as in the build.
 *
 * @module
 */

import { type ApiRoute, apiRoutes, checkRouteSet } from "../../builder/functions/api_routes.ts";
import { functionsOf } from "../../builder/functions/function_config.ts";
import { listHandlerModules } from "../../builder/functions/handler_modules.ts";
import type { FunctionConfig } from "../../handler_config.ts";
import { fileUrl } from "../../runtime/file_url.ts";
import { installAwsLambda } from "../../node_compat/awslambda.ts";
import { importHandlerModule } from "../../runtime/module_format.ts";

/** What a function's `config` sets locally. */
export interface FunctionSettings {
  /** Seconds per invocation (`timeout`). */
  readonly timeoutSeconds?: number;
  /** `memorySize`. */
  readonly memoryMb?: number;
  /** `reservedConcurrency`: the most environments it may have at once. */
  readonly reservedConcurrency?: number;
  /**
   * The variables the template gives a value without the deployment's help: plain values and
   * the defaults of parameters that are not secret. Secrets come from `--env-file`.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Its API Gateway routes (`Api` and `HttpApi` events), if it declares some. */
  readonly routes?: readonly ApiRoute[];
}

/**
 * The local settings of one function's config.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { localSettings } from "./function_configs.ts";
 *
 * deepEqual(
 *   localSettings({
 *     timeout: 60,
 *     environment: { MODE: "fast", TOKEN: { secret: true, default: "x" }, BUCKET: { default: "b" } },
 *   }),
 *   { timeoutSeconds: 60, env: { MODE: "fast", BUCKET: "b" } },
 * );
 * ```
 *
 * @param config The function's config.
 * @returns Its timeout, memory, reserved concurrency, environment defaults and routes.
 */
export function localSettings(config: FunctionConfig): FunctionSettings {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.environment ?? {})) {
    if (typeof value === "string") env[key] = value;
    else if (value.secret !== true && value.default !== undefined) env[key] = value.default;
  }
  const routes = apiRoutes(config);
  return {
    ...(config.timeout === undefined ? {} : { timeoutSeconds: config.timeout }),
    ...(config.memorySize === undefined ? {} : { memoryMb: config.memorySize }),
    ...(config.reservedConcurrency === undefined
      ? {}
      : { reservedConcurrency: config.reservedConcurrency }),
    env,
    ...(routes.length === 0 ? {} : { routes }),
  };
}

/**
 * Drops the settings that a command-line flag gives every function instead.
 *
 * @example `--timeout 30` beats a function's own timeout
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { overriddenByFlags } from "./function_configs.ts";
 *
 * const settings = new Map([["slow.handler", { timeoutSeconds: 60, memoryMb: 512, env: {} }]]);
 * deepEqual(
 *   overriddenByFlags(settings, { timeout: true, memory: false }).get("slow.handler"),
 *   { memoryMb: 512, env: {} },
 * );
 * ```
 *
 * @param settings The functions' settings.
 * @param flags Which flags were given.
 * @returns The settings without what the flags set.
 */
export function overriddenByFlags(
  settings: ReadonlyMap<string, FunctionSettings>,
  flags: { readonly timeout: boolean; readonly memory: boolean },
): Map<string, FunctionSettings> {
  return new Map(
    [...settings].map(([handler, { timeoutSeconds, memoryMb, ...rest }]) => [handler, {
      ...(flags.timeout || timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(flags.memory || memoryMb === undefined ? {} : { memoryMb }),
      ...rest,
    }]),
  );
}

/**
 * Reads the settings of every configured export of the handler modules in a directory (the
 * modules the build deploys), in a child process (`deno run -A` of this module).
 *
 * @param directory The handlers directory, absolute.
 * @param deno The `deno` executable.
 * @returns `file.export` → settings, for the modules that load and declare a `config`.
 * @throws {Deno.errors.NotFound} If the directory does not exist.
 * @throws {TypeError} If a module's `config` is malformed (the message names each).
 * @throws {Error} If the child process gives no answer (the message has its last output).
 */
export async function readFunctionSettings(
  directory: string,
  deno: string = Deno.execPath(),
): Promise<Map<string, FunctionSettings>> {
  const modules = (await listHandlerModules(directory, undefined)).map((m) => m.fileName);
  if (modules.length === 0) return new Map();
  const output = await new Deno.Command(deno, {
    args: ["run", "-A", new URL(import.meta.url).pathname, directory, ...modules],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const line = decoder.decode(output.stdout).trim().split("\n").at(-1) ?? "";
  if (!line.startsWith(ANSWER)) {
    const said = decoder.decode(output.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `Cannot read the functions' config in ${directory}: its reader exited with code ` +
        `${output.code}${said === "" ? "" : `:\n${said}`}`,
    );
  }
  const { settings, errors } = JSON.parse(line.slice(ANSWER.length)) as _Answer;
  if (errors.length > 0) throw new TypeError(errors.join("\n"));
  return new Map(Object.entries(settings));
}

/** Marks the child's answer among whatever the modules print on import. */
const ANSWER = "lambdeno-function-settings ";

interface _Answer {
  readonly settings: Record<string, FunctionSettings>;
  readonly errors: readonly string[];
}

async function _main(directory: string, modules: readonly string[]): Promise<void> {
  // Modules written for Node.js call `awslambda.streamifyResponse` at their top level.
  installAwsLambda();
  const settings: Record<string, FunctionSettings> = {};
  const errors: string[] = [];
  for (const fileName of modules) {
    const file = fileName.replace(/\.[^.]+$/, "");
    let exports: Record<string, unknown>;
    try {
      exports = await importHandlerModule(fileUrl(`${directory}/${fileName}`));
    } catch {
      // The function reports its own import error when invoked; it only loses its settings.
      continue;
    }
    if (exports.config === undefined) continue;
    try {
      for (const spec of functionsOf(file, exports)) {
        settings[`${file}.${spec.exportName}`] = localSettings(spec.config);
      }
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  try {
    // Two functions on one route would leave the emulator to pick one: refuse, as the build does.
    checkRouteSet(
      Object.entries(settings).flatMap(([handler, { routes }]) =>
        (routes ?? []).map((route) => ({ name: handler, route }))
      ),
    );
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  console.log(ANSWER + JSON.stringify({ settings, errors } satisfies _Answer));
}

if (import.meta.main) {
  const [directory = ".", ...modules] = Deno.args;
  await _main(directory, modules);
  // A module's timers or open clients must not keep the answer waiting.
  Deno.exit(0);
}
