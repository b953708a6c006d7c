/**
 * Scratch directories for tests that hand a directory to code which outlives the test's own
 * scope (an emulator or a bootstrap disposed elsewhere): each is removed when the test run
 * ends, whichever test made it and however that test ended.
 *
 * @module
 */

const made = new Set<string>();

globalThis.addEventListener("unload", () => {
  for (const dir of made) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (error) {
      // Its owner may have removed it already.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
});

/**
 * Makes a fresh temporary directory that is removed when the test run ends.
 *
 * @param prefix The start of the directory's name.
 * @returns The directory's path.
 */
export async function scratchDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  made.add(dir);
  return dir;
}
