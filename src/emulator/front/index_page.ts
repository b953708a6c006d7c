/**
 * The emulator's `/`: the functions it serves, with their URLs, as text for a person or as JSON
 * for a tool (`Accept: application/json`).
 *
 * @module
 */

import type { FunctionSpec } from "./function_catalog.ts";

/**
 * Lists the functions.
 *
 * @param request The request (its `Accept` header chooses the format).
 * @param baseUrl The emulator's base URL, ending in `/`.
 * @param specs The functions served.
 * @param defaultFunction The name `function` stands for.
 * @returns The listing.
 */
export function indexPage(
  request: Request,
  baseUrl: string,
  specs: readonly FunctionSpec[],
  defaultFunction: string | undefined,
): Response {
  const list = specs.map((spec) => ({
    name: spec.name,
    handler: spec.handler,
    url: `${baseUrl}${spec.name}/`,
    invoke: `${baseUrl}2015-03-31/functions/${spec.name}/invocations`,
  }));
  if (request.headers.get("accept")?.includes("application/json")) {
    return Response.json({ functions: list, default: defaultFunction ?? null });
  }
  const lines = list.map((fn) => `${fn.name.padEnd(16)} ${fn.url}  (${fn.handler})`);
  return new Response(`Lambdeno emulator: ${list.length} functions\n\n${lines.join("\n")}\n`, {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
