/**
 * Building Lambdeno functions for `provided.al2023`: the pieces `deno task build` is made of,
 * each usable and testable on its own.
 *
 * @module
 */

export { type BuildOptions, type Layout, parseBuildArgs, USAGE } from "./command/args.ts";
export {
  compileArgs,
  type CompileArgsOptions,
  envFileText,
  RUNTIME_ENV_DEFAULTS,
} from "./layouts/compile_args.ts";
export { type ArtifactGroup, artifactGroups } from "./functions/artifact_groups.ts";
export { assetFiles, declaredAssets } from "./functions/assets.ts";
export {
  BUNDLE_PATH,
  bundleBootstrap,
  type BundleOptions,
  SHIPPED_BUNDLE_FLAGS,
} from "./bundling/bundle.ts";
export { shippedSourceMap, type SourceMapPlaces } from "./bundling/source_map.ts";
export { compileBootstrap, type CompileOptions } from "./layouts/compiled_layout.ts";
export { denoBinary, type DenoPackageOptions } from "./layouts/deno_package.ts";
export {
  bootstrapScript,
  type BootstrapScriptOptions,
  DENO_PATH,
  type DenoRunArtifact,
  denoRunArtifact,
  type DenoRunOptions,
} from "./layouts/deno_run_layout.ts";
export {
  denortCachePath,
  denortDownloadUrl,
  DenortMissingError,
  denortMissingMessage,
  type DenortSource,
  locateDenort,
  type LocateDenortOptions,
} from "./layouts/denort.ts";
export { checkDenortBinary } from "./layouts/denort_check.ts";
export { collectFiles, exists } from "./archives/files.ts";
export {
  bundleFunctions,
  FUNCTION_BUNDLE_PATH,
  FUNCTION_SOURCE_MAP_PATH,
  type FunctionBundleOptions,
  registryModule,
} from "./bundling/function_bundle.ts";
export { V8_FLAGS_SH, v8MemoryFlags } from "./layouts/memory_flags.ts";
export {
  type FunctionConfig,
  functionsOf,
  type FunctionSpec,
  type HandlerConfig,
  type UrlMode,
} from "./functions/function_config.ts";
export {
  type HandlerModule,
  listHandlerModules,
  readFunctions,
} from "./functions/handler_modules.ts";
export {
  DEFAULT_PERMISSIONS,
  functionPermissions,
  LAMBDA_TASK_ROOT,
  permissionFlags,
  type Permissions,
} from "./layouts/permissions.ts";
export {
  type ArtifactRow,
  buildSummary,
  checkUnzippedSize,
  DIRECT_UPLOAD_LIMIT,
  formatSize,
  sizeWarnings,
  summaryTable,
  UNZIPPED_LIMIT,
} from "./command/report.ts";
export { build, type BuildContext, type BuildResult } from "./command/run_build.ts";
export { readTarFile, readTarGzFile } from "./archives/tar.ts";
export {
  logicalId,
  renderTemplate,
  samTemplate,
  type Template,
  type TemplateOptions,
} from "./template/template.ts";
export { type Arch, ARCHES, denoPackage, denoTarget, isArch } from "./layouts/targets.ts";
export { readZip, writeZip, type ZipEntry, type ZipInput } from "./archives/zip.ts";
