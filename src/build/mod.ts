/**
 * Building Lambdeno functions for `provided.al2023`: the pieces `deno task build` is made of,
 * each usable and testable on its own.
 *
 * @module
 */

export { type BuildOptions, type Layout, parseBuildArgs, USAGE } from "./args.ts";
export {
  compileArgs,
  type CompileArgsOptions,
  envFileText,
  RUNTIME_ENV_DEFAULTS,
} from "./compile_args.ts";
export { type ArtifactGroup, artifactGroups } from "./artifact_groups.ts";
export { assetFiles, declaredAssets } from "./assets.ts";
export { BUNDLE_PATH, bundleBootstrap, type BundleOptions } from "./bundle.ts";
export { compileBootstrap, type CompileOptions } from "./compiled_layout.ts";
export { denoBinary, type DenoPackageOptions } from "./deno_package.ts";
export {
  bootstrapScript,
  DENO_PATH,
  type DenoRunArtifact,
  denoRunArtifact,
  type DenoRunOptions,
} from "./deno_run_layout.ts";
export {
  denortCachePath,
  denortDownloadUrl,
  DenortMissingError,
  denortMissingMessage,
  type DenortSource,
  locateDenort,
  type LocateDenortOptions,
} from "./denort.ts";
export { checkDenortBinary } from "./denort_check.ts";
export { collectFiles, exists } from "./files.ts";
export {
  bundleFunctions,
  FUNCTION_BUNDLE_PATH,
  type FunctionBundleOptions,
  registryModule,
} from "./function_bundle.ts";
export { V8_FLAGS_SH, v8MemoryFlags } from "./memory_flags.ts";
export {
  type FunctionConfig,
  functionsOf,
  type FunctionSpec,
  type HandlerConfig,
  type UrlMode,
} from "./function_config.ts";
export { type HandlerModule, listHandlerModules, readFunctions } from "./handler_modules.ts";
export {
  DEFAULT_PERMISSIONS,
  LAMBDA_TASK_ROOT,
  permissionFlags,
  type Permissions,
} from "./permissions.ts";
export {
  type ArtifactRow,
  checkUnzippedSize,
  DIRECT_UPLOAD_LIMIT,
  formatSize,
  sizeWarnings,
  summaryTable,
  UNZIPPED_LIMIT,
} from "./report.ts";
export { build, type BuildContext, type BuildResult } from "./run_build.ts";
export { readTarFile, readTarGzFile } from "./tar.ts";
export {
  logicalId,
  renderTemplate,
  samTemplate,
  type Template,
  type TemplateOptions,
} from "./template.ts";
export { type Arch, ARCHES, denoPackage, denoTarget, isArch } from "./targets.ts";
export { readZip, writeZip, type ZipEntry, type ZipInput } from "./zip.ts";
