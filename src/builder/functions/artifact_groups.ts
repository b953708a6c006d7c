/**
 * Which handler modules go into which artifact: one artifact per module, unless the command
 * line groups some (`--group api=hello,site`). An artifact carries only its modules, so a
 * function that imports nothing from npm does not carry another's AWS SDK.
 *
 * @module
 */

import type { HandlerModule } from "./handler_modules.ts";

/** One artifact: its name (its directory under `dist/<arch>/`) and its modules. */
export interface ArtifactGroup {
  /** The directory name: the module's name, or the group's. */
  readonly name: string;
  /** The handler modules it carries. */
  readonly modules: readonly HandlerModule[];
}

/**
 * Groups the modules into artifacts.
 *
 * @example Two modules together, one alone
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { artifactGroups } from "./artifact_groups.ts";
 *
 * const m = (name: string) => ({ name, fileName: `${name}.ts` });
 * deepEqual(
 *   artifactGroups([m("echo"), m("hello"), m("site")], { web: ["hello", "site"] })
 *     .map((g) => [g.name, g.modules.map((x) => x.name)]),
 *   [["echo", ["echo"]], ["web", ["hello", "site"]]],
 * );
 * ```
 *
 * @param modules The modules being built.
 * @param groups Groups by name (see `BuildOptions.groups`).
 * @returns The artifacts, sorted by name.
 * @throws {TypeError} If a group names a module that is not being built, or an artifact name
 * would be used twice.
 */
export function artifactGroups(
  modules: readonly HandlerModule[],
  groups: Readonly<Record<string, readonly string[]>>,
): ArtifactGroup[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const grouped = new Set<string>();
  const result: ArtifactGroup[] = [];
  for (const [name, members] of Object.entries(groups)) {
    const found = members.map((member) => {
      const module = byName.get(member);
      if (module === undefined) {
        throw new TypeError(
          `Cannot group ${member} into ${name}: it is not a handler module being built ` +
            `(being built: ${[...byName.keys()].join(", ") || "none"})`,
        );
      }
      grouped.add(member);
      return module;
    });
    result.push({ name, modules: found });
  }
  for (const module of modules) {
    if (!grouped.has(module.name)) result.push({ name: module.name, modules: [module] });
  }
  const names = new Set<string>();
  for (const group of result) {
    if (names.has(group.name) || group.name === "layer.zip") {
      throw new TypeError(`Cannot name two artifacts ${group.name}: rename the group`);
    }
    names.add(group.name);
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
