// deno task new: what it refuses, and that what it writes, for every kind, type-checks, lints, is
// formatted and passes its own test in a scratch copy of the project.
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { KINDS, scaffold } from "../../src/scaffold/scaffold.ts";
import { ROOT } from "../_deno.ts";

/** A scratch project: the repository's configuration, its src/ linked in, nothing else. */
async function scratchProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-new-" });
  for (const file of ["deno.json", "deno.lock"]) {
    await Deno.copyFile(`${ROOT}/${file}`, `${dir}/${file}`);
  }
  await Deno.symlink(`${ROOT}/src`, `${dir}/src`);
  return dir;
}

async function deno(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("deno task new writes every kind so that it checks, lints, is formatted and passes its test", async () => {
  const dir = await scratchProject();
  try {
    const kinds = Object.keys(KINDS);
    const runs = await Promise.all(
      kinds.map((kind) => deno(dir, ["task", "-q", "new", `my-${kind}`, "--kind", kind])),
    );
    runs.forEach((made, i) => {
      equal(made.code, 0, made.output);
      match(made.output, new RegExp(`^Created the ${kinds[i]} function my-${kinds[i]}:`));
    });
    for (
      const args of [["check", "handlers", "tests"], ["lint", "handlers", "tests"], [
        "fmt",
        "--check",
        "handlers",
        "tests",
        "events",
      ]]
    ) {
      const run = await deno(dir, args);
      equal(run.code, 0, `deno ${args.join(" ")}:\n${run.output}`);
    }
    // Checked above: the tests need not be checked again.
    const tested = await deno(dir, ["test", "-A", "--no-check", "tests/"]);
    equal(tested.code, 0, tested.output);
    for (const kind of kinds) ok(tested.output.includes(`from ./tests/my-${kind}_test.ts`), kind);
    match(tested.output, /ok \| \d+ passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task new refuses a bad name, an unknown kind and a place that is not a project", async () => {
  const dir = await scratchProject();
  try {
    for (
      const [name, why] of [
        ["9lives", /a name is a letter, then letters, digits, - and _/],
        ["has space", /a name is a letter/],
        ["../escape", /a name is a letter/],
        ["x".repeat(65), /at most 64 in all/],
        ["orders_test", /a module ending in _test is a test, not a function/],
        ["function", /the Invoke API takes that name for the default function/],
      ] as const
    ) {
      await rejects(scaffold(dir, name, "plain"), (error: Error) => {
        return error instanceof TypeError && why.test(error.message) &&
          error.message.startsWith(`Cannot create function "${name}": `);
      });
    }
    await rejects(scaffold(dir, "orders", "cron"), /there is no kind "cron" \(there are http-api,/);
    await rejects(
      scaffold(`${dir}/handlers`, "orders", "plain"),
      /has no src\/mod\.ts; run deno task new from the project's root/,
    );
    const usage = await deno(dir, ["task", "-q", "new", "orders"]);
    equal(usage.code, 1);
    match(usage.output, /say what invokes it with --kind \(http-api, rest-api, function-url/);
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "deno.json",
      "deno.lock",
      "src",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task new overwrites nothing: one file in the way and none is written", async () => {
  const dir = await scratchProject();
  try {
    await Deno.mkdir(`${dir}/tests`);
    await Deno.writeTextFile(`${dir}/tests/orders_test.ts`, "// mine\n");
    await rejects(
      scaffold(dir, "orders", "sqs"),
      /Cannot create function "orders": tests\/orders_test\.ts already exists; nothing was written/,
    );
    equal(await Deno.readTextFile(`${dir}/tests/orders_test.ts`), "// mine\n");
    await rejects(Deno.stat(`${dir}/handlers/orders.ts`), Deno.errors.NotFound);
    // A module of that name in another language is the same function.
    await Deno.mkdir(`${dir}/handlers`);
    await Deno.writeTextFile(`${dir}/handlers/users.mjs`, "export const handler = () => 1;\n");
    await rejects(scaffold(dir, "users", "plain"), /handlers\/users\.mjs already exists/);
    await rejects(Deno.stat(`${dir}/events/users.json`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
