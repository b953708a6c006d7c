/**
 * The build, step by step: find the functions, make sure the base binary is there (before
 * spending any time), bundle the runtime with the chosen handlers, collect their declared
 * assets, build each architecture's artifact, zip it, read the zip back, write the SAM
 * template, and report sizes. Takes all its configuration as arguments.
 *
 * @module
 */

import type { BuildOptions } from "./args.ts";
import { analysisSeed, seedLinkPath } from "../bundling/analysis_seed.ts";
import { type ArtifactGroup, artifactGroups } from "../functions/artifact_groups.ts";
import { assetFiles, declaredAssets } from "../functions/assets.ts";
import { compileBootstrap } from "../layouts/compiled_layout.ts";
import { denoBinary } from "../layouts/deno_package.ts";
import { DENO_PATH, denoRunArtifact } from "../layouts/deno_run_layout.ts";
import { locateDenort } from "../layouts/denort.ts";
import { artifactPermissions, type Permissions } from "../layouts/permissions.ts";
import { checkDenortBinary } from "../layouts/denort_check.ts";
import { exists } from "../archives/files.ts";
import { bundleFunctions, FUNCTION_BUNDLE_PATH } from "../bundling/function_bundle.ts";
import { listHandlerModules, readFunctions } from "../functions/handler_modules.ts";
import { compiledHeapMemory, v8MemoryFlags } from "../layouts/memory_flags.ts";
import {
  declaredNodeModules,
  importMap,
  type NodeModule,
  npmSpecifiers,
  stageNodeModules,
} from "../bundling/node_modules.ts";
import { type ArtifactRow, checkUnzippedSize, sizeWarnings } from "./report.ts";
import { renderTemplate, samTemplate } from "../template/template.ts";
import { BASE_TEMPLATE, mergeTemplates, parseTemplate } from "../template/template_base.ts";
import type { Arch } from "../layouts/targets.ts";
import { readZip, writeZip, type ZipInput } from "../archives/zip.ts";

/** The build's surroundings: what the CLI read from the environment, and where to report. */
export interface BuildContext {
  /** The project root, absolute. */
  readonly root: string;
  /** The running `deno` (`Deno.execPath()`). */
  readonly deno: string;
  /** Its version (`Deno.version.deno`). */
  readonly denoVersion: string;
  /** Deno's cache directory. */
  readonly denoDir: string;
  /** `DENORT_BIN`, if set. */
  readonly denortBin: string | undefined;
  /** The npm registry to fetch `deno` from. */
  readonly npmRegistry: string;
  /** Where downloaded `deno` tarballs are kept between builds. */
  readonly cacheDir: string;
  /** Tells, quickly, whether a URL can be downloaded. */
  readonly reachable: (url: string) => Promise<boolean>;
  /** Receives progress lines. */
  readonly log: (line: string) => void;
}

/** What a build produced. */
export interface BuildResult {
  /** Every file written, with sizes. */
  readonly artifacts: readonly ArtifactRow[];
  /** The SAM template's path. */
  readonly template: string;
  /** The architecture the template deploys. */
  readonly templateArch: Arch;
  /** `file.export` of every function in the template. */
  readonly functions: readonly string[];
  /** Size warnings (see {@linkcode sizeWarnings}). */
  readonly warnings: readonly string[];
}

/**
 * Runs a build. Everything is written under a temporary directory beside the output directory
 * and moved into place only once every artifact is complete, so a failed build leaves the
 * previous output as it was.
 *
 * @param options The parsed command line.
 * @param context The root, the tools and the environment's settings.
 * @returns The artifacts, the template and any warnings.
 * @throws {DenortMissingError} For the compiled layout when denort cannot be had, or
 * `DENORT_BIN` is not denort for the target, before any output is written.
 * @throws {Error} "Cannot …" when a step fails: a handler that cannot be bundled, a declared
 * asset that is missing, an artifact over Lambda's 250 MB.
 */
export async function build(options: BuildOptions, context: BuildContext): Promise<BuildResult> {
  const { root, log } = context;
  if (options.layout === "compiled") {
    const sources = await locateDenort({
      arches: options.arches,
      version: context.denoVersion,
      denortBin: context.denortBin,
      denoDir: context.denoDir,
      exists,
      reachable: context.reachable,
    });
    for (const [i, source] of sources.entries()) {
      const where = source.kind === "download" ? `download ${source.url}` : source.path;
      log(`denort for ${options.arches[i]}: ${source.kind} (${where})`);
      if (source.kind === "env") {
        checkDenortBinary(source.path, await Deno.readFile(source.path), options.arches[i]!);
      }
    }
  }
  const handlersDir = `${root}/handlers`;
  const modules = await listHandlerModules(handlersDir, options.handlers);
  const configWarnings: string[] = [];
  const functions = await readFunctions(handlersDir, modules, (w) => configWarnings.push(w));
  log(`functions: ${functions.map((f) => `${f.file}.${f.exportName}`).join(", ") || "none"}`);
  const groups = artifactGroups(modules, options.groups);
  const groupOf = new Map(groups.flatMap((g) => g.modules.map((m) => [m.name, g.name])));
  const templateArch: Arch = options.arches.includes("arm64") ? "arm64" : options.arches[0]!;
  const generated = samTemplate({
    functions,
    arch: templateArch,
    codeUri: (fn) => `${templateArch}/${groupOf.get(fn.file)}/function.zip`,
    ...(options.layer ? { layerUri: `${templateArch}/layer.zip` } : {}),
    memorySize: options.memorySize,
    timeout: options.timeout,
  });
  const basePath = `${root}/${BASE_TEMPLATE}`;
  const template = await exists(basePath)
    ? mergeTemplates(
      generated,
      parseTemplate(await Deno.readTextFile(basePath)),
      (w) => configWarnings.push(w),
    )
    : generated;
  // Every declared asset and package is checked before any work is done.
  const assets = new Map<string, ZipInput[]>();
  const packages = new Map<string, _Packages>();
  const permissions = new Map<string, Permissions>();
  const imports = await importMap(root);
  for (const group of groups) {
    const members = functions.filter((f) => groupOf.get(f.file) === group.name);
    permissions.set(
      group.name,
      artifactPermissions(
        group.name,
        members.map((f) => ({ name: `${f.file}.${f.exportName}`, ...f.config })),
      ),
    );
    assets.set(group.name, await assetFiles(root, declaredAssets(group.modules, functions)));
    const declared = declaredNodeModules(group.modules, functions);
    packages.set(group.name, { declared, specifiers: npmSpecifiers(imports, declared) });
  }

  const outDir = options.outDir.startsWith("/") ? options.outDir : `${root}/${options.outDir}`;
  const parent = outDir.slice(0, outDir.lastIndexOf("/")) || "/";
  await Deno.mkdir(parent, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: parent, prefix: ".lambdeno-build-" });
  const workDir = await Deno.makeTempDir({ prefix: "lambdeno-build-" });
  try {
    const bundles = new Map<string, _Bundle>();
    for (const group of groups) {
      log(
        `${group.name}: bundling src/main.ts with ${
          group.modules.map((m) => m.fileName).join(", ")
        } …`,
      );
      bundles.set(
        group.name,
        await _bundle(
          group,
          packages.get(group.name)!,
          options,
          context,
          `${workDir}/${group.name}`,
        ),
      );
    }
    const artifacts: ArtifactRow[] = [];
    for (const arch of options.arches) {
      const deno = options.layout === "deno-run"
        ? await denoBinary({
          arch,
          version: context.denoVersion,
          registry: context.npmRegistry,
          cacheDir: context.cacheDir,
        })
        : undefined;
      const shownArch = _shown(root, `${outDir}/${arch}`);
      const layer: ZipInput[] | undefined = options.layer && deno !== undefined
        ? [{ path: DENO_PATH, data: deno, mode: 0o755 }]
        : undefined;
      for (const group of groups) {
        const groupDir = `${staging}/${arch}/${group.name}`;
        await Deno.mkdir(groupDir, { recursive: true });
        const bundle = bundles.get(group.name)!;
        const groupAssets = assets.get(group.name)!;
        let files: ZipInput[];
        if (deno === undefined) {
          const groupFunctions = functions.filter((f) => groupOf.get(f.file) === group.name);
          const memoryMb = compiledHeapMemory(
            groupFunctions.map((f) => f.config.memorySize),
            options.memorySize,
          );
          for (const asset of groupAssets) {
            const path = `${bundle.stage}/${asset.path}`;
            await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
            await Deno.writeFile(path, asset.data);
          }
          log(`${arch}/${group.name}: compiling (V8 sized for ${memoryMb} MB) …`);
          const binary = await compileBootstrap({
            root: bundle.stage,
            entrypoint: FUNCTION_BUNDLE_PATH,
            arch,
            includes: groupAssets.map((a) => a.path),
            permissions: permissions.get(group.name)!,
            check: options.check,
            output: `${groupDir}/bootstrap`,
            deno: context.deno,
            workDir: `${workDir}/${group.name}`,
            v8Flags: v8MemoryFlags(memoryMb),
            ...(bundle.nodeModules.length === 0 ? {} : { nodeModules: true }),
            ...(context.denortBin === undefined ? {} : { env: { DENORT_BIN: context.denortBin } }),
          });
          files = [
            { path: "bootstrap", data: binary, mode: 0o755 },
            ...groupAssets,
            ...bundle.nodeModules,
          ];
        } else {
          files = denoRunArtifact({
            bundle: bundle.data,
            assets: groupAssets,
            ...(bundle.seed === undefined ? {} : bundle.seed),
            permissions: permissions.get(group.name)!,
            deno,
            layer: options.layer,
            nodeModules: bundle.nodeModules,
          }).function;
          await Deno.writeFile(`${groupDir}/bootstrap`, files[0]!.data, { mode: 0o755 });
        }
        const shown = `${shownArch}/${group.name}`;
        checkUnzippedSize(`${shown}/function.zip`, [...files, ...layer ?? []]);
        artifacts.push({ arch, path: `${shown}/bootstrap`, size: files[0]!.data.length });
        artifacts.push(await _writeZip(files, `${groupDir}/function.zip`, arch, shown));
      }
      if (layer !== undefined) {
        artifacts.push(await _writeZip(layer, `${staging}/${arch}/layer.zip`, arch, shownArch));
      }
    }
    await Deno.writeTextFile(`${staging}/template.yaml`, renderTemplate(template));
    // Every artifact is complete: only now does the output directory change.
    await Deno.mkdir(outDir, { recursive: true });
    for (const arch of options.arches) {
      await Deno.remove(`${outDir}/${arch}`, { recursive: true }).catch(_ignoreNotFound);
      await Deno.rename(`${staging}/${arch}`, `${outDir}/${arch}`);
    }
    await Deno.rename(`${staging}/template.yaml`, `${outDir}/template.yaml`);
    return {
      artifacts,
      template: _shown(root, `${outDir}/template.yaml`),
      templateArch,
      functions: functions.map((f) => `${f.file}.${f.exportName}`),
      warnings: [...configWarnings, ...sizeWarnings(artifacts)],
    };
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(_ignoreNotFound);
    await Deno.remove(staging, { recursive: true }).catch(_ignoreNotFound);
  }
}

/** A group's packages left out of the bundle: as declared, and their `npm:` specifiers. */
interface _Packages {
  readonly declared: readonly NodeModule[];
  readonly specifiers: Readonly<Record<string, string>>;
}

/**
 * One group's bundle, where it is staged (with the packages left out of it), the packages'
 * files, and Deno's analysis of it (deno-run only).
 */
interface _Bundle {
  readonly stage: string;
  readonly data: Uint8Array;
  readonly nodeModules: readonly ZipInput[];
  readonly seed: { readonly seed: ZipInput[]; readonly linkPath: string } | undefined;
}

async function _bundle(
  group: ArtifactGroup,
  packages: _Packages,
  options: BuildOptions,
  context: BuildContext,
  workDir: string,
): Promise<_Bundle> {
  const stage = `${workDir}/stage`;
  await Deno.mkdir(`${stage}/handlers`, { recursive: true });
  const external = packages.declared.map((p) => p.name);
  await bundleFunctions({
    root: context.root,
    modules: group.modules,
    workDir,
    output: `${stage}/${FUNCTION_BUNDLE_PATH}`,
    deno: context.deno,
    external,
  });
  const data = await Deno.readFile(`${stage}/${FUNCTION_BUNDLE_PATH}`);
  const nodeModules = external.length === 0 ? [] : await stageNodeModules({
    bundle: new TextDecoder().decode(data),
    declared: packages.declared,
    specifiers: packages.specifiers,
    root: context.root,
    stage,
    workDir,
    deno: context.deno,
    log: (line) => context.log(`${group.name}: ${line}`),
  });
  if (options.layout !== "deno-run") return { stage, data, nodeModules, seed: undefined };
  const linkPath = await seedLinkPath(data);
  const seed = await analysisSeed({
    deno: context.deno,
    stage,
    linkPath,
    workDir,
    nodeModules: nodeModules.length > 0,
  });
  return { stage, data, nodeModules, seed: { seed, linkPath } };
}

/** Writes a zip, reads it back, and gives its row for the size table. */
async function _writeZip(
  files: readonly ZipInput[],
  path: string,
  arch: Arch,
  shownDir: string,
): Promise<ArtifactRow> {
  const zip = writeZip(files);
  await Deno.writeFile(path, zip);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return {
    arch,
    path: `${shownDir}/${name}`,
    size: zip.length,
    unzipped: _checkZip(zip, files, path),
  };
}

/** Reads the zip back and checks every entry's mode; returns the unzipped size. */
function _checkZip(zip: Uint8Array, files: readonly ZipInput[], path: string): number {
  const wanted = new Map(files.map((f) => [f.path, f.mode]));
  let unzipped = 0;
  for (const entry of readZip(zip)) {
    if (entry.mode !== wanted.get(entry.path)) {
      throw new Error(
        `Cannot trust ${path}: ${entry.path} came back with mode ${entry.mode?.toString(8)}, ` +
          `not ${wanted.get(entry.path)?.toString(8)}`,
      );
    }
    unzipped += entry.size;
  }
  return unzipped;
}

function _shown(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function _ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
