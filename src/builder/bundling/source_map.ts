/**
 * The bundle's source map, made to ship. `deno bundle` writes a map whose sources are paths
 * from the scratch directory it bundled in to the build machine's files (the project, Deno's
 * npm cache), with every source's text inside. The artifact needs neither: Deno maps a stack
 * frame of the minified bundle back to a file and line with the mappings alone, and reads the
 * map only when it formats a stack. Rewritten, each source is named from where the bundle sits
 * in the artifact (`handlers/`), so a frame reads `/var/task/handlers/orders.ts:12:7`, and
 * the same project gives the same map on any machine, whatever its scratch directory.
 *
 * @module
 */

import { posix } from "node:path";

/** What {@linkcode shippedSourceMap} needs to name each source. */
export interface SourceMapPlaces {
  /** The directory the bundle was written to, absolute: the map's sources are relative to it. */
  readonly bundleDir: string;
  /** The project root, absolute. */
  readonly root: string;
  /** Where the bundle sits in the artifact, relative to its root: `handlers`. */
  readonly shippedDir: string;
  /** Lines put before the bundle's first after it was made (see `withRequire`). */
  readonly prependedLines?: number;
}

/**
 * Rewrites a source map for the artifact: sources named relative to where the bundle ships
 * (project files as in the project, npm packages as `node_modules/<name>@<version>/…`, files
 * the build generated as `_generated/<name>`), and no source text.
 *
 * @example A handler, the runtime and an npm package
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { shippedSourceMap } from "./source_map.ts";
 *
 * const map = JSON.stringify({
 *   version: 3,
 *   sources: [
 *     "../../../../../app/handlers/orders.ts",
 *     "../../../../../app/src/main.ts",
 *     "../../../../../root/.cache/deno/npm/registry.npmjs.org/zod/4.1.0/index.js",
 *     "../../entry/registry.ts",
 *   ],
 *   sourcesContent: ["…", "…", "…", "…"],
 *   mappings: "AAAA",
 * });
 * const shipped = JSON.parse(
 *   shippedSourceMap(map, { bundleDir: "/tmp/b/g/stage/handlers", root: "/app", shippedDir: "handlers" }),
 * );
 * deepEqual(shipped.sources, [
 *   "orders.ts",
 *   "../src/main.ts",
 *   "../node_modules/zod@4.1.0/index.js",
 *   "../_generated/registry.ts",
 * ]);
 * deepEqual(shipped.sourcesContent, undefined);
 * ```
 *
 * @param text The map `deno bundle` wrote.
 * @param places Where the bundle was written, the project, and where the bundle ships.
 * @returns The map to ship, as JSON.
 * @throws {SyntaxError} If `text` is not JSON.
 * @throws {TypeError} If it is not a source map (no `sources` array of strings).
 */
export function shippedSourceMap(text: string, places: SourceMapPlaces): string {
  const map: unknown = JSON.parse(text);
  if (
    typeof map !== "object" || map === null || !("sources" in map) ||
    !Array.isArray(map.sources) || !map.sources.every((s) => typeof s === "string")
  ) {
    throw new TypeError("Cannot ship the source map: it has no list of sources");
  }
  const { sourcesContent: _dropped, ...rest } = map as Record<string, unknown>;
  const shippedRoot = posix.relative(places.shippedDir, ".") || ".";
  const sources = (map.sources as string[]).map((source) => {
    const path = posix.resolve(places.bundleDir, source);
    if (path.startsWith(`${places.root}/`)) {
      return posix.relative(places.shippedDir, path.slice(places.root.length + 1));
    }
    const npm = /\/npm\/[^/]+\/((?:@[^/]+\/)?[^/]+)\/([^/]+)\/(.+)$/.exec(path);
    if (npm !== null) return `${shippedRoot}/node_modules/${npm[1]}@${npm[2]}/${npm[3]}`;
    return `${shippedRoot}/_generated/${posix.basename(path)}`;
  });
  const mappings = typeof rest.mappings === "string" ? rest.mappings : "";
  return JSON.stringify({
    ...rest,
    sources,
    mappings: ";".repeat(places.prependedLines ?? 0) + mappings,
  });
}
