import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { parseBuildArgs } from "../../src/builder/command/args.ts";
import { artifactGroups } from "../../src/builder/functions/artifact_groups.ts";
import { assetFiles, declaredAssets } from "../../src/builder/functions/assets.ts";
import { DenortMissingError } from "../../src/builder/layouts/denort.ts";
import { checkDenortBinary } from "../../src/builder/layouts/denort_check.ts";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import { bundleFunctions, registryModule } from "../../src/builder/bundling/function_bundle.ts";
import { checkUnzippedSize } from "../../src/builder/command/report.ts";
import { build, type BuildContext } from "../../src/builder/command/run_build.ts";
import { samTemplate } from "../../src/builder/template/template.ts";
import { readZip } from "../../src/builder/archives/zip.ts";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const isX86Linux = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

/** A project root with the real src/ and deno.json and the given handler modules. */
async function project(handlers: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-artifact-test-" });
  await Deno.symlink(`${ROOT}/src`, `${root}/src`);
  await Deno.copyFile(`${ROOT}/deno.json`, `${root}/deno.json`);
  await Deno.copyFile(`${ROOT}/deno.lock`, `${root}/deno.lock`);
  for (const [name, text] of Object.entries(handlers)) {
    const path = `${root}/handlers/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return root;
}

function context(root: string, denortBin?: string): BuildContext {
  return {
    root,
    deno: Deno.execPath(),
    denoVersion: Deno.version.deno,
    denoDir: `${root}/no-deno-dir`,
    denortBin,
    npmRegistry: "http://127.0.0.1:9/",
    cacheDir: `${root}/cache`,
    reachable: () => Promise.resolve(false),
    log: () => {},
  };
}

/** Every path under a directory, sorted, with file contents. */
async function tree(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      if (entry.isDirectory) await walk(full);
      else found.push(`${full.slice(dir.length)} ${await Deno.readTextFile(full)}`);
    }
  };
  await walk(dir);
  return found.sort();
}

Deno.test("checkDenortBinary() refuses the full deno binary, with a way out", async () => {
  const deno = await Deno.readFile(Deno.execPath());
  throws(
    () => checkDenortBinary("/usr/local/bin/deno", deno, isX86Linux ? "x86_64" : "arm64"),
    (error) => {
      ok(error instanceof DenortMissingError);
      match(error.message, /DENORT_BIN=\/usr\/local\/bin\/deno: it is the full deno binary/);
      match(error.message, /--layout deno-run/);
      return true;
    },
  );
});

Deno.test("checkDenortBinary() refuses a binary for the other architecture", {
  ignore: !isX86Linux,
}, async () => {
  const deno = await Deno.readFile(Deno.execPath());
  throws(() => checkDenortBinary("/x/denort", deno, "arm64"), /built for x86_64/);
});

Deno.test("checkDenortBinary() refuses a file that is no executable", () => {
  throws(
    () => checkDenortBinary("/x/denort", new TextEncoder().encode("denort"), "x86_64"),
    /DENORT_BIN=\/x\/denort: it is not a Linux executable/,
  );
});

Deno.test("a compiled build with DENORT_BIN pointing at deno fails before writing anything", async () => {
  const root = await project({ "echo.ts": "export const handler = (e: unknown) => e;\n" });
  try {
    const options = parseBuildArgs([
      "--layout",
      "compiled",
      "--arch",
      isX86Linux ? "x86_64" : "arm64",
      "--out",
      "dist",
    ]);
    await rejects(build(options, context(root, Deno.execPath())), /it is the full deno binary/);
    deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), [
      "deno.json",
      "deno.lock",
      "handlers",
      "src",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("functionsOf() reads assets, and rejects a list that is not of paths", () => {
  const fn = () => 1;
  deepEqual(
    functionsOf("site", { handler: fn, config: { handler: { assets: ["public/"] } } })[0]?.config,
    { assets: ["public/"] },
  );
  throws(
    () => functionsOf("site", { handler: fn, config: { handler: { assets: "public/" } } }),
    /Cannot deploy site\.handler: assets must be a list of relative paths/,
  );
});

Deno.test("declaredAssets() resolves paths against the module and keeps them in handlers/", () => {
  const modules = [{ name: "geo", fileName: "geo.ts" }, { name: "site", fileName: "site.ts" }];
  deepEqual(
    declaredAssets(modules, [
      { file: "geo", exportName: "handler", config: { assets: ["./_data/x.idx"] } },
      { file: "site", exportName: "handler", config: { assets: ["public/", "_data/x.idx"] } },
      { file: "other", exportName: "handler", config: { assets: ["never.txt"] } },
    ]),
    [
      { module: "handlers/geo.ts", path: "handlers/_data/x.idx" },
      { module: "handlers/site.ts", path: "handlers/public/" },
    ],
  );
  for (const bad of ["../../deno.json", "/etc/passwd", "."]) {
    throws(
      () =>
        declaredAssets([modules[0]!], [
          { file: "geo", exportName: "handler", config: { assets: [bad] } },
        ]),
      /Cannot ship asset .* of handlers\/geo\.ts: an asset is a path relative to its module/,
    );
  }
});

Deno.test("declaredAssets() keeps file names as written: spaces, #, ? and % are not URL syntax", () => {
  const modules = [{ name: "site", fileName: "pages/site.ts" }];
  const assets = ["my file.txt", "a#b.txt", "why?.txt", "%41.txt", "é.txt", "sub dir/"];
  deepEqual(
    declaredAssets(modules, [{ file: "site", exportName: "handler", config: { assets } }])
      .map((asset) => asset.path),
    [
      "handlers/pages/%41.txt",
      "handlers/pages/a#b.txt",
      "handlers/pages/my file.txt",
      "handlers/pages/sub dir/",
      "handlers/pages/why?.txt",
      "handlers/pages/é.txt",
    ],
  );
});

Deno.test("assetFiles() names a missing asset and the module that declared it", async () => {
  await rejects(
    assetFiles(ROOT, [{ module: "handlers/geocoder.ts", path: "handlers/_data/missing.idx" }]),
    /Cannot ship handlers\/_data\/missing\.idx: handlers\/geocoder\.ts declares it as an asset/,
  );
  const files = await assetFiles(ROOT, [{ module: "handlers/site.ts", path: "handlers/public/" }]);
  ok(files.some((f) => f.path === "handlers/public/index.html"));
});

Deno.test("checkUnzippedSize() refuses more than 250 MB and names the largest files", () => {
  const file = (path: string, size: number) => ({ path, data: new Uint8Array(size) });
  checkUnzippedSize("dist/x86_64/function.zip", [file("a", 10)], 10);
  throws(
    () => checkUnzippedSize("dist/x86_64/function.zip", [file("a", 6), file("bin/deno", 5)], 10),
    /Cannot build dist\/x86_64\/function\.zip: it unzips to 11 B, over .*largest: a 6 B, bin\/deno 5 B/,
  );
});

Deno.test("a build with a missing asset fails naming it, and leaves the output as it was", async () => {
  const root = await project({
    "geo.ts": `export const handler = () => 1;\n` +
      `export const config = { handler: { assets: ["_data/cities.idx"] } };\n`,
  });
  try {
    await Deno.mkdir(`${root}/dist/x86_64`, { recursive: true });
    await Deno.writeTextFile(`${root}/dist/x86_64/function.zip`, "the previous build");
    const options = parseBuildArgs(["--layout", "deno-run", "--arch", "x86_64"]);
    await rejects(
      build(options, context(root)),
      /Cannot ship handlers\/_data\/cities\.idx: handlers\/geo\.ts declares it/,
    );
    deepEqual(await tree(`${root}/dist`), ["/x86_64/function.zip the previous build"]);
    deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), [
      "deno.json",
      "deno.lock",
      "dist",
      "handlers",
      "src",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bundleFunctions() names the handler whose imports cannot be bundled", async () => {
  const root = await project({
    "broken.ts": `import { gone } from "./_lib/gone.ts";\nexport const handler = () => gone;\n`,
  });
  try {
    await rejects(
      bundleFunctions({
        root,
        modules: [{ name: "broken", fileName: "broken.ts" }],
        workDir: `${root}/work`,
        output: `${root}/work/out.js`,
        deno: Deno.execPath(),
      }),
      (error) => {
        ok(error instanceof Error);
        match(error.message, /^Cannot bundle handlers\/broken\.ts with the runtime/);
        match(error.message, /gone\.ts/);
        return true;
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("parseBuildArgs() reads --group, and refuses a malformed or repeated one", () => {
  deepEqual(parseBuildArgs(["--group", "web=hello, site", "--group=jobs=scheduled"]).groups, {
    web: ["hello", "site"],
    jobs: ["scheduled"],
  });
  deepEqual(parseBuildArgs([]).groups, {});
  throws(() => parseBuildArgs(["--group", "web"]), /--group needs NAME=module,module/);
  throws(() => parseBuildArgs(["--group", "a b=x"]), /--group needs NAME=module,module/);
  throws(
    () => parseBuildArgs(["--group", "a=x,y", "--group", "b=y"]),
    /--group b repeats a group or a module/,
  );
});

Deno.test("artifactGroups() gives each module its own artifact unless grouped", () => {
  const m = (name: string) => ({ name, fileName: `${name}.ts` });
  deepEqual(
    artifactGroups([m("echo"), m("location")], {}).map((g) => g.name),
    ["echo", "location"],
  );
  throws(
    () => artifactGroups([m("echo")], { web: ["echo", "site"] }),
    /Cannot group site into web: it is not a handler module being built/,
  );
  throws(() => artifactGroups([m("echo"), m("web")], { web: ["echo"] }), /two artifacts web/);
});

Deno.test("samTemplate() points each function at its own artifact", () => {
  const template = samTemplate({
    functions: [
      { file: "echo", exportName: "handler", config: {} },
      { file: "hello", exportName: "handler", config: {} },
    ],
    arch: "arm64",
    codeUri: (fn) => `arm64/${fn.file === "hello" ? "web" : fn.file}/function.zip`,
    memorySize: 128,
    timeout: 3,
  });
  const resources = template.Resources as Record<string, { Properties: { CodeUri: string } }>;
  equal(resources.EchoHandler?.Properties.CodeUri, "arm64/echo/function.zip");
  equal(resources.HelloHandler?.Properties.CodeUri, "arm64/web/function.zip");
});

Deno.test("a compiled build bakes the V8 flags in and embeds the declared assets", async () => {
  const root = await project({
    "geo.ts": `export const handler = () => 1;\n` +
      `export const config = { handler: { memorySize: 256, assets: ["_data/x.idx"] } };\n`,
    "_data/x.idx": "index",
  });
  try {
    // denort cannot be had here: a stand-in ELF file passes the check, and a `deno` that
    // records what `deno compile` was asked stands in for compiling.
    const denort = new Uint8Array(64);
    denort.set([0x7f, 0x45, 0x4c, 0x46], 0);
    denort[18] = 62;
    await Deno.writeFile(`${root}/denort`, denort);
    const deno = `${root}/deno`;
    await Deno.writeTextFile(
      deno,
      `#!/bin/sh\nif [ "$1" = compile ]; then\n  pwd > "${root}/compile-cwd"\n` +
        `  printf '%s\\n' "$@" > "${root}/compile-args"\n` +
        `  while [ "$1" != --output ]; do shift; done; printf binary > "$2"; exit 0\nfi\n` +
        `exec ${Deno.execPath()} "$@"\n`,
      { mode: 0o755 },
    );
    const options = parseBuildArgs(["--layout", "compiled", "--arch", "x86_64", "--out", "dist"]);
    await build(options, { ...context(root, `${root}/denort`), deno });
    const args = (await Deno.readTextFile(`${root}/compile-args`)).trim().split("\n");
    ok(args.includes("--v8-flags=--max-semi-space-size=12,--max-old-space-size=231"), `${args}`);
    deepEqual(args.filter((_, i) => args[i - 1] === "--include"), [
      "handlers/_data/x.idx",
      "handlers/_bootstrap.js.map",
    ]);
    equal(args.at(-1), "handlers/_bootstrap.js");
    const cwd = (await Deno.readTextFile(`${root}/compile-cwd`)).trim();
    ok(!cwd.startsWith(root), "compiled from a staging directory, not the project");
    const zip = await Deno.readFile(`${root}/dist/x86_64/geo/function.zip`);
    deepEqual(readZip(zip).map((e) => [e.path, e.mode]), [
      ["bootstrap", 0o755],
      ["handlers/_data/x.idx", 0o644],
    ]);
    equal(await Deno.readTextFile(`${root}/dist/x86_64/geo/bootstrap`), "binary");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("registryModule() imports handlers and the runtime from a root whose path has # and %", () => {
  const text = registryModule("/p/a#b%41", [{ name: "echo", fileName: "echo.ts" }]);
  ok(text.includes(`import("file:///p/a%23b%2541/handlers/echo.ts")`), text);
  ok(text.includes(`from "file:///p/a%23b%2541/src/runtime/bundled_handlers.ts"`), text);
});
