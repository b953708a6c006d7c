import { deepEqual, equal, throws } from "node:assert/strict";
import { parseBuildArgs } from "../../src/builder/command/args.ts";
import { compileArgs, envFileText } from "../../src/builder/layouts/compile_args.ts";
import {
  DEFAULT_PERMISSIONS,
  functionPermissions,
  permissionFlags,
} from "../../src/builder/layouts/permissions.ts";

function argsFor(cli: string[]): string[][] {
  const options = parseBuildArgs(cli);
  return options.arches.map((arch) =>
    compileArgs({
      arch,
      entrypoint: "src/main.ts",
      includes: ["handlers/_data/x.idx"],
      output: `dist/${arch}/bootstrap`,
      permissions: DEFAULT_PERMISSIONS,
      // The build checks types before bundling; the compiled bundle is JavaScript.
      check: false,
    })
  );
}

Deno.test("compileArgs() builds both Linux targets by default, each to its own bootstrap", () => {
  const [x86, arm] = argsFor([]);
  deepEqual(x86, [
    "compile",
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "dist/x86_64/bootstrap",
    "--no-check",
    "--include",
    "handlers/_data/x.idx",
    "--allow-all",
    "src/main.ts",
  ]);
  equal(arm?.[2], "aarch64-unknown-linux-gnu");
  equal(arm?.[4], "dist/arm64/bootstrap");
});

Deno.test("compileArgs() compiles one target for --arch x86_64 and for --arch arm64", () => {
  const x86 = argsFor(["--arch", "x86_64"]);
  equal(x86.length, 1);
  equal(x86[0]?.[2], "x86_64-unknown-linux-gnu");
  const arm = argsFor(["--arch=arm64"]);
  equal(arm.length, 1);
  equal(arm[0]?.[2], "aarch64-unknown-linux-gnu");
});

Deno.test("compileArgs() embeds node_modules/ and resolves bare imports there when it ships", () => {
  const args = compileArgs({
    arch: "x86_64",
    entrypoint: "handlers/_bootstrap.js",
    includes: ["handlers/_data/x.idx"],
    output: "dist/x86_64/bootstrap",
    permissions: DEFAULT_PERMISSIONS,
    check: false,
    nodeModules: true,
  });
  deepEqual(args.slice(5, 11), [
    "--no-check",
    "--node-modules-dir=manual",
    "--include",
    "handlers/_data/x.idx",
    "--include",
    "node_modules/",
  ]);
  equal(args.at(-1), "handlers/_bootstrap.js");
  const without = compileArgs({
    arch: "x86_64",
    entrypoint: "handlers/_bootstrap.js",
    includes: [],
    output: "dist/x86_64/bootstrap",
    permissions: DEFAULT_PERMISSIONS,
    check: false,
  });
  equal(without.some((a) => a.includes("node_modules")), false);
});

Deno.test("parseBuildArgs() type-checks by default; --no-check skips it", () => {
  equal(parseBuildArgs([]).check, true);
  equal(parseBuildArgs(["--no-check"]).check, false);
  equal(parseBuildArgs(["--check"]).check, true);
});

Deno.test("parseBuildArgs() builds deno-run with a deno layer by default; --no-layer is self-contained", () => {
  const defaults = parseBuildArgs([]);
  equal(defaults.layout, "deno-run");
  equal(defaults.layer, true);
  equal(parseBuildArgs(["--no-layer"]).layer, false);
  equal(parseBuildArgs(["--layer=false"]).layer, false);
  equal(parseBuildArgs(["--layout", "compiled"]).layer, false);
});

Deno.test("compileArgs() bakes in a function's narrowed permissions, with what the runtime needs", () => {
  const args = compileArgs({
    arch: "arm64",
    entrypoint: "handlers/_bootstrap.js",
    includes: [],
    output: "bootstrap",
    permissions: functionPermissions({
      read: ["/tmp", "/opt/data"],
      net: ["example.com:443"],
      sys: ["hostname"],
    }),
    check: false,
  });
  deepEqual(args.filter((a) => a.startsWith("--allow")), [
    "--allow-net=example.com:443,127.0.0.1",
    "--allow-env",
    "--allow-sys=hostname",
    "--allow-read=/tmp,/opt/data,/var/task",
  ]);
});

Deno.test("compileArgs() embeds the env file that points DENO_DIR at /tmp", () => {
  const args = compileArgs({
    arch: "x86_64",
    entrypoint: "src/main.ts",
    includes: ["handlers/"],
    output: "bootstrap",
    permissions: DEFAULT_PERMISSIONS,
    envFile: "/tmp/x/runtime.env",
    check: false,
  });
  equal(args.includes("--env-file=/tmp/x/runtime.env"), true);
  equal(envFileText({ DENO_DIR: "/tmp/deno_dir" }), "DENO_DIR=/tmp/deno_dir\n");
});

Deno.test("compileArgs() bakes in the V8 flags, and needs no includes for a bundle", () => {
  const args = compileArgs({
    arch: "x86_64",
    entrypoint: "handlers/_bootstrap.js",
    includes: [],
    output: "bootstrap",
    permissions: DEFAULT_PERMISSIONS,
    check: false,
    v8Flags: ["--max-semi-space-size=6", "--max-old-space-size=116"],
  });
  equal(args.includes("--v8-flags=--max-semi-space-size=6,--max-old-space-size=116"), true);
  equal(args.includes("--include"), false);
  equal(args.at(-1), "handlers/_bootstrap.js");
});

Deno.test("permissionFlags() rejects a path Deno would split at its comma", () => {
  throws(
    () => permissionFlags({ ...DEFAULT_PERMISSIONS, read: ["/a,b"] }),
    /Cannot use --allow-read/,
  );
});

Deno.test("parseBuildArgs() reads layouts, handlers and template defaults", () => {
  const options = parseBuildArgs([
    "--layout=deno-run",
    "--layer",
    "--handlers",
    "echo, hello",
    "--memory",
    "512",
    "--timeout=30",
    "--out",
    "build",
  ]);
  equal(options.layout, "deno-run");
  equal(options.layer, true);
  deepEqual(options.handlers, ["echo", "hello"]);
  equal(options.memorySize, 512);
  equal(options.timeout, 30);
  equal(options.outDir, "build");
  deepEqual(parseBuildArgs([]).arches, ["x86_64", "arm64"]);
});

Deno.test("parseBuildArgs() names the mistake", () => {
  throws(() => parseBuildArgs(["--arch", "amd64"]), /--arch must be x86_64, arm64 or all/);
  throws(() => parseBuildArgs(["--layout", "zip"]), /--layout must be compiled or deno-run/);
  throws(
    () => parseBuildArgs(["--layout", "compiled", "--no-layer"]),
    /--layer and --no-layer only apply to --layout deno-run/,
  );
  throws(() => parseBuildArgs(["--memory", "64"]), /--memory must be an integer from 128/);
  throws(() => parseBuildArgs(["--allow-sys"]), /--allow-sys is not a build option.*config/);
  throws(() => parseBuildArgs(["--deny-net=x"]), /--deny-net is not a build option/);
  throws(() => parseBuildArgs(["--frobnicate"]), /unknown option "--frobnicate"/);
  throws(() => parseBuildArgs(["--out"]), /--out needs a value/);
});
