/**
 * The build, step by step: find the functions, make sure the base binary is there (before
 * spending any time), type-check them, bundle the runtime with each group of handlers (groups
 * side by side), collect their declared assets, build each architecture's artifacts (the
 * `deno` layer once, each function's code zip), read each zip back, write the SAM template, and
 * report sizes. Takes all its configuration as arguments.
 *
 * @module
 */

import type { BuildOptions } from "./args.ts";
import { artifactGroups } from "../functions/artifact_groups.ts";
import { assetFiles, declaredAssets } from "../functions/assets.ts";
import { compiledArtifact } from "../layouts/compiled_layout.ts";
import { denoBinary } from "../layouts/deno_package.ts";
import { DENO_PATH, denoRunArtifact } from "../layouts/deno_run_layout.ts";
import { locateDenort } from "../layouts/denort.ts";
import { artifactPermissions, type Permissions } from "../layouts/permissions.ts";
import { checkDenortBinary } from "../layouts/denort_check.ts";
import { exists } from "../archives/files.ts";
import { listHandlerModules, readFunctions } from "../functions/handler_modules.ts";
import { compiledHeapMemory, v8MemoryFlags } from "../layouts/memory_flags.ts";
import { declaredNodeModules, importMap, npmSpecifiers } from "../bundling/node_modules.ts";
import {
  bundleGroup,
  type GroupBundle,
  type GroupPackages,
  groupSeed,
  mapParallel,
} from "./group_bundles.ts";
import { type ArtifactRow, checkUnzippedSize, sizeWarnings } from "./report.ts";
import { renderTemplate, samTemplate } from "../template/template.ts";
import { BASE_TEMPLATE, mergeTemplates, parseTemplate } from "../template/template_base.ts";
import type { Arch } from "../layouts/targets.ts";
import { typeCheck } from "./type_check.ts";
import { CODE_CACHE_MIN_BYTES } from "../bundling/cache_seed.ts";
import type { ZipInput } from "../archives/zip.ts";
import { writeZipFile } from "./zip_output.ts";

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
  /** The architecture of a Linux machine running the build, which can run that `deno`. */
  readonly hostArch?: Arch;
  /** How many bundles to make at once; default 2. */
  readonly parallel?: number;
}

/** What a build produced. */
export interface BuildResult {
  /** Every file written, with sizes. */
  readonly artifacts: readonly ArtifactRow[];
  /** The SAM template's path. */
  readonly template: string;
  /** The architecture the template deploys. */
  readonly templateArch: Arch;
  /** The architectures built. */
  readonly arches: readonly Arch[];
  /** How the functions are packaged, as the template deploys them. */
  readonly packaging: "layer" | "self-contained" | "compiled";
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
 * @throws {Error} "Cannot …" when a step fails: a type error, a handler that cannot be bundled,
 * a declared asset that is missing or leaves the project, an artifact over Lambda's 250 MB.
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
  const layered = options.layout === "deno-run" && options.layer;
  const generated = samTemplate({
    functions,
    arch: templateArch,
    codeUri: (fn) => `${templateArch}/${groupOf.get(fn.file)}/function.zip`,
    ...(layered ? { layerUri: `${templateArch}/layer.zip` } : {}),
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
  const packages = new Map<string, GroupPackages>();
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
  if (options.check) {
    log(`type-checking ${modules.length} module(s) …`);
    await typeCheck(context.deno, root, modules);
  }

  const outDir = options.outDir.startsWith("/") ? options.outDir : `${root}/${options.outDir}`;
  const parent = outDir.slice(0, outDir.lastIndexOf("/")) || "/";
  await Deno.mkdir(parent, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: parent, prefix: ".lambdeno-build-" });
  const workDir = await Deno.makeTempDir({ prefix: "lambdeno-build-" });
  const parallel = context.parallel ?? 2;
  try {
    const bundles = await mapParallel(groups, parallel, (group) =>
      bundleGroup(group, {
        root,
        deno: context.deno,
        packages: packages.get(group.name)!,
        workDir: `${workDir}/${group.name}`,
        log,
      }));
    const artifacts: ArtifactRow[] = [];
    // The analysis alone is the same for every architecture: made once per group.
    const analyses = new Map<GroupBundle, Promise<ZipInput[]>>();
    for (const arch of options.arches) {
      const shownArch = _shown(root, `${outDir}/${arch}`);
      if (options.layout === "compiled") {
        for (const bundle of bundles) {
          const groupDir = `${staging}/${arch}/${bundle.group.name}`;
          await Deno.mkdir(groupDir, { recursive: true });
          const memoryMb = compiledHeapMemory(
            functions.filter((f) => groupOf.get(f.file) === bundle.group.name)
              .map((f) => f.config.memorySize),
            options.memorySize,
          );
          log(`${arch}/${bundle.group.name}: compiling (V8 sized for ${memoryMb} MB) …`);
          const files = await compiledArtifact({
            stage: bundle.stage,
            arch,
            assets: assets.get(bundle.group.name)!,
            nodeModules: bundle.nodeModules,
            permissions: permissions.get(bundle.group.name)!,
            output: `${groupDir}/bootstrap`,
            deno: context.deno,
            workDir: bundle.workDir,
            v8Flags: v8MemoryFlags(memoryMb),
            ...(context.denortBin === undefined ? {} : { env: { DENORT_BIN: context.denortBin } }),
          });
          const shown = `${shownArch}/${bundle.group.name}`;
          checkUnzippedSize(`${shown}/function.zip`, files);
          artifacts.push({ arch, path: `${shown}/bootstrap`, size: files[0]!.data.length });
          artifacts.push(await writeZipFile(files, `${groupDir}/function.zip`, arch, shown));
        }
        continue;
      }
      const deno = await denoBinary({
        arch,
        version: context.denoVersion,
        registry: context.npmRegistry,
        cacheDir: context.cacheDir,
      });
      // V8's code cache is made by the deno that ships, so only where it runs.
      let shippedDeno: string | undefined;
      if (context.hostArch === arch) {
        shippedDeno = `${workDir}/deno-${arch}`;
        await Deno.writeFile(shippedDeno, deno, { mode: 0o755 });
      }
      const seedOf = (bundle: GroupBundle) => {
        const cached = shippedDeno !== undefined && bundle.data.length >= CODE_CACHE_MIN_BYTES;
        const seed = (label: string) =>
          groupSeed(bundle, {
            deno: context.deno,
            shippedDeno: cached ? shippedDeno : undefined,
            functions,
            memorySize: options.memorySize,
            label,
          });
        if (cached) return seed(arch);
        if (!analyses.has(bundle)) analyses.set(bundle, seed("analysis"));
        return analyses.get(bundle)!;
      };
      log(`${arch}: caching Deno's analysis${shippedDeno ? " and V8's code" : ""} …`);
      const seeds = await mapParallel(bundles, parallel, seedOf);
      const layer: ZipInput[] = [{ path: DENO_PATH, data: deno, mode: 0o755 }];
      for (const [i, bundle] of bundles.entries()) {
        const groupDir = `${staging}/${arch}/${bundle.group.name}`;
        await Deno.mkdir(groupDir, { recursive: true });
        const files = denoRunArtifact({
          bundle: bundle.data,
          sourceMap: bundle.sourceMap,
          assets: assets.get(bundle.group.name)!,
          seed: seeds[i]!,
          linkPath: bundle.linkPath,
          permissions: permissions.get(bundle.group.name)!,
          deno,
          layer: layered,
          nodeModules: bundle.nodeModules,
        }).function;
        // The code, unpacked beside the zip, runs in place (deno task dev --bootstrap …).
        for (const file of files) {
          if (file.path === DENO_PATH) continue;
          const path = `${groupDir}/${file.path}`;
          await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
          await Deno.writeFile(path, file.data, { mode: file.mode });
        }
        const shown = `${shownArch}/${bundle.group.name}`;
        checkUnzippedSize(`${shown}/function.zip`, [...files, ...layered ? layer : []]);
        artifacts.push({ arch, path: `${shown}/bootstrap`, size: files[0]!.data.length });
        artifacts.push(await writeZipFile(files, `${groupDir}/function.zip`, arch, shown));
      }
      if (layered) {
        log(`${arch}: zipping the deno layer …`);
        artifacts.push(await writeZipFile(layer, `${staging}/${arch}/layer.zip`, arch, shownArch));
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
      arches: options.arches,
      packaging: options.layout === "compiled" ? "compiled" : layered ? "layer" : "self-contained",
      functions: functions.map((f) => `${f.file}.${f.exportName}`),
      warnings: [...configWarnings, ...sizeWarnings(artifacts)],
    };
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(_ignoreNotFound);
    await Deno.remove(staging, { recursive: true }).catch(_ignoreNotFound);
  }
}

function _shown(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function _ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
