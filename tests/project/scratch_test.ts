import { equal, ok } from "node:assert/strict";

const SCRATCH = new URL("../_scratch.ts", import.meta.url).href;

Deno.test("scratchDir() directories are gone once the test run that made them ends", async () => {
  // A test run of its own, so that its end can be watched from here.
  const child = `
import { scratchDir } from ${JSON.stringify(SCRATCH)};
Deno.test("makes one", async () => {
  const dir = await scratchDir("lambdeno-scratch-test-");
  await Deno.writeTextFile(dir + "/file.txt", "x");
  console.log("DIR=" + dir);
});
`;
  const script = await Deno.makeTempFile({ prefix: "lambdeno-scratch-", suffix: "_test.ts" });
  try {
    await Deno.writeTextFile(script, child);
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "-A",
        "--no-check",
        "--config",
        new URL("../../deno.json", import.meta.url).pathname,
        script,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const out = new TextDecoder().decode(stdout);
    equal(code, 0, out);
    const dir = /DIR=(\S+)/.exec(out)?.[1];
    ok(dir !== undefined, out);
    const exists = await Deno.stat(dir).then(() => true, () => false);
    equal(exists, false, `${dir} is still there`);
  } finally {
    await Deno.remove(script);
  }
});
