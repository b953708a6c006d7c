/**
 * The public entry points document themselves completely: `deno doc --lint` finds no exported
 * symbol or member without JSDoc, and no public signature naming a type the entry point keeps
 * private.
 */

import { equal } from "node:assert/strict";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The entry points `deno.json` exports whose documentation is complete. */
const ENTRY_POINTS = ["src/mod.ts", "src/http/mod.ts"];

for (const entry of ENTRY_POINTS) {
  Deno.test(`deno doc --lint finds nothing to report in ${entry}`, async () => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--lint", entry],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    equal(code, 0, decoder.decode(stdout) + decoder.decode(stderr));
  });
}
