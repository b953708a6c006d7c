/**
 * Every relative link in README.md and in the guides under docs/ leads somewhere: to a file or
 * directory of the repository that exists and, for `#anchor`, to a heading of that Markdown file,
 * by GitHub's rules for heading anchors. Links inside code (fenced or inline) are not links, and
 * links to other sites are not checked.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { ROOT } from "../_deno.ts";
import { fencedLines, markdownFiles } from "./_markdown.ts";

/** One link of a Markdown file. */
interface Link {
  /** The 1-based line the link's target is on. */
  readonly line: number;
  /** The target as written: `docs/a.md#b`, `#b`, `../src/mod.ts`. */
  readonly target: string;
}

/**
 * The anchor GitHub gives a heading: its text as rendered (link targets, markup and code fences
 * gone), lower-cased, with every character that is not a letter, mark, digit, connector (`_`),
 * hyphen or space dropped, and each space made a hyphen.
 */
function githubAnchor(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]*>/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings; a repeated one gets `-1`, `-2`… as on GitHub. */
function headingAnchors(markdown: string): Set<string> {
  const lines = markdown.split("\n");
  const fenced = fencedLines(lines);
  const anchors = new Set<string>();
  lines.forEach((line, i) => {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading === null || fenced[i]) return;
    const base = githubAnchor(heading[1]!);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  });
  return anchors;
}

/** The text with fenced code and inline code spans blanked out, every line break kept. */
function proseOnly(markdown: string): string {
  const lines = markdown.split("\n");
  const fenced = fencedLines(lines);
  const prose = lines.map((line, i) => fenced[i] ? "" : line).join("\n");
  // A code span may wrap onto the next line, never across a blank line.
  return prose.replace(
    /(`+)(?:(?!\n[ \t]*\n)[\s\S])*?[^`]\1(?!`)/g,
    (span) => span.replace(/[^\n]/g, " "),
  );
}

/** The links of a Markdown text whose targets are in the repository (no scheme, no host). */
function relativeLinks(markdown: string): Link[] {
  const prose = proseOnly(markdown);
  const lineOf = (index: number) => prose.slice(0, index).split("\n").length;
  const links: Link[] = [];
  const inline = /\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
  const reference = /^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)>?/gm;
  for (const pattern of [inline, reference]) {
    for (const match of prose.matchAll(pattern)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue;
      links.push({ line: lineOf(match.index + match[0].indexOf(target)), target });
    }
  }
  return links.sort((a, b) => a.line - b.line);
}

/**
 * Checks the relative links of Markdown files.
 *
 * @param root The repository's root.
 * @param files The Markdown files, relative to `root`.
 * @returns How many links were checked, and one `file:line: …` message per broken one.
 */
async function checkLinks(
  root: string,
  files: readonly string[],
): Promise<{ checked: number; broken: string[] }> {
  const rootUrl = new URL(`file://${root.replace(/\/?$/, "/")}`);
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = async (url: URL) => {
    let found = anchorsOf.get(url.href);
    if (found === undefined) {
      found = headingAnchors(await Deno.readTextFile(url));
      anchorsOf.set(url.href, found);
    }
    return found;
  };
  let checked = 0;
  const broken: string[] = [];
  for (const file of files) {
    const fileUrl = new URL(file, rootUrl);
    for (const { line, target } of relativeLinks(await Deno.readTextFile(fileUrl))) {
      checked++;
      const where = `${file}:${line}: ${target}`;
      const hash = target.indexOf("#");
      const path = hash === -1 ? target : target.slice(0, hash);
      const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
      const url = path === "" ? fileUrl : new URL(path.replace(/\?.*$/, ""), fileUrl);
      if (!url.href.startsWith(rootUrl.href)) {
        broken.push(`${where} leads out of the repository`);
        continue;
      }
      const name = decodeURIComponent(url.pathname.slice(rootUrl.pathname.length));
      const stat = await Deno.stat(url).catch(() => null);
      if (stat === null) {
        broken.push(`${where}: ${name} does not exist`);
      } else if (anchor !== null && !(stat.isFile && name.endsWith(".md"))) {
        if (!/^L\d+(-L\d+)?$/.test(anchor)) {
          broken.push(`${where}: #${anchor} can only name a line of ${name}`);
        }
      } else if (anchor !== null && !(await anchors(url)).has(anchor)) {
        broken.push(`${where}: ${name} has no heading #${anchor}`);
      }
    }
  }
  return { checked, broken };
}

Deno.test("githubAnchor() gives a heading the anchor GitHub gives it", () => {
  equal(githubAnchor("Quick start"), "quick-start");
  equal(githubAnchor("Lambda's lifecycle"), "lambdas-lifecycle");
  equal(
    githubAnchor("Managed Instances: many invocations at once"),
    "managed-instances-many-invocations-at-once",
  );
  equal(
    githubAnchor("Your own template: `handlers/template.base.yaml`"),
    "your-own-template-handlerstemplatebaseyaml",
  );
  equal(
    githubAnchor("When `deno compile` cannot get denort"),
    "when-deno-compile-cannot-get-denort",
  );
  equal(githubAnchor("See [the guide](docs/a.md) — now"), "see-the-guide--now");
  equal(githubAnchor("orders_queue, été"), "orders_queue-été");
});

Deno.test("headingAnchors() numbers repeated headings and skips lines in code", () => {
  const markdown = ["# Setup", "## Setup", "```sh", "# not a heading", "```", "### Setup ##"];
  deepEqual([...headingAnchors(markdown.join("\n"))], ["setup", "setup-1", "setup-2"]);
});

Deno.test("relativeLinks() finds links in prose only, and only those into the repository", () => {
  const markdown = [
    "See [the guide](docs/a.md#b), [a section](#here) and [code](../src/mod.ts 'title').",
    "Not [this](https://example.com/x.md) nor [mail](mailto:a@example.com) nor `[x](y.md)`.",
    "```md",
    "[fenced](missing.md)",
    "```",
    "A [link whose text",
    "wraps](docs/c.md).",
    "[ref]: docs/d.md",
  ].join("\n");
  deepEqual(relativeLinks(markdown), [
    { line: 1, target: "docs/a.md#b" },
    { line: 1, target: "#here" },
    { line: 1, target: "../src/mod.ts" },
    { line: 7, target: "docs/c.md" },
    { line: 8, target: "docs/d.md" },
  ]);
});

Deno.test("checkLinks() reports each broken link with its place, and passes the good ones", async () => {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-links-test-" });
  try {
    await Deno.mkdir(`${root}/docs`);
    await Deno.mkdir(`${root}/src`);
    await Deno.writeTextFile(`${root}/src/mod.ts`, "export {};\n");
    await Deno.writeTextFile(`${root}/docs/a.md`, "# Guide A\n\n## Set up, then run\n");
    await Deno.writeTextFile(
      `${root}/README.md`,
      [
        "# Intro",
        "[good](docs/a.md#set-up-then-run) [self](#intro) [source](src/mod.ts) [dir](src/)",
        "[line](src/mod.ts#L1)",
        "[gone](docs/missing.md)",
        "[no heading](docs/a.md#nope)",
        "[no section](#outro)",
        "[outside](../elsewhere.md)",
        "[anchor in code](src/mod.ts#top)",
      ].join("\n"),
    );
    const { checked, broken } = await checkLinks(root, ["README.md", "docs/a.md"]);
    equal(checked, 10);
    deepEqual(broken, [
      "README.md:4: docs/missing.md: docs/missing.md does not exist",
      "README.md:5: docs/a.md#nope: docs/a.md has no heading #nope",
      "README.md:6: #outro: README.md has no heading #outro",
      "README.md:7: ../elsewhere.md leads out of the repository",
      "README.md:8: src/mod.ts#top: #top can only name a line of src/mod.ts",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("every relative link in README.md and docs/ leads to a file and heading that exist", async () => {
  const files = await markdownFiles(ROOT);
  const { checked, broken } = await checkLinks(ROOT, files);
  // The README alone links to every guide: finding fewer links than files means a broken parser.
  ok(checked >= files.length, `only ${checked} links found in ${files.length} files`);
  deepEqual(broken, []);
});
