import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  denortCachePath,
  DenortMissingError,
  locateDenort,
} from "../../src/builder/layouts/denort.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

function finder(files: readonly string[], reachable: boolean) {
  const probed: string[] = [];
  return {
    probed,
    exists: (path: string) => Promise.resolve(files.includes(path)),
    reachable: (url: string) => {
      probed.push(url);
      return Promise.resolve(reachable);
    },
  };
}

Deno.test("locateDenort() uses DENORT_BIN for one architecture without probing", async () => {
  const f = finder(["/opt/denort"], true);
  const sources = await locateDenort({
    arches: ["arm64"],
    version: "2.9.6",
    denortBin: "/opt/denort",
    denoDir: "/cache",
    ...f,
  });
  deepEqual(sources, [{ kind: "env", path: "/opt/denort" }]);
  deepEqual(f.probed, []);
});

Deno.test("locateDenort() refuses one DENORT_BIN for two architectures", async () => {
  await rejects(
    locateDenort({
      arches: ["x86_64", "arm64"],
      version: "2.9.6",
      denortBin: "/opt/denort",
      denoDir: "/cache",
      ...finder(["/opt/denort"], true),
    }),
    /names one denort binary, for one target.*--arch x86_64 or --arch arm64/s,
  );
});

Deno.test("locateDenort() says when DENORT_BIN names no file", async () => {
  await rejects(
    locateDenort({
      arches: ["x86_64"],
      version: "2.9.6",
      denortBin: "/nowhere/denort",
      denoDir: "/cache",
      ...finder([], true),
    }),
    /DENORT_BIN is set to \/nowhere\/denort, but there is no file there/,
  );
});

Deno.test("locateDenort() takes a cached zip, and the download host only when it answers", async () => {
  const cached = denortCachePath("/cache", "2.9.6", "x86_64");
  equal(cached, "/cache/dl/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip");
  const f = finder([cached], true);
  const sources = await locateDenort({
    arches: ["x86_64", "arm64"],
    version: "2.9.6",
    denortBin: undefined,
    denoDir: "/cache",
    ...f,
  });
  deepEqual(sources, [
    { kind: "cached", path: cached },
    {
      kind: "download",
      url: "https://dl.deno.land/release/v2.9.6/denort-aarch64-unknown-linux-gnu.zip",
    },
  ]);
  deepEqual(f.probed, [
    "https://dl.deno.land/release/v2.9.6/denort-aarch64-unknown-linux-gnu.zip",
  ]);
});

Deno.test("locateDenort() explains what is missing, why, and both ways out", async () => {
  const error = await locateDenort({
    arches: ["arm64"],
    version: "2.9.6",
    denortBin: "",
    denoDir: "/cache",
    ...finder([], false),
  }).catch((e: unknown) => e);
  ok(error instanceof DenortMissingError);
  match(error.message, /^Cannot compile for arm64: the denort base binary/);
  match(error.message, /denort-aarch64-unknown-linux-gnu\.zip/);
  match(error.message, /downloads from https:\/\/dl\.deno\.land\/release\/v2\.9\.6\//);
  match(error.message, /cannot be reached/);
  match(error.message, /DENORT_BIN=\/path\/to\/denort deno task build --arch arm64/);
  match(error.message, /--layout deno-run/);
});

Deno.test("deno task build stops at once, with the denort message and no output, when denort is missing", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  })
    .output();
  const realDenoDir = (JSON.parse(new TextDecoder().decode(info.stdout)) as { denoDir: string })
    .denoDir;
  const scratch = await Deno.makeTempDir({ prefix: "lambdeno-denort-test-" });
  try {
    // A DENO_DIR without dl/ (so no cached denort) that still has the npm packages the build
    // script itself imports.
    const denoDir = `${scratch}/deno_dir`;
    await Deno.mkdir(denoDir);
    await Deno.symlink(`${realDenoDir}/npm`, `${denoDir}/npm`);
    const env = Deno.env.toObject();
    delete env.DENORT_BIN;
    const out = `${scratch}/dist`;
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--cached-only",
        `${root}/build.ts`,
        "--layout",
        "compiled",
        "--out",
        out,
      ],
      cwd: root,
      clearEnv: true,
      env: {
        ...env,
        DENO_DIR: denoDir,
        NO_COLOR: "1",
        // Whatever this machine's network, the download host is unreachable for this build.
        HTTPS_PROXY: "http://127.0.0.1:9",
        https_proxy: "http://127.0.0.1:9",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    equal(result.code, 1, stderr);
    match(stderr, /^Cannot compile for x86_64 and arm64: the denort base binary/m);
    match(stderr, new RegExp(`not cached in ${denoDir}/dl/release/v${Deno.version.deno}/`));
    match(stderr, /DENORT_BIN=\/path\/to\/denort/);
    match(stderr, /--layout deno-run/);
    equal(stderr.match(/Cannot /g)?.length, 1, "one message, not a cascade");
    await rejects(Deno.stat(out), Deno.errors.NotFound);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
