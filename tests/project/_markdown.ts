/** The project's documentation: which Markdown files there are (the README and the guides). */

/**
 * `README.md` and every Markdown file under `docs/`, relative to `root`, in a stable order.
 *
 * @param root The repository's root (or a test's stand-in for it).
 * @returns The paths, `README.md` first.
 */
export async function markdownFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name.endsWith(".md")) found.push(path);
    }
  };
  try {
    await walk("docs");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ["README.md", ...found.sort()];
}
