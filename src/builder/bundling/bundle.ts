/**
 * The runtime alone as one JavaScript file: `src/main.ts` and the modules it loads, bundled,
 * with handlers imported from a directory at init (`LAMBDENO_HANDLERS_DIR`). The build ships
 * `bundleFunctions` instead, which adds the handlers; this one serves the benchmarks and the
 * tests that run the bundled runtime against handler files.
 *
 * @module
 */

/**
 * A place for the bundle relative to the project root, one directory down as `src/main.ts` is,
 * so that the runtime's `../handlers/` still names the handlers directory.
 */
export const BUNDLE_PATH = ".lambdeno/bootstrap.js";

/**
 * How every bundle that ships is made: minified, which parses and compiles a quarter faster
 * at cold start; with names kept, so `error.name`, `constructor.name` and stack frames read as
 * written; and with a source map beside it, so stack traces name the source file and line.
 */
export const SHIPPED_BUNDLE_FLAGS: readonly string[] = [
  "--minify",
  "--keep-names",
  "--sourcemap=linked",
];

/** What {@linkcode bundleBootstrap} needs. */
export interface BundleOptions {
  /** The project root, absolute; `deno bundle` runs there. */
  readonly root: string;
  /** Where to write the bundle, absolute or relative to the root. */
  readonly output: string;
  /** The `deno` to run. */
  readonly deno: string;
}

/**
 * Bundles `src/main.ts` into one file with `deno bundle`, as a build ships it (see
 * {@linkcode SHIPPED_BUNDLE_FLAGS}), its source map beside it.
 *
 * @param options The project, the output path and the `deno` to use.
 * @returns Resolves once the bundle is written.
 * @throws {Error} "Cannot bundle …" with `deno bundle`'s own error output when it fails.
 */
export async function bundleBootstrap(options: BundleOptions): Promise<void> {
  const args = [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    ...SHIPPED_BUNDLE_FLAGS,
    "--output",
    options.output,
    "src/main.ts",
  ];
  await denoBundle(
    options.deno,
    options.root,
    args,
    (detail) => `Cannot bundle src/main.ts: deno ${args.join(" ")}\n${detail}`,
  );
}

/**
 * Runs `deno` with the given arguments (a `deno bundle` command) in the project root, without
 * colour in its output.
 *
 * @param deno The `deno` to run.
 * @param root The project root, absolute.
 * @param args The arguments, from `bundle` on.
 * @param failure Makes the error message from `deno`'s own error output.
 * @returns Resolves once the bundle is written.
 * @throws {Error} With the message `failure` makes, when `deno` fails.
 */
export async function denoBundle(
  deno: string,
  root: string,
  args: readonly string[],
  failure: (detail: string) => string,
): Promise<void> {
  const result = await new Deno.Command(deno, {
    args: [...args],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(failure(new TextDecoder().decode(result.stderr).trim()));
}
