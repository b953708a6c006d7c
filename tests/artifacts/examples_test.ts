// Every example function of handlers/, built once as it ships (deno-run, deno in a layer, x86_64,
// and arm64 when qemu can run it), each run from its read-only artifact with only Lambda's
// variables, with the assertions of its tests in tests/examples/ (_web.ts, _aws.ts, _events.ts).
import { deepEqual, equal, ok } from "node:assert/strict";
import { readZip } from "../../src/builder/archives/zip.ts";
import type { HttpResult } from "../../src/http/mod.ts";
import { eventFor } from "../http/_events.ts";
import { asResponse } from "../http/_support.ts";
import { startS3 } from "../examples/_s3.ts";
import { scratchDir } from "../_scratch.ts";
import { ARM64_RUNS, qemuOptDir } from "./_arm64.ts";
import { CAN_RUN, exampleBuild } from "./_artifact.ts";
import { invoke, json, Sandbox, sharedLayer, startFunction } from "./_sandbox.ts";
import { AWS_TESTS } from "./_aws.ts";
import { EVENT_TESTS } from "./_events.ts";
import { WEB_TESTS } from "./_web.ts";

for (const test of [...WEB_TESTS, ...AWS_TESTS, ...EVENT_TESTS]) {
  Deno.test({ name: test.name, ignore: !CAN_RUN, fn: test.fn });
}

Deno.test({
  name: "each example's artifact carries its declared assets and bundled npm code, no sources",
  ignore: !CAN_RUN,
  async fn() {
    const built = await exampleBuild();
    const paths = async (artifact: string) =>
      readZip(await Deno.readFile(`${built.dist}/x86_64/${artifact}/function.zip`))
        .map((entry) => entry.path);
    ok((await paths("geocoder")).includes("handlers/_data/cities.idx"));
    ok((await paths("site")).includes("handlers/public/index.html"));
    const location = await paths("location");
    equal(location.some((p) => p.includes("node_modules") || p.endsWith(".ts")), false);
    equal(location.includes("bin/deno"), false, "deno is in the layer");
  },
});

/** ELF's machine number for AArch64. */
const EM_AARCH64 = 183;

Deno.test({
  name: "arm64 artifacts run under qemu: echo, and location through the AWS SDK",
  ignore: !CAN_RUN || !ARM64_RUNS,
  async fn(t) {
    const built = await exampleBuild();
    const layer = await sharedLayer(`${built.dist}/arm64/layer.zip`);
    const elf = await Deno.readFile(`${layer}/bin/deno`);
    equal(new DataView(elf.buffer).getUint16(18, true), EM_AARCH64, "the layer's deno is arm64");
    const optDir = await qemuOptDir(layer, await scratchDir("lambdeno-qemu-opt-"));

    await t.step("echo answers, and fails on request", async () => {
      await using sandbox = await Sandbox.of(built, "echo", "arm64");
      await using fn = await startFunction(sandbox, { handler: "echo.handler", optDir });
      deepEqual(json(await invoke(fn, { hello: "arm64" })), { hello: "arm64" });
      const failed = await invoke(fn, { throw: "on purpose" });
      equal(failed.kind === "error" && failed.error.errorMessage, "on purpose");
      const cmdline = await Deno.readTextFile(`/proc/${fn.pid}/cmdline`);
      ok(cmdline.includes(`${layer}/bin/deno`), "the layer's arm64 deno runs the bundle");
    });

    await t.step("location stores a point in S3 and reads it back", async () => {
      await using s3 = await startS3("tracks");
      await using sandbox = await Sandbox.of(built, "location", "arm64");
      await using fn = await startFunction(sandbox, {
        handler: "location.handler",
        optDir,
        env: { LOCATION_BUCKET: "tracks", S3_ENDPOINT: s3.endpoint },
      });
      const call = async (request: Parameters<typeof eventFor>[1]) =>
        asResponse(json(await invoke(fn, eventFor("v2", request, "arm64-1"))) as HttpResult);
      const fix = { _type: "location", lat: 1, lon: 2, tst: 1_700_000_000, acc: 5 };
      const posted = await call({
        method: "POST",
        path: "/",
        headers: [["content-type", "application/json"], ["x-limit-u", "ada"], [
          "x-limit-d",
          "watch",
        ]],
        body: JSON.stringify(fix),
      });
      equal(posted.status, 200);
      const last = await call({ method: "GET", path: "/last", query: "user=ada&device=watch" });
      equal(last.status, 200);
      deepEqual(await last.json(), {
        lat: 1,
        lon: 2,
        tst: 1_700_000_000,
        acc: 5,
        user: "ada",
        device: "watch",
      });
    });
  },
});
