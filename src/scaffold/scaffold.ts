/**
 * `deno task new`: a new function in a project, of a kind (an HTTP API route, an SQS consumer…),
 * as three files — the handler with its `config` (`handlers/NAME.ts`), its test
 * (`tests/NAME_test.ts`) and a sample event (`events/NAME.json`) that both the test and
 * `deno task invoke` use. Nothing is overwritten: if one of the files exists, none is written.
 *
 * @example Write a plain function into a scratch project
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scaffold } from "./scaffold.ts";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/src`);
 * await Deno.writeTextFile(`${root}/src/mod.ts`, "");
 * const made = await scaffold(root, "greet", "plain");
 * deepEqual(made.files, ["handlers/greet.ts", "tests/greet_test.ts", "events/greet.json"]);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @module
 */

import { EVENT_KINDS } from "./event_kinds.ts";
import { HTTP_KINDS } from "./http_kinds.ts";
import { type Kind, type Names, pascalCase } from "./kind.ts";

/** Every kind, by name, in the order `deno task new` lists them. */
export const KINDS: Readonly<Record<string, Kind>> = { ...HTTP_KINDS, ...EVENT_KINDS };

/** What {@linkcode scaffold} wrote, and what is left to do. */
export interface Scaffolded {
  /** The files written, relative to the project. */
  readonly files: readonly string[];
  /** The resource to declare in `handlers/template.base.yaml` before deploying, if any. */
  readonly resource: string | undefined;
  /** How to run it on this machine: `deno task dev, then curl …`. */
  readonly tryIt: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks a new function's name.
 *
 * @param name The name asked for.
 * @returns Its names for files and identifiers.
 * @throws {TypeError} If it cannot name a function: the message says why.
 */
export function checkName(name: string): Names {
  if (!NAME.test(name)) {
    throw new TypeError(
      `Cannot create function "${name}": a name is a letter, then letters, digits, - and _, at ` +
        "most 64 in all (it names the module, the Lambda function and its URL path)",
    );
  }
  if (/_test$/.test(name)) {
    throw new TypeError(
      `Cannot create function "${name}": a module ending in _test is a test, not a function`,
    );
  }
  if (name === "function") {
    throw new TypeError(
      'Cannot create function "function": the Invoke API takes that name for the default function',
    );
  }
  return { name, pascal: pascalCase(name) };
}

/**
 * Writes a new function's handler, test and sample event into a project.
 *
 * @param root The project's directory (where `src/mod.ts` is).
 * @param name The function's name.
 * @param kind Its kind: a key of {@linkcode KINDS}.
 * @returns The files written and what is left to do.
 * @throws {TypeError} If the name or the kind is wrong, `root` is not a Lambdeno project, or a
 * file to write exists (then none is written).
 */
export async function scaffold(root: string, name: string, kind: string): Promise<Scaffolded> {
  const names = checkName(name);
  const found = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (found === undefined) {
    throw new TypeError(
      `Cannot create function "${name}": there is no kind "${kind}" (there are ` +
        `${Object.keys(KINDS).join(", ")})`,
    );
  }
  if (!(await _exists(`${root}/src/mod.ts`))) {
    throw new TypeError(
      `Cannot create function "${name}": ${root} has no src/mod.ts; run deno task new from the ` +
        "project's root",
    );
  }
  const files: [string, string][] = [
    [`handlers/${name}.ts`, found.handler(names)],
    [`tests/${name}_test.ts`, found.test(names)],
    [`events/${name}.json`, `${JSON.stringify(found.event(names), null, 2)}\n`],
  ];
  const taken: string[] = [];
  for (const [path] of files) if (await _exists(`${root}/${path}`)) taken.push(path);
  // A module of the same name with another extension would be the same function.
  for await (const entry of _entries(`${root}/handlers`)) {
    if (entry !== `${name}.ts` && entry.replace(/\.[^.]+$/, "") === name) {
      taken.push(`handlers/${entry}`);
    }
  }
  if (taken.length > 0) {
    throw new TypeError(
      `Cannot create function "${name}": ${taken.join(", ")} already exist${
        taken.length === 1 ? "s" : ""
      }; nothing was written (pick another name, or remove ${taken.length === 1 ? "it" : "them"})`,
    );
  }
  const written: string[] = [];
  try {
    for (const [path, text] of files) {
      await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
      await Deno.writeTextFile(`${root}/${path}`, text, { createNew: true });
      written.push(path);
    }
  } catch (error) {
    // Half a function is worse than none.
    for (const path of written) await Deno.remove(`${root}/${path}`);
    throw error;
  }
  return {
    files: files.map(([path]) => path),
    resource: found.resource?.(names),
    tryIt: found.tryIt(names),
  };
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function* _entries(dir: string): AsyncGenerator<string> {
  try {
    for await (const entry of Deno.readDir(dir)) yield entry.name;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
