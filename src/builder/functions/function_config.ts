/**
 * Reading and validating a handler module's `config` export (its shape, `HandlerConfig`, is
 * public and documented in `src/handler_config.ts`): which exports are functions, and each
 * one's settings, checked before anything is built.
 *
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { functionsOf, type HandlerConfig } from "./function_config.ts";
 *
 * export const handler = (): string => "hi";
 * export const config = {
 *   handler: { url: "buffered" },
 * } satisfies HandlerConfig;
 *
 * deepEqual(functionsOf("hello", { handler, config }), [
 *   { file: "hello", exportName: "handler", config: { url: "buffered" } },
 * ]);
 * ```
 *
 * @module
 */

import type { FunctionConfig } from "../../handler_config.ts";
import { checkEnvironment, checkEvents, checkPolicies } from "./config_fields.ts";
import { checkPermissions } from "../layouts/permissions.ts";

export type { FunctionConfig, HandlerConfig, UrlMode } from "../../handler_config.ts";

/** One function to deploy. */
export interface FunctionSpec {
  /** The handler module, relative to `handlers/`, without extension: `echo`. */
  readonly file: string;
  /** The export: `handler`. */
  readonly exportName: string;
  /** Its settings. */
  readonly config: FunctionConfig;
}

/**
 * The functions a handler module offers, from its exports.
 *
 * @example A module with a config
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { functionsOf } from "./function_config.ts";
 *
 * const exports = { handler: () => 1, hello: () => 2, config: { handler: { url: "buffered" } } };
 * deepEqual(functionsOf("hello", exports), [
 *   { file: "hello", exportName: "handler", config: { url: "buffered" } },
 * ]);
 * ```
 *
 * @param file The module's name under `handlers/`, without extension.
 * @param exports The module's exports.
 * @returns Its functions: those `config` names, else `handler` if exported, else none.
 * @throws {TypeError} If `config` is malformed or names an export that is not a function.
 */
export function functionsOf(
  file: string,
  exports: Readonly<Record<string, unknown>>,
): FunctionSpec[] {
  const config = exports.config;
  if (config === undefined) {
    return typeof exports.handler === "function"
      ? [{ file, exportName: "handler", config: {} }]
      : [];
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError(
      `Cannot read handlers/${file}: its config export must map export names to settings`,
    );
  }
  return Object.entries(config).map(([exportName, settings]) => {
    if (typeof exports[exportName] !== "function") {
      throw new TypeError(
        `Cannot deploy ${file}.${exportName}: config names it, but it is not an exported function`,
      );
    }
    return { file, exportName, config: _settings(`${file}.${exportName}`, settings) };
  });
}

function _settings(name: string, value: unknown): FunctionConfig {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`Cannot deploy ${name}: its config must be an object, got ${value}`);
  }
  const fields: Record<string, unknown> = { ...value };
  const known = new Set([
    "url",
    "memorySize",
    "timeout",
    "reservedConcurrency",
    "description",
    "environment",
    "policies",
    "events",
    "assets",
    "nodeModules",
    "permissions",
  ]);
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) {
      throw new TypeError(
        `Cannot deploy ${name}: unknown config key "${key}" (known: ${[...known].join(", ")})`,
      );
    }
  }
  const {
    url,
    memorySize,
    timeout,
    reservedConcurrency,
    description,
    environment,
    policies,
    events,
    assets,
    nodeModules,
    permissions,
  } = fields;
  if (url !== undefined && url !== "buffered" && url !== "stream") {
    throw new TypeError(`Cannot deploy ${name}: url must be "buffered" or "stream", got ${url}`);
  }
  _integer(name, "memorySize", memorySize, 128, 10240);
  _integer(name, "timeout", timeout, 1, 900);
  if (
    reservedConcurrency !== undefined &&
    (typeof reservedConcurrency !== "number" || !Number.isSafeInteger(reservedConcurrency) ||
      reservedConcurrency < 0)
  ) {
    throw new TypeError(
      `Cannot deploy ${name}: reservedConcurrency must be a whole number of environments, 0 or ` +
        `more, got ${reservedConcurrency}`,
    );
  }
  if (description !== undefined && typeof description !== "string") {
    throw new TypeError(`Cannot deploy ${name}: description must be a string`);
  }
  if (
    assets !== undefined &&
    (!Array.isArray(assets) || !assets.every((a) => typeof a === "string" && a !== ""))
  ) {
    throw new TypeError(`Cannot deploy ${name}: assets must be a list of relative paths`);
  }
  if (
    nodeModules !== undefined &&
    (!Array.isArray(nodeModules) ||
      !nodeModules.every((n) => typeof n === "string" && _PACKAGE_NAME.test(n)))
  ) {
    throw new TypeError(`Cannot deploy ${name}: nodeModules must be a list of npm package names`);
  }
  return {
    ...(url === undefined ? {} : { url }),
    ...(typeof memorySize === "number" ? { memorySize } : {}),
    ...(typeof timeout === "number" ? { timeout } : {}),
    ...(typeof reservedConcurrency === "number" ? { reservedConcurrency } : {}),
    ...(typeof description === "string" ? { description } : {}),
    ...(environment === undefined ? {} : { environment: checkEnvironment(name, environment) }),
    ...(policies === undefined ? {} : { policies: checkPolicies(name, policies) }),
    ...(events === undefined ? {} : { events: checkEvents(name, events) }),
    ...(Array.isArray(assets) ? { assets: assets.map(String) } : {}),
    ...(Array.isArray(nodeModules) ? { nodeModules: nodeModules.map(String) } : {}),
    ...(permissions === undefined ? {} : { permissions: checkPermissions(name, permissions) }),
  };
}

/** An npm package name: `name` or `@scope/name`. */
const _PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

function _integer(name: string, key: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(
      `Cannot deploy ${name}: ${key} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
}
