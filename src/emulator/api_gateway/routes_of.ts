/**
 * The routes the emulator serves, from the functions' settings: each function's `Api` and
 * `HttpApi` routes, under the name the emulator knows the function by.
 *
 * @module
 */

import type { FunctionSettings } from "../front/function_configs.ts";
import type { FunctionRoute } from "./route_table.ts";

export type { FunctionRoute } from "./route_table.ts";

/**
 * Every function's routes.
 *
 * @example A module's `handler` export is the function named after the module
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { routesOf } from "./routes_of.ts";
 *
 * const route = { api: "http", event: "E", method: "GET", path: "/a", payloadFormatVersion: "2.0" } as const;
 * const settings = new Map([
 *   ["users.handler", { env: {}, routes: [route] }],
 *   ["users.admin", { env: {}, routes: [{ ...route, path: "/b" }] }],
 * ]);
 * deepEqual(routesOf(settings).map((r) => r.function), ["users", "users.admin"]);
 * ```
 *
 * @param settings The functions' settings by `file.export`.
 * @returns Their routes, function by function.
 */
export function routesOf(
  settings: ReadonlyMap<string, FunctionSettings> | undefined,
): FunctionRoute[] {
  return [...settings ?? []].flatMap(([handler, { routes }]) => {
    const name = handler.endsWith(".handler") ? handler.slice(0, -".handler".length) : handler;
    return (routes ?? []).map((route) => ({ function: name, route }));
  });
}
