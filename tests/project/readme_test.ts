/**
 * Every TypeScript block in README.md and in the guides under docs/ is a checked example: written
 * out inside the repository (so `../src/mod.ts` and the import map resolve as they would for a
 * module in `handlers/`), then type checked and linted with the project's configuration, all
 * blocks of all files at once.
 *
 * A block whose first line is a path comment (`// handlers/total.ts`, `// tests/total_test.ts`) is
 * written at that path, so blocks can import one another, across files too; any other block goes
 * to `handlers/readme_<file>_<line>.ts`. A block that is on purpose a fragment is fenced as
 * `ts ignore`; keep those rare.
 */

import { deepEqual, equal, match, notEqual, ok, throws } from "node:assert/strict";
import { type DenoRun, ROOT, runDeno } from "../_deno.ts";
import { markdownFiles } from "./_markdown.ts";

/**
 * The files that show TypeScript, and how many checked blocks each has at least: a file whose
 * blocks were lost (deleted, or fenced as another language or as `ts ignore`) checks nothing.
 */
const MIN_BLOCKS: Readonly<Record<string, number>> = {
  "README.md": 2,
  "docs/writing-handlers.md": 5,
  "docs/typed-events.md": 1,
  "docs/build-and-deploy.md": 1,
  "docs/testing-your-functions.md": 1,
};

/** One fenced TypeScript block of a Markdown file. */
interface TsBlock {
  /** The Markdown file, relative to the repository's root. */
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The words after `ts` in the info string. */
  readonly flags: readonly string[];
  readonly code: string;
}

/** The ```ts blocks of a Markdown text, in order. */
function tsBlocks(markdown: string, file: string): TsBlock[] {
  const blocks: TsBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(?:\s+(.*))?$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l === "```");
    if (end === -1) throw new SyntaxError(`Cannot read ${file}: line ${i + 1} is never closed`);
    blocks.push({
      file,
      line: i + 1,
      flags: (open[2] ?? "").split(/\s+/).filter((word) => word !== ""),
      code: lines.slice(i + 1, end).join("\n") + "\n",
    });
    i = end;
  }
  return blocks;
}

/** The ```ts blocks of README.md and of every Markdown file under docs/, file by file. */
async function collectBlocks(root: string): Promise<TsBlock[]> {
  const blocks: TsBlock[] = [];
  for (const file of await markdownFiles(root)) {
    blocks.push(...tsBlocks(await Deno.readTextFile(`${root}/${file}`), file));
  }
  return blocks;
}

/** Where a block is written, relative to the scratch directory. */
function blockPath(block: TsBlock): string {
  const named = /^\/\/ ((?:handlers|tests)\/[\w./-]+\.ts)\s*$/.exec(block.code.split("\n")[0]!);
  const file = block.file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
  return named?.[1] ?? `handlers/readme_${file}_${block.line}.ts`;
}

/**
 * Each block by the path it is written at.
 *
 * @throws {Error} When two blocks would be written at the same path, naming both.
 */
function scratchFiles(blocks: readonly TsBlock[]): Map<string, TsBlock> {
  const byPath = new Map<string, TsBlock>();
  for (const block of blocks) {
    const path = blockPath(block);
    const other = byPath.get(path);
    if (other !== undefined) {
      throw new Error(
        `Cannot check the blocks: ${other.file}:${other.line} and ${block.file}:${block.line} ` +
          `are both written to ${path}`,
      );
    }
    byPath.set(path, block);
  }
  return byPath;
}

/**
 * Writes the blocks into a scratch directory at the repository's root, with `src` linked in, runs
 * `deno check` and `deno lint` on all of them at once, and removes the directory.
 */
async function checkBlocks(blocks: readonly TsBlock[]): Promise<{ check: DenoRun; lint: DenoRun }> {
  const byPath = scratchFiles(blocks);
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: ".readme-check-" });
  try {
    await Deno.symlink(`${ROOT}/src`, `${dir}/src`);
    const files: string[] = [];
    for (const [path, block] of byPath) {
      const file = `${dir}/${path}`;
      await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(file, block.code);
      files.push(file);
    }
    const check = await runDeno(["check", ...files]);
    const lint = await runDeno(["lint", ...files]);
    return { check, lint };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("tsBlocks() reads each ts block with its flags and skips other languages", () => {
  const markdown = [
    "# Title",
    "```ts",
    "const a = 1;",
    "```",
    "```sh",
    "echo no",
    "```",
    "```ts ignore",
    "fragment(",
    "```",
  ].join("\n");
  deepEqual(tsBlocks(markdown, "docs/a.md"), [
    { file: "docs/a.md", line: 2, flags: [], code: "const a = 1;\n" },
    { file: "docs/a.md", line: 8, flags: ["ignore"], code: "fragment(\n" },
  ]);
  throws(() => tsBlocks("```ts\nopen\n", "docs/b.md"), /Cannot read docs\/b\.md: line 1/);
});

Deno.test("blockPath() honours a path comment on the first line only", () => {
  equal(
    blockPath({
      file: "README.md",
      line: 3,
      flags: [],
      code: "// handlers/total.ts\nexport {};\n",
    }),
    "handlers/total.ts",
  );
  equal(
    blockPath({ file: "README.md", line: 9, flags: [], code: "export {};\n// tests/x_test.ts\n" }),
    "handlers/readme_readme_9.ts",
  );
});

Deno.test("collectBlocks() reads README.md and docs/ at any depth, each block at its own path", async () => {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-readme-test-" });
  try {
    await Deno.mkdir(`${root}/docs/examples`, { recursive: true });
    const block = "```ts\nexport const n = 1;\n```\n";
    await Deno.writeTextFile(`${root}/README.md`, `# R\n${block}`);
    await Deno.writeTextFile(`${root}/docs/guide-one.md`, `# G\n${block}`);
    await Deno.writeTextFile(`${root}/docs/examples/README.md`, `# E\n${block}`);
    await Deno.writeTextFile(`${root}/docs/notes.txt`, `# N\n${block}`);
    const blocks = await collectBlocks(root);
    deepEqual(blocks.map((b) => `${b.file}:${b.line}`), [
      "README.md:2",
      "docs/examples/README.md:2",
      "docs/guide-one.md:2",
    ]);
    // The same line of three files: three scratch files, none written over another.
    deepEqual([...scratchFiles(blocks).keys()], [
      "handlers/readme_readme_2.ts",
      "handlers/readme_docs_examples_readme_2.ts",
      "handlers/readme_docs_guide_one_2.ts",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("scratchFiles() refuses two blocks written at the same path, naming both", () => {
  const code = "// handlers/total.ts\nexport {};\n";
  throws(
    () =>
      scratchFiles([
        { file: "README.md", line: 4, flags: [], code },
        { file: "docs/a.md", line: 7, flags: [], code },
      ]),
    /README\.md:4 and docs\/a\.md:7 are both written to handlers\/total\.ts/,
  );
});

Deno.test("checkBlocks() fails a block that does not type-check or lint", async () => {
  const { check, lint } = await checkBlocks([
    {
      file: "README.md",
      line: 1,
      flags: [],
      code: 'export async function f() {\n  return 1 + "";\n}\nconst n: number = "x";\n',
    },
  ]);
  notEqual(check.code, 0);
  match(check.output, /TS2322/);
  notEqual(lint.code, 0);
  match(lint.output, /require-await/);
  match(lint.output, /explicit-module-boundary-types/);
});

Deno.test("every file that shows TypeScript still has its checked blocks", async () => {
  const blocks = (await collectBlocks(ROOT)).filter((block) => !block.flags.includes("ignore"));
  for (const [file, least] of Object.entries(MIN_BLOCKS)) {
    const count = blocks.filter((block) => block.file === file).length;
    ok(count >= least, `${file} has ${count} checked ts blocks, fewer than ${least}`);
  }
});

Deno.test("every ts block in README.md and docs/ type-checks and lints", async () => {
  const blocks = (await collectBlocks(ROOT)).filter((block) => !block.flags.includes("ignore"));
  const { check, lint } = await checkBlocks(blocks);
  equal(check.code, 0, check.output);
  equal(lint.code, 0, lint.output);
});
