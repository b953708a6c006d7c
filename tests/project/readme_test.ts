/**
 * Every TypeScript block in README.md is a checked example: written out inside the repository (so
 * `../../src/mod.ts` and the import map resolve as they would for a module in `handlers/`), then type
 * checked and linted with the project's configuration, all blocks at once.
 *
 * A block whose first line is a path comment (`// handlers/total.ts`, `// tests/total_test.ts`) is
 * written at that path, so blocks can import one another; any other block goes to
 * `handlers/readme_<line>.ts`. A block that is on purpose a fragment is fenced as `ts ignore`;
 * keep those rare.
 */

import { deepEqual, equal, match, notEqual } from "node:assert/strict";
import { type DenoRun, ROOT, runDeno } from "../_deno.ts";

/** One fenced TypeScript block of a Markdown text. */
interface TsBlock {
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The words after `ts` in the info string. */
  readonly flags: readonly string[];
  readonly code: string;
}

/** The ```ts blocks of a Markdown text, in order. */
function tsBlocks(markdown: string): TsBlock[] {
  const blocks: TsBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(?:\s+(.*))?$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l === "```");
    if (end === -1) throw new SyntaxError(`Cannot read README.md: line ${i + 1} is never closed`);
    blocks.push({
      line: i + 1,
      flags: (open[2] ?? "").split(/\s+/).filter((word) => word !== ""),
      code: lines.slice(i + 1, end).join("\n") + "\n",
    });
    i = end;
  }
  return blocks;
}

/** Where a block is written, relative to the scratch directory. */
function blockPath(block: TsBlock): string {
  const named = /^\/\/ ((?:handlers|tests)\/[\w./-]+\.ts)\s*$/.exec(block.code.split("\n")[0]!);
  return named?.[1] ?? `handlers/readme_${block.line}.ts`;
}

/**
 * Writes the blocks into a scratch directory at the repository's root, with `src` linked in, runs
 * `deno check` and `deno lint` on all of them at once, and removes the directory.
 */
async function checkBlocks(blocks: readonly TsBlock[]): Promise<{ check: DenoRun; lint: DenoRun }> {
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: ".readme-check-" });
  try {
    await Deno.symlink(`${ROOT}/src`, `${dir}/src`);
    const files: string[] = [];
    for (const block of blocks) {
      const file = `${dir}/${blockPath(block)}`;
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
  deepEqual(tsBlocks(markdown), [
    { line: 2, flags: [], code: "const a = 1;\n" },
    { line: 8, flags: ["ignore"], code: "fragment(\n" },
  ]);
});

Deno.test("blockPath() honours a path comment on the first line only", () => {
  equal(
    blockPath({ line: 3, flags: [], code: "// handlers/total.ts\nexport {};\n" }),
    "handlers/total.ts",
  );
  equal(
    blockPath({ line: 9, flags: [], code: "export {};\n// tests/x_test.ts\n" }),
    "handlers/readme_9.ts",
  );
});

Deno.test("checkBlocks() fails a block that does not type-check or lint", async () => {
  const { check, lint } = await checkBlocks([
    {
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

Deno.test("every ts block in README.md type-checks and lints", async () => {
  const all = tsBlocks(await Deno.readTextFile(`${ROOT}/README.md`));
  const blocks = all.filter((block) => !block.flags.includes("ignore"));
  // A README whose blocks all went missing or all became fragments would check nothing.
  notEqual(blocks.length, 0);
  const { check, lint } = await checkBlocks(blocks);
  equal(check.code, 0, check.output);
  equal(lint.code, 0, lint.output);
});
