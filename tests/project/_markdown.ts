/**
 * The project's documentation as files and lines: which Markdown files there are (the README and
 * the guides in `docs/`), and which of their lines are inside fenced code, where neither headings
 * nor links count.
 */

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

/**
 * For each line of a Markdown text, whether it belongs to a fenced code block (its fences
 * included), as CommonMark reads fences: up to three spaces of indent, three or more backticks
 * or tildes, closed by a run of the same character at least as long with nothing after it.
 *
 * @param lines The text's lines.
 * @returns One flag per line.
 */
export function fencedLines(lines: readonly string[]): boolean[] {
  const inside: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open === null) {
      if (fence !== null && !(fence[1]!.startsWith("`") && fence[2]!.includes("`"))) {
        open = fence[1]!;
      }
      inside.push(fence !== null && open !== null);
    } else {
      inside.push(true);
      if (
        fence !== null && fence[1]![0] === open[0] && fence[1]!.length >= open.length &&
        fence[2]!.trim() === ""
      ) {
        open = null;
      }
    }
  }
  return inside;
}
