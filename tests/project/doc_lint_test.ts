/**
 * The public entry points document themselves: `deno doc --lint` finds no exported symbol or
 * member without JSDoc and, where the entry point is complete, nothing else either (no public
 * signature naming a type the entry point keeps private, no export without an explicit type).
 */

import { deepEqual, equal, notEqual } from "node:assert/strict";
import { type DenoRun, ROOT, runDeno } from "../_deno.ts";

/** Runs `deno doc --lint` on an entry point. */
function docLint(entry: string): Promise<DenoRun> {
  return runDeno(["doc", "--lint", entry]);
}

/** Each reported error as `kind at file:line`, for a message that says where to look. */
function errors(output: string, kind?: string): string[] {
  const found: string[] = [];
  for (const match of output.matchAll(/^error\[([\w-]+)\][^\n]*\n\s*--> ([^\n]+)/gm)) {
    if (kind === undefined || match[1] === kind) {
      found.push(`${match[1]} at ${match[2]!.replace(`${ROOT}/`, "")}`);
    }
  }
  return found;
}

for (const entry of ["src/mod.ts", "src/http/mod.ts", "src/emulator/mod.ts"]) {
  Deno.test(`deno doc --lint finds nothing to report in ${entry}`, async () => {
    const { code, output } = await docLint(entry);
    equal(code, 0, output);
  });
}

// The event schemas' types are inferred from zod: doc lint also asks for explicit types on them
// and for zod's own types to be exported, which only a change of the schemas' code can give.
// What every export and member needs is its documentation.
Deno.test("deno doc --lint finds no undocumented symbol in src/events/mod.ts", async () => {
  const { code, output } = await docLint("src/events/mod.ts");
  // A failure whose errors cannot be read must not pass for a clean run.
  if (code !== 0) notEqual(errors(output).length, 0, output);
  deepEqual(errors(output, "missing-jsdoc"), []);
});

Deno.test("errors() reads the kind and place of each doc lint error", () => {
  const output = [
    "error[missing-jsdoc]: exported symbol is missing JSDoc documentation",
    `  --> ${ROOT}/src/a.ts:3:12`,
    "   | ",
    "error[private-type-ref]: public type 'A' references private type 'B'",
    `  --> ${ROOT}/src/b.ts:9:1`,
  ].join("\n");
  deepEqual(errors(output), ["missing-jsdoc at src/a.ts:3:12", "private-type-ref at src/b.ts:9:1"]);
  deepEqual(errors(output, "missing-jsdoc"), ["missing-jsdoc at src/a.ts:3:12"]);
});
