/**
 * The build, step by step: find the functions, make sure the base binary is there (before
 * spending any time), build each architecture's artifact, zip it, read the zip back, write the
 * SAM template, and report sizes. Takes all its configuration as arguments.
 *
 * @module
 */

import type { BuildOptions } from "./args.ts";
import { BUNDLE_PATH, bundleBootstrap } from "./bundle.ts";
import { ASSET_DIRS, includeList } from "./compile_args.ts";
import { compileBootstrap } from "./compiled_layout.ts";
import { denoBinary } from "./deno_package.ts";
import { denoRunArtifact } from "./deno_run_layout.ts";
import { locateDenort } from "./denort.ts";
import { exists } from "./files.ts";
import { listHandlerModules, readFunctions } from "./handler_modules.ts";
import { type ArtifactRow, sizeWarnings } from "./report.ts";
import { renderTemplate, samTemplate } from "./template.ts";
import { BASE_TEMPLATE, mergeTemplates, parseTemplate } from "./template_base.ts";
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
 * Runs a build.
 *
 * @param options The parsed command line.
 * @param context The root, the tools and the environment's settings.
 * @returns The artifacts, the template and any warnings.
 * @throws {DenortMissingError} For the compiled layout when denort cannot be had, before any
 * output is written.
 * @throws {Error} "Cannot …" when a step fails.
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
    sources.forEach((source, i) => {
      const where = source.kind === "download" ? `download ${source.url}` : source.path;
      log(`denort for ${options.arches[i]}: ${source.kind} (${where})`);
    });
  }
  const handlersDir = `${root}/handlers`;
  const modules = await listHandlerModules(handlersDir, options.handlers);
  const configWarnings: string[] = [];
  const functions = await readFunctions(handlersDir, modules, (w) => configWarnings.push(w));
  log(`functions: ${functions.map((f) => `${f.file}.${f.exportName}`).join(", ") || "none"}`);
  const templateArch: Arch = options.arches.includes("arm64") ? "arm64" : options.arches[0]!;
  const generated = samTemplate({
    functions,
    arch: templateArch,
    codeUri: `${templateArch}/function.zip`,
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
  const assetDirs: string[] = [];
  for (const dir of ASSET_DIRS) if (await exists(`${root}/${dir}`)) assetDirs.push(dir);
  // What handler modules read or import beside them (public/, _lib/, _data/) ships whichever
  // handlers are chosen.
  const handlerAssetDirs: string[] = [];
  for await (const entry of Deno.readDir(`${root}/handlers`)) {
    if (entry.isDirectory) handlerAssetDirs.push(`handlers/${entry.name}`);
  }
  handlerAssetDirs.sort();

  log(`bundling src/main.ts into ${BUNDLE_PATH} …`);
  await bundleBootstrap({ root, output: BUNDLE_PATH, deno: context.deno });
  const outDir = options.outDir.startsWith("/") ? options.outDir : `${root}/${options.outDir}`;
  const artifacts: ArtifactRow[] = [];
  for (const arch of options.arches) {
    const archDir = `${outDir}/${arch}`;
    await Deno.remove(archDir, { recursive: true }).catch(_ignoreNotFound);
    await Deno.mkdir(archDir, { recursive: true });
    const workDir = await Deno.makeTempDir({ prefix: `lambdeno-build-${arch}-` });
    try {
      let functionFiles: ZipInput[];
      let layerFiles: ZipInput[] | undefined;
      if (options.layout === "compiled") {
        log(`${arch}: compiling ${BUNDLE_PATH} …`);
        const includes = includeList({
          handlersDir: "handlers",
          handlerFiles: options.handlers === undefined
            ? undefined
            : modules.map((m) => `handlers/${m.fileName}`),
          assetDirs: options.handlers === undefined
            ? assetDirs
            : [...handlerAssetDirs, ...assetDirs],
        });
        const binary = await compileBootstrap({
          root,
          entrypoint: BUNDLE_PATH,
          arch,
          includes,
          permissions: options.permissions,
          check: options.check,
          output: `${archDir}/bootstrap`,
          deno: context.deno,
          workDir,
          ...(context.denortBin === undefined ? {} : { env: { DENORT_BIN: context.denortBin } }),
        });
        functionFiles = [{ path: "bootstrap", data: binary, mode: 0o755 }];
      } else {
        log(`${arch}: fetching deno ${context.denoVersion} (${context.npmRegistry}) …`);
        const deno = await denoBinary({
          arch,
          version: context.denoVersion,
          registry: context.npmRegistry,
          cacheDir: context.cacheDir,
        });
        log(`${arch}: staging the code and its npm packages …`);
        const artifact = await denoRunArtifact({
          root,
          bundle: await Deno.readFile(`${root}/${BUNDLE_PATH}`),
          assetDirs,
          permissions: options.permissions,
          deno,
          layer: options.layer,
          hostDeno: context.deno,
          workDir,
        });
        functionFiles = artifact.function;
        layerFiles = artifact.layer;
        const bootstrap = functionFiles.find((f) => f.path === "bootstrap")!;
        await Deno.writeFile(`${archDir}/bootstrap`, bootstrap.data, { mode: 0o755 });
      }
      artifacts.push({
        arch,
        path: _shown(root, `${archDir}/bootstrap`),
        size: functionFiles[0]!.data.length,
      });
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
          path: _shown(root, path),
          size: zip.length,
          unzipped: _checkZip(zip, files, path),
        });
      }
    } finally {
      await Deno.remove(workDir, { recursive: true }).catch(_ignoreNotFound);
    }
  }
  const templatePath = `${outDir}/template.yaml`;
  await Deno.writeTextFile(templatePath, renderTemplate(template));
  return {
    artifacts,
    template: _shown(root, templatePath),
    templateArch,
    functions: functions.map((f) => `${f.file}.${f.exportName}`),
    warnings: [...configWarnings, ...sizeWarnings(artifacts)],
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
