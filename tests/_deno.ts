// Runs the deno that runs the tests on the repository, for tests of what deno itself reports.

/** The repository's root, without a trailing slash. */
export const ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** How a deno command ended: its exit code and everything it printed. */
export interface DenoRun {
  /** The exit code. */
  readonly code: number;
  /** Standard output, then standard error, without colours. */
  readonly output: string;
}

/**
 * Runs `deno <args>` in the repository's root.
 *
 * @param args The arguments after `deno`.
 * @returns The exit code and the output.
 */
export async function runDeno(args: string[]): Promise<DenoRun> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}
