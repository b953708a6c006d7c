/**
 * The build, step by step: find the functions, make sure the base binary is there (before
 * spending any time), bundle the runtime with the chosen handlers, collect their declared
 * assets, build each architecture's artifact, zip it, read the zip back, write the SAM
 * template, and report sizes. Takes all its configuration as arguments.
 *
 * @module
 */

import type { BuildOptions } from "./args.ts";
import { analysisSeed, seedLinkPath } from "./analysis_seed.ts";
import { assetFiles, declaredAssets } from "./assets.ts";
import { compileBootstrap } from "./compiled_layout.ts";
import { denoBinary } from "./deno_package.ts";
import { denoRunArtifact } from "./deno_run_layout.ts";
import { locateDenort } from "./denort.ts";
import { checkDenortBinary } from "./denort_check.ts";
import { exists } from "./files.ts";
import { bundleFunctions, FUNCTION_BUNDLE_PATH } from "./function_bundle.ts";
import { listHandlerModules, readFunctions } from "./handler_modules.ts";
import { v8MemoryFlags } from "./memory_flags.ts";
import { type ArtifactRow, checkUnzippedSize, sizeWarnings } from "./report.ts";
import { renderTemplate, samTemplate } from "./template.ts";
import type { Arch } from "./targets.ts";
import { readZip, writeZip, type ZipInput } from "./zip.ts";

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
  const functions = await readFunctions(handlersDir, modules);
  log(`functions: ${functions.map((f) => `${f.file}.${f.exportName}`).join(", ") || "none"}`);
  const templateArch: Arch = options.arches.includes("arm64") ? "arm64" : options.arches[0]!;
  const template = samTemplate({
    functions,
    arch: templateArch,
    codeUri: `${templateArch}/function.zip`,
    ...(options.layer ? { layerUri: `${templateArch}/layer.zip` } : {}),
    memorySize: options.memorySize,
    timeout: options.timeout,
  });
  const assets = await assetFiles(root, declaredAssets(modules, functions));
  // The compiled binary's heap is fixed at build time: sized for the smallest function in it.
  const memoryMb = Math.min(...functions.map((f) => f.config.memorySize ?? options.memorySize));

  const outDir = options.outDir.startsWith("/") ? options.outDir : `${root}/${options.outDir}`;
  const parent = outDir.slice(0, outDir.lastIndexOf("/")) || "/";
  await Deno.mkdir(parent, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: parent, prefix: ".lambdeno-build-" });
  const workDir = await Deno.makeTempDir({ prefix: "lambdeno-build-" });
  try {
    const stage = `${workDir}/stage`;
    log(`bundling src/main.ts with ${modules.map((m) => m.fileName).join(", ")} …`);
    await Deno.mkdir(`${stage}/handlers`, { recursive: true });
    await bundleFunctions({
      root,
      modules,
      workDir,
      output: `${stage}/${FUNCTION_BUNDLE_PATH}`,
      deno: context.deno,
    });
    const bundle = await Deno.readFile(`${stage}/${FUNCTION_BUNDLE_PATH}`);
    let seed: { linkPath: string; files: ZipInput[] } | undefined;
    if (options.layout === "deno-run") {
      const linkPath = await seedLinkPath(bundle);
      seed = {
        linkPath,
        files: await analysisSeed({ deno: context.deno, stage, linkPath, workDir }),
      };
    }
    const artifacts: ArtifactRow[] = [];
    for (const arch of options.arches) {
      const archDir = `${staging}/${arch}`;
      await Deno.mkdir(archDir, { recursive: true });
      let functionFiles: ZipInput[];
      let layerFiles: ZipInput[] | undefined;
      if (options.layout === "compiled") {
        for (const asset of assets) {
          const path = `${stage}/${asset.path}`;
          await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
          await Deno.writeFile(path, asset.data);
        }
        log(`${arch}: compiling ${FUNCTION_BUNDLE_PATH} (V8 sized for ${memoryMb} MB) …`);
        const binary = await compileBootstrap({
          root: stage,
          entrypoint: FUNCTION_BUNDLE_PATH,
          arch,
          includes: assets.map((a) => a.path),
          permissions: options.permissions,
          check: options.check,
          output: `${archDir}/bootstrap`,
          deno: context.deno,
          workDir,
          v8Flags: v8MemoryFlags(memoryMb),
          ...(context.denortBin === undefined ? {} : { env: { DENORT_BIN: context.denortBin } }),
        });
        functionFiles = [{ path: "bootstrap", data: binary, mode: 0o755 }, ...assets];
      } else {
        log(`${arch}: fetching deno ${context.denoVersion} (${context.npmRegistry}) …`);
        const deno = await denoBinary({
          arch,
          version: context.denoVersion,
          registry: context.npmRegistry,
          cacheDir: context.cacheDir,
        });
        const artifact = denoRunArtifact({
          bundle,
          assets,
          ...(seed === undefined ? {} : { seed: seed.files, linkPath: seed.linkPath }),
          permissions: options.permissions,
          deno,
          layer: options.layer,
        });
        functionFiles = artifact.function;
        layerFiles = artifact.layer;
        const bootstrap = functionFiles.find((f) => f.path === "bootstrap")!;
        await Deno.writeFile(`${archDir}/bootstrap`, bootstrap.data, { mode: 0o755 });
      }
      const shownDir = _shown(root, `${outDir}/${arch}`);
      checkUnzippedSize(`${shownDir}/function.zip`, [...functionFiles, ...layerFiles ?? []]);
      artifacts.push({ arch, path: `${shownDir}/bootstrap`, size: functionFiles[0]!.data.length });
      for (
        const [name, files] of [["function.zip", functionFiles], ["layer.zip", layerFiles]] as const
      ) {
        if (files === undefined) continue;
        log(`${arch}: writing ${name} …`);
        const zip = writeZip(files);
        const path = `${archDir}/${name}`;
        await Deno.writeFile(path, zip);
        artifacts.push({
          arch,
          path: `${shownDir}/${name}`,
          size: zip.length,
          unzipped: _checkZip(zip, files, path),
        });
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
      warnings: sizeWarnings(artifacts),
    };
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(_ignoreNotFound);
    await Deno.remove(staging, { recursive: true }).catch(_ignoreNotFound);
  }
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
