/**
 * The build's type check: `deno check` of the handler modules being built, with the project's
 * `deno.json`, in one run, so modules that share code share the work and Deno's check cache
 * makes a rebuild of unchanged code quick. A type error stops the build with Deno's
 * diagnostics, as `deno compile` would; `--no-check` skips it.
 *
 * @module
 */

import type { HandlerModule } from "../functions/handler_modules.ts";

/**
 * Type-checks the handler modules and the runtime.
 *
 * @param deno The `deno` to run.
 * @param root The project root, absolute.
 * @param modules The handler modules being built.
 * @returns Resolves when every module type-checks.
 * @throws {Error} "Cannot build: the functions do not type-check" with Deno's diagnostics.
 */
export async function typeCheck(
  deno: string,
  root: string,
  modules: readonly HandlerModule[],
): Promise<void> {
  if (modules.length === 0) return;
  const files = modules.map((m) => `handlers/${m.fileName}`);
  const result = await new Deno.Command(deno, {
    args: ["check", "--quiet", "--config", `${root}/deno.json`, "src/main.ts", ...files],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (result.success) return;
  const detail = (new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr))
    .trim();
  throw new Error(
    `Cannot build: the functions do not type-check (deno check ${files.join(" ")}; ` +
      `--no-check builds without checking):\n${detail}`,
  );
}
