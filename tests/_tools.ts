/**
 * Tools from outside npm that some tests run (AWS's `cfn-lint`, `qemu-user-static`). On a machine
 * without them such a test is ignored, with a line saying what to install, so that the test
 * command passes on a fresh machine with only Node.js and npm. Where the run requires them
 * (`LAMBDENO_REQUIRE_TOOLS=1`, which CI sets), a missing tool fails its test instead, so a check
 * can never silently stop running there.
 *
 * @module
 */

/** Whether this run requires every tool (`LAMBDENO_REQUIRE_TOOLS=1`). */
export const TOOLS_REQUIRED: boolean = Deno.env.get("LAMBDENO_REQUIRE_TOOLS") === "1";

/**
 * Finds a program on the `PATH`, as a shell would.
 *
 * @param name The program's name.
 * @returns Its path, or `undefined` if no directory of the `PATH` has it.
 */
export function which(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const path = `${dir}/${name}`;
    try {
      const info = Deno.statSync(path);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** A tool a test needs, and whether that test runs. */
export interface ExternalTool {
  /** Its path, when found. */
  readonly path: string | undefined;
  /** Ignore the test: the tool is missing and the run does not require it. */
  readonly ignore: boolean;
  /**
   * The tool's path, for the test to run it.
   *
   * @returns The path.
   * @throws {Error} "Cannot run …" saying what to install, when the tool is missing.
   */
  require(): string;
}

/**
 * Looks a tool up for a test, and says on the test output what to install when it is missing.
 *
 * @param name The program's name on the `PATH`.
 * @param options `override`: a variable that names the program's path instead; `install`: how to
 * get it; `test`: what the test checks, for the line.
 * @returns The tool.
 */
export function externalTool(
  name: string,
  options: { readonly override?: string; readonly install: string; readonly test: string },
): ExternalTool {
  const given = options.override === undefined ? undefined : Deno.env.get(options.override);
  const path = given !== undefined && given !== "" ? given : which(name);
  const ignore = path === undefined && !TOOLS_REQUIRED;
  if (ignore) {
    console.log(`Skipping ${options.test}: ${name} is not installed; ${options.install}`);
  }
  return {
    path,
    ignore,
    require() {
      if (path !== undefined) return path;
      throw new Error(
        `Cannot run ${options.test}: ${name} is not installed, and LAMBDENO_REQUIRE_TOOLS=1 ` +
          `requires it; ${options.install}`,
      );
    },
  };
}
