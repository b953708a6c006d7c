/**
 * The code of each artifact, made once for every architecture: the group's bundle and its
 * source map, the npm packages that ship beside it, and Deno's caches of it (see
 * `cacheSeed`). Groups are bundled side by side, as many at once as the machine has cores.
 *
 * @module
 */

import type { ArtifactGroup } from "../functions/artifact_groups.ts";
import type { FunctionSpec } from "../functions/function_config.ts";
import { cacheSeed, CODE_CACHE_MIN_BYTES, seedLinkPath } from "../bundling/cache_seed.ts";
import {
  bundleFunctions,
  FUNCTION_BUNDLE_PATH,
  FUNCTION_SOURCE_MAP_PATH,
} from "../bundling/function_bundle.ts";
import type { NodeModule } from "../bundling/node_modules.ts";
import { stageNodeModules } from "../bundling/node_modules_install.ts";
import type { ZipInput } from "../archives/zip.ts";

/** A group's packages left out of the bundle: as declared, and their `npm:` specifiers. */
export interface GroupPackages {
  readonly declared: readonly NodeModule[];
  readonly specifiers: Readonly<Record<string, string>>;
}

/** One group's code, staged as it ships. */
export interface GroupBundle {
  /** The group. */
  readonly group: ArtifactGroup;
  /** The directory the bundle is staged in, with the packages and assets beside it. */
  readonly stage: string;
  /** The bundle. */
  readonly data: Uint8Array<ArrayBuffer>;
  /** Its source map. */
  readonly sourceMap: Uint8Array<ArrayBuffer>;
  /** The packages' files under `node_modules/`. */
  readonly nodeModules: readonly ZipInput[];
  /** The fixed path the bootstrap runs the bundle through (see `seedLinkPath`). */
  readonly linkPath: string;
  /** A scratch directory of the group's own. */
  readonly workDir: string;
}

/** What {@linkcode bundleGroup} needs. */
export interface BundleGroupOptions {
  /** The project root, absolute. */
  readonly root: string;
  /** The `deno` running the build. */
  readonly deno: string;
  /** The group's packages. */
  readonly packages: GroupPackages;
  /** A scratch directory of the group's own, removed by the caller. */
  readonly workDir: string;
  /** Receives progress lines. */
  readonly log: (line: string) => void;
}

/**
 * Bundles one group and stages it with its packages.
 *
 * @param group The group.
 * @param options The project, the `deno`, the packages and a scratch directory.
 * @returns The staged code.
 * @throws {Error} "Cannot bundle …" or "Cannot ship …" when a step fails.
 */
export async function bundleGroup(
  group: ArtifactGroup,
  options: BundleGroupOptions,
): Promise<GroupBundle> {
  const { workDir } = options;
  const stage = `${workDir}/stage`;
  await Deno.mkdir(`${stage}/handlers`, { recursive: true });
  const external = options.packages.declared.map((p) => p.name);
  options.log(`${group.name}: bundling ${group.modules.map((m) => m.fileName).join(", ")} …`);
  await bundleFunctions({
    root: options.root,
    modules: group.modules,
    workDir,
    output: `${stage}/${FUNCTION_BUNDLE_PATH}`,
    deno: options.deno,
    external,
  });
  const data = await Deno.readFile(`${stage}/${FUNCTION_BUNDLE_PATH}`);
  const sourceMap = await Deno.readFile(`${stage}/${FUNCTION_SOURCE_MAP_PATH}`);
  const nodeModules = external.length === 0 ? [] : await stageNodeModules({
    bundle: new TextDecoder().decode(data),
    declared: options.packages.declared,
    specifiers: options.packages.specifiers,
    root: options.root,
    stage,
    workDir,
    deno: options.deno,
    log: (line) => options.log(`${group.name}: ${line}`),
  });
  return {
    group,
    stage,
    data,
    sourceMap,
    nodeModules,
    linkPath: await seedLinkPath(data),
    workDir,
  };
}

/** What {@linkcode groupSeed} needs. */
export interface GroupSeedOptions {
  /** The `deno` running the build. */
  readonly deno: string;
  /** The `deno` that ships, when this machine can run it: then V8's code cache is made too. */
  readonly shippedDeno: string | undefined;
  /** The functions of the build, with their configs. */
  readonly functions: readonly FunctionSpec[];
  /** The `MemorySize` of functions that set none. */
  readonly memorySize: number;
  /** Names the scratch directory, so that seeds for several architectures do not meet. */
  readonly label: string;
}

/**
 * Deno's caches of a group's bundle: its analysis, and V8's code cache when the shipped `deno`
 * runs here and the bundle is large enough to gain from one (`CODE_CACHE_MIN_BYTES`). For the
 * code cache, each module's first function is started up to its first
 * `/next`, with its `config`'s plain environment values and parameter defaults, so its init
 * runs as at a cold start (as it does when the build reads its `config`).
 *
 * @param bundle The staged group.
 * @param options The `deno`s, the functions and a label for the scratch directory.
 * @returns The files under `deno-dir/`.
 * @throws {Error} "Cannot analyse …" or "Cannot cache …" if `deno` made no cache of the bundle.
 */
export async function groupSeed(
  bundle: GroupBundle,
  options: GroupSeedOptions,
): Promise<ZipInput[]> {
  const workDir = `${bundle.workDir}/seed-${options.label}`;
  await Deno.mkdir(workDir, { recursive: true });
  const first = bundle.group.modules.flatMap((m) => {
    const fn = options.functions.find((f) => f.file === m.name);
    return fn === undefined ? [] : [fn];
  });
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    LAMBDA_TASK_ROOT: bundle.stage,
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
  };
  for (const fn of first) {
    for (const [name, value] of Object.entries(fn.config.environment ?? {})) {
      if (typeof value === "string") env[name] = value;
      else if (value.default !== undefined && !value.secret) env[name] = value.default;
    }
  }
  const memory = Math.min(...first.map((f) => f.config.memorySize ?? options.memorySize));
  return await cacheSeed({
    deno: options.deno,
    stage: bundle.stage,
    linkPath: bundle.linkPath,
    workDir,
    nodeModules: bundle.nodeModules.length > 0,
    ...(options.shippedDeno === undefined || first.length === 0 ||
        bundle.data.length < CODE_CACHE_MIN_BYTES
      ? {}
      : {
        codeCache: {
          deno: options.shippedDeno,
          handlers: first.map((f) => `${f.file}.${f.exportName}`),
          env: {
            ...env,
            AWS_LAMBDA_FUNCTION_NAME: bundle.group.name,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
          },
        },
      }),
  });
}

/**
 * Maps over items with at most `limit` calls running at once, in order.
 *
 * @param items The items.
 * @param limit How many at once, at least 1.
 * @param fn The work for one item.
 * @returns The results, in the items' order.
 * @throws Whatever the first failing call throws, once the running ones have settled.
 */
export async function mapParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        next = items.length; // no new work once one has failed
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
  return results;
}
