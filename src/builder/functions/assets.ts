/**
 * The data files a function reads at run time, as its module's `config` declares them
 * (`assets`), collected for the artifact. Only what is declared ships: a handler's code is in
 * the bundle, so nothing else of the handlers directory is needed.
 *
 * @module
 */

import { posix } from "node:path";
import type { FunctionSpec } from "./function_config.ts";
import { collectFiles, insideOrThrow } from "../archives/files.ts";
import type { HandlerModule } from "./handler_modules.ts";
import type { ZipInput } from "../archives/zip.ts";

/**
 * The declared assets of the given modules, as paths under `handlers/` (deduplicated, sorted).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { declaredAssets } from "./assets.ts";
 *
 * deepEqual(
 *   declaredAssets([{ name: "site", fileName: "site.ts" }], [
 *     { file: "site", exportName: "handler", config: { assets: ["./public/"] } },
 *   ]),
 *   [{ module: "handlers/site.ts", path: "handlers/public/" }],
 * );
 * ```
 *
 * @param modules The modules in the artifact.
 * @param functions Their functions, with their configs.
 * @returns Each asset with the module that declared it.
 * @throws {TypeError} If an asset path is absolute or leaves the handlers directory.
 */
export function declaredAssets(
  modules: readonly HandlerModule[],
  functions: readonly FunctionSpec[],
): { module: string; path: string }[] {
  const found = new Map<string, string>();
  for (const module of modules) {
    const dir = module.fileName.includes("/")
      ? module.fileName.slice(0, module.fileName.lastIndexOf("/") + 1)
      : "";
    for (const fn of functions) {
      if (fn.file !== module.name) continue;
      for (const asset of fn.config.assets ?? []) {
        // A path, not a URL: spaces, `#`, `?` and `%` are part of the file's name.
        const resolved = posix.join("handlers", dir, asset);
        if (
          asset.startsWith("/") || !resolved.startsWith("handlers/") || resolved === "handlers/"
        ) {
          throw new TypeError(
            `Cannot ship asset "${asset}" of handlers/${module.fileName}: an asset is a path ` +
              "relative to its module, inside the handlers directory",
          );
        }
        if (!found.has(resolved)) found.set(resolved, `handlers/${module.fileName}`);
      }
    }
  }
  return [...found].map(([path, module]) => ({ module, path }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads the declared assets for the zip.
 *
 * @param root The project root, absolute.
 * @param assets The assets (see {@linkcode declaredAssets}).
 * @returns Their files, at the same paths as in the project.
 * @throws {Error} "Cannot ship …" naming the file and the module that declared it, if an asset
 * is missing, or naming the entry, if it is or holds a symbolic link that leaves the project.
 */
export async function assetFiles(
  root: string,
  assets: readonly { module: string; path: string }[],
): Promise<ZipInput[]> {
  const files: ZipInput[] = [];
  const project = await Deno.realPath(root);
  for (const { module, path } of assets) {
    const full = `${root}/${path.replace(/\/$/, "")}`;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(full);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Error(
        `Cannot ship ${path}: ${module} declares it as an asset, but there is no such file`,
      );
    }
    // The asset itself, or a directory on the way to it, may be a link.
    await insideOrThrow(full, project, path.replace(/\/$/, ""));
    if (info.isDirectory) {
      files.push(
        ...await collectFiles(full, path.replace(/\/$/, ""), { within: project }),
      );
    } else {files.push({
        path: path.replace(/\/$/, ""),
        data: await Deno.readFile(full),
        mode: 0o644,
      });}
  }
  return files;
}
