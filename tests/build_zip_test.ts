import { deepEqual, equal, throws } from "node:assert/strict";
import { bootstrapScript, denoRunArtifact } from "../src/build/deno_run_layout.ts";
import { DEFAULT_PERMISSIONS } from "../src/build/permissions.ts";
import { readZip, writeZip } from "../src/build/zip.ts";

const text = (s: string) => new TextEncoder().encode(s);
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

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

Deno.test("the deno-run function zip keeps bootstrap and deno executable and the rest 0644", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "lambdeno-zip-test-" });
  try {
    const artifact = await denoRunArtifact({
      root,
      bundle: text("// the bundled bootstrap\n"),
      assetDirs: [],
      permissions: DEFAULT_PERMISSIONS,
      deno: text("\x7fELF stand-in for deno"),
      layer: false,
      hostDeno: Deno.execPath(),
      workDir,
    });
    equal(artifact.layer, undefined);
    const entries = readZip(writeZip(artifact.function));
    const modes = new Map(entries.map((e) => [e.path, e.mode]));
    equal(modes.get("bootstrap"), 0o755);
    equal(modes.get("bin/deno"), 0o755);
    for (const entry of entries) {
      if (entry.path !== "bootstrap" && entry.path !== "bin/deno") {
        equal(entry.mode, 0o644, entry.path);
        equal(entry.madeBy, 3, entry.path);
      }
    }
    equal(modes.get("app/.lambdeno/bootstrap.js"), 0o644);
    for (const path of ["app/deno.json", "app/src/main.ts", "app/handlers/echo.ts"]) {
      equal(modes.has(path), true, path);
    }
    equal(entries.some((e) => e.path.startsWith("app/node_modules/zod/")), true);
    equal(entries.some((e) => e.path.includes("/.bin/")), false);
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
});

Deno.test("with a layer, deno goes in the layer zip and the function zip stays slim", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "lambdeno-zip-test-" });
  try {
    const artifact = await denoRunArtifact({
      root,
      bundle: text("// the bundled bootstrap\n"),
      assetDirs: [],
      permissions: DEFAULT_PERMISSIONS,
      deno: text("deno"),
      layer: true,
      hostDeno: Deno.execPath(),
      workDir,
    });
    deepEqual(readZip(writeZip(artifact.layer ?? [])).map((e) => [e.path, e.mode]), [
      ["bin/deno", 0o755],
    ]);
    equal(artifact.function.some((f) => f.path === "bin/deno"), false);
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
});

Deno.test("bootstrapScript() runs deno offline with the permissions and its own directory", () => {
  const script = bootstrapScript({ ...DEFAULT_PERMISSIONS, read: ["/tmp", "/data dir"] });
  equal(script.startsWith("#!/bin/sh\n"), true);
  equal(script.includes('exec "$DENO" run --cached-only --frozen --node-modules-dir=manual'), true);
  equal(script.includes(`"--allow-read=$ROOT",/tmp,'/data dir'`), true);
  equal(script.trimEnd().endsWith('"$ROOT/app/.lambdeno/bootstrap.js"'), true, script);
  equal(script.includes("--allow-write=/tmp"), true);
  equal(
    script.includes('DENO_DIR="${LAMBDENO_DENO_DIR:-${TMPDIR:-/tmp}/lambdeno-deno-dir}"'),
    true,
  );
});
