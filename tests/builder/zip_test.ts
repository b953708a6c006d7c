import { deepEqual, equal, throws } from "node:assert/strict";
import { bootstrapScript, denoRunArtifact } from "../../src/builder/layouts/deno_run_layout.ts";
import { DEFAULT_PERMISSIONS, functionPermissions } from "../../src/builder/layouts/permissions.ts";
import { readZip, writeZip } from "../../src/builder/archives/zip.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("writeZip() marks entries as made on Unix with their modes", () => {
  const zip = writeZip([
    { path: "bootstrap", data: text("#!/bin/sh\n"), mode: 0o755 },
    { path: "app/src/main.ts", data: text("export {};\n".repeat(100)), mode: 0o644 },
  ]);
  const entries = readZip(zip);
  deepEqual(
    entries.map((e) => [e.path, e.madeBy, e.mode?.toString(8)]),
    [["app/src/main.ts", 3, "644"], ["bootstrap", 3, "755"]],
  );
  equal(new TextDecoder().decode(entries[1]?.read()), "#!/bin/sh\n");
  equal(entries[0]?.size, 1100);
  equal((entries[0]?.compressedSize ?? 0) < 1100, true);
});

Deno.test("writeZip() gives the same bytes for the same files", () => {
  const files = [{ path: "a", data: text("a"), mode: 0o644 }, {
    path: "b",
    data: text("b"),
    mode: 0o755,
  }];
  deepEqual(writeZip(files), writeZip([...files].reverse()));
});

Deno.test("writeZip() refuses paths that leave the archive, and duplicates", () => {
  throws(() => writeZip([{ path: "/etc/x", data: text(""), mode: 0o644 }]), /must be relative/);
  throws(() => writeZip([{ path: "a/../../x", data: text(""), mode: 0o644 }]), /stay inside/);
  throws(
    () =>
      writeZip([{ path: "a", data: text(""), mode: 0o644 }, {
        path: "a",
        data: text(""),
        mode: 0o644,
      }]),
    /appears twice/,
  );
});

Deno.test("readZip() rejects bytes that are not a zip", () => {
  throws(() => readZip(text("not a zip at all, no end record here")), /Cannot read the zip/);
});

Deno.test("the deno-run function zip holds bootstrap, deno, the bundle and the assets, no more", () => {
  const artifact = denoRunArtifact({
    bundle: text("// the function bundle\n"),
    assets: [{ path: "handlers/_data/x.idx", data: text("x"), mode: 0o644 }],
    permissions: DEFAULT_PERMISSIONS,
    deno: text("\x7fELF stand-in for deno"),
    layer: false,
  });
  equal(artifact.layer, undefined);
  const entries = readZip(writeZip(artifact.function));
  deepEqual(
    entries.map((e) => [e.path, e.mode, e.madeBy]),
    [
      ["bin/deno", 0o755, 3],
      ["bootstrap", 0o755, 3],
      ["handlers/_bootstrap.js", 0o644, 3],
      ["handlers/_data/x.idx", 0o644, 3],
    ],
  );
});

Deno.test("with a layer, deno goes in the layer zip and the function zip stays slim", () => {
  const artifact = denoRunArtifact({
    bundle: text("// the function bundle\n"),
    assets: [],
    permissions: DEFAULT_PERMISSIONS,
    deno: text("deno"),
    layer: true,
  });
  deepEqual(readZip(writeZip(artifact.layer ?? [])).map((e) => [e.path, e.mode]), [
    ["bin/deno", 0o755],
  ]);
  deepEqual(artifact.function.map((f) => f.path), ["bootstrap", "handlers/_bootstrap.js"]);
});

Deno.test("bootstrapScript() runs the bundle offline with the permissions and its own directory", () => {
  const script = bootstrapScript(functionPermissions({ read: ["/data dir"], write: ["/tmp"] }));
  equal(script.startsWith("#!/bin/sh\n"), true);
  equal(
    script.includes('exec "$DENO" run --no-config --cached-only --no-code-cache --no-prompt "$@"'),
    true,
  );
  equal(script.includes(`"--allow-read=$ROOT,$APP",'/data dir',/var/task`), true);
  equal(script.trimEnd().endsWith('"$APP/handlers/_bootstrap.js"'), true, script);
  equal(script.includes("APP=$ROOT\n"), true);
  equal(script.includes("ln -sfn"), false);
  equal(script.includes("--allow-write=/tmp"), true);
  equal(
    script.includes('DENO_DIR="${LAMBDENO_DENO_DIR:-${TMPDIR:-/tmp}/lambdeno-deno-dir}"'),
    true,
  );
});

Deno.test("bootstrapScript() grants everything by default, as Node.js does", () => {
  const script = bootstrapScript(DEFAULT_PERMISSIONS);
  equal(
    script.includes(`"$@" \\\n  --allow-all \\\n  "$APP/handlers/_bootstrap.js"`),
    true,
    script,
  );
  equal(script.includes("--allow-read"), false);
});

/** Runs the script's V8 sizing in `sh` and prints the arguments it leaves. */
async function v8Args(memory: string | undefined): Promise<string> {
  const script = bootstrapScript(DEFAULT_PERMISSIONS);
  const sizing = script.slice(script.indexOf("set --"), script.indexOf("exec "));
  const output = await new Deno.Command("/bin/sh", {
    args: ["-c", `${sizing}\necho "$#:$*"`],
    clearEnv: true,
    env: memory === undefined ? {} : { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory },
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("bootstrapScript() sizes V8 from AWS_LAMBDA_FUNCTION_MEMORY_SIZE as Node.js does", async () => {
  equal(await v8Args("128"), "1:--v8-flags=--max-semi-space-size=6,--max-old-space-size=116");
  equal(await v8Args("1024"), "1:--v8-flags=--max-semi-space-size=51,--max-old-space-size=922");
  equal(await v8Args(undefined), "0:");
  equal(await v8Args("12x"), "0:");
});

Deno.test("bootstrapScript() leaves V8's defaults for a memory size sh cannot read as decimal", async () => {
  // sh reads a leading 0 as octal and stops the script on 08 or 0128; 0 would size V8 to nothing.
  equal(await v8Args("0128"), "0:");
  equal(await v8Args("08"), "0:");
  equal(await v8Args("0"), "0:");
  equal(await v8Args("99999999999999999999999"), "0:");
  equal(
    await v8Args("10240"),
    "1:--v8-flags=--max-semi-space-size=512,--max-old-space-size=9216",
  );
});

Deno.test("bootstrapScript() runs the bundle through the link its shipped analysis was made for", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "lambdeno-link-test-" });
  try {
    const link = `${scratch}/lambdeno-0123`;
    const script = bootstrapScript(DEFAULT_PERMISSIONS, { linkPath: link });
    // Everything up to the exec, then what it decided.
    const setup = script.slice(0, script.indexOf("exec ")) + 'echo "$APP $DENO_DIR"\n';
    await Deno.mkdir(`${scratch}/task/deno-dir`, { recursive: true });
    await Deno.writeTextFile(`${scratch}/task/deno-dir/dep_analysis_cache_v2`, "seed");
    await Deno.writeTextFile(`${scratch}/task/bootstrap`, setup, { mode: 0o755 });
    const output = await new Deno.Command(`${scratch}/task/bootstrap`, {
      clearEnv: true,
      env: { PATH: "/usr/bin:/bin", TMPDIR: `${scratch}/tmp` },
      stdout: "piped",
    }).output();
    equal(
      new TextDecoder().decode(output.stdout).trim(),
      `${link} ${scratch}/tmp/lambdeno-deno-dir`,
    );
    equal(await Deno.readLink(link), `${scratch}/task`);
    equal(
      await Deno.readTextFile(`${scratch}/tmp/lambdeno-deno-dir/dep_analysis_cache_v2`),
      "seed",
    );
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("bootstrapScript() names the missing deno layer instead of failing to exec", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "lambdeno-no-deno-test-" });
  try {
    await Deno.writeTextFile(`${scratch}/bootstrap`, bootstrapScript(DEFAULT_PERMISSIONS), {
      mode: 0o755,
    });
    await Deno.mkdir(`${scratch}/empty`);
    const output = await new Deno.Command(`${scratch}/bootstrap`, {
      clearEnv: true,
      env: { PATH: `${scratch}/empty`, LAMBDENO_OPT_DIR: `${scratch}/opt`, TMPDIR: scratch },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(output.code, 1);
    equal(
      new TextDecoder().decode(output.stderr).trim(),
      `Cannot start: no deno in ${scratch}/bin/deno or ${scratch}/opt/bin/deno: attach the ` +
        "deno layer built with this function (dist/<arch>/layer.zip)",
    );
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("the bundle's source map ships beside it", () => {
  const artifact = denoRunArtifact({
    bundle: text("//# sourceMappingURL=_bootstrap.js.map\n"),
    sourceMap: text('{"version":3}'),
    assets: [],
    permissions: DEFAULT_PERMISSIONS,
    deno: text("deno"),
    layer: true,
  });
  deepEqual(artifact.function.map((f) => [f.path, f.mode]), [
    ["bootstrap", 0o755],
    ["handlers/_bootstrap.js", 0o644],
    ["handlers/_bootstrap.js.map", 0o644],
  ]);
});

Deno.test("bootstrapScript() reads the shipped code cache, and writes none without one", () => {
  const link = "/tmp/lambdeno-0123456789abcdef";
  const withCache = bootstrapScript(DEFAULT_PERMISSIONS, { linkPath: link, codeCache: true });
  equal(withCache.includes('exec "$DENO" run --no-config --cached-only --no-prompt "$@"'), true);
  for (
    const script of [
      bootstrapScript(DEFAULT_PERMISSIONS, { linkPath: link }),
      // Without the link the shipped cache is not the bundle's: Deno would write one.
      bootstrapScript(DEFAULT_PERMISSIONS, { codeCache: true }),
    ]
  ) {
    equal(script.includes("--cached-only --no-code-cache --no-prompt"), true, script);
  }
});

Deno.test("bootstrapScript() starts no program but deno when its link and caches are in place", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "lambdeno-forks-test-" });
  try {
    const link = `${scratch}/lambdeno-0123`;
    const script = bootstrapScript(DEFAULT_PERMISSIONS, { linkPath: link, codeCache: true });
    await Deno.mkdir(`${scratch}/task/deno-dir`, { recursive: true });
    await Deno.mkdir(`${scratch}/task/bin`);
    await Deno.writeTextFile(`${scratch}/task/bin/deno`, "", { mode: 0o755 });
    await Deno.mkdir(`${scratch}/tmp/lambdeno-deno-dir`, { recursive: true });
    await Deno.symlink(`${scratch}/task`, link);
    // A PATH with nothing on it: a program the script ran, other than deno, would fail it.
    await Deno.mkdir(`${scratch}/empty`);
    await Deno.writeTextFile(
      `${scratch}/task/bootstrap`,
      script.replace('exec "$DENO"', 'echo "$APP"; exit 0; exec "$DENO"'),
      { mode: 0o755 },
    );
    const output = await new Deno.Command(`${scratch}/task/bootstrap`, {
      clearEnv: true,
      env: { PATH: `${scratch}/empty`, TMPDIR: `${scratch}/tmp` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(new TextDecoder().decode(output.stderr), "");
    equal(new TextDecoder().decode(output.stdout).trim(), link);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
