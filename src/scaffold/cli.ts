/**
 * `deno task new NAME --kind KIND`: writes a new function's handler, test and sample event (see
 * `scaffold.ts`) into the project in the current directory, and says how to run them.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { KINDS, scaffold } from "./scaffold.ts";

/**
 * Runs the command.
 *
 * @param args The arguments after `deno task new`.
 * @param root The project's directory.
 * @param out Where the report goes.
 * @returns The exit status.
 * @throws {TypeError} If the arguments, the name or the kind are wrong, or a file exists.
 */
export async function main(
  args: readonly string[],
  root: string,
  out: (text: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { kind: { type: "string", short: "k" }, help: { type: "boolean", short: "h" } },
  });
  const [name, ...rest] = positionals;
  if (values.help === true || name === undefined) {
    out(_usage());
    return name === undefined && values.help !== true ? 1 : 0;
  }
  if (rest.length > 0) throw new TypeError(`Cannot create function "${name}": one name at a time`);
  if (values.kind === undefined) {
    throw new TypeError(
      `Cannot create function "${name}": say what invokes it with --kind (${
        Object.keys(KINDS).join(", ")
      })`,
    );
  }
  const made = await scaffold(root, name, values.kind);
  const [handler, test, event] = made.files as [string, string, string];
  const width = Math.max(handler.length, test.length, event.length);
  const lines = [
    `Created the ${values.kind} function ${name}:`,
    `  ${handler.padEnd(width)}  the handler and its config`,
    `  ${test.padEnd(width)}  its test: deno test -A ${test}`,
    `  ${event.padEnd(width)}  a sample event for the test and for deno task invoke`,
    `Try it: ${made.tryIt}`,
  ];
  if (made.resource !== undefined) {
    lines.push(
      "Before deploying, declare what invokes it in handlers/template.base.yaml:",
      ...made.resource.split("\n").map((line) => `  ${line}`),
    );
  }
  out(`${lines.join("\n")}\n`);
  return 0;
}

function _usage(): string {
  const lines = ["Usage: deno task new NAME --kind KIND", "", "Kinds:"];
  for (const [kind, { description }] of Object.entries(KINDS)) {
    lines.push(`  ${kind.padEnd(14)} ${description}`);
  }
  lines.push(
    "",
    "Writes handlers/NAME.ts (the handler and its config), tests/NAME_test.ts and",
    "events/NAME.json (a sample event); an existing file is never overwritten.",
  );
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  try {
    Deno.exit(
      await main(Deno.args, Deno.cwd(), (text) => Deno.stdout.writeSync(encoder.encode(text))),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
