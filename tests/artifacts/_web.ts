// The example functions behind Function URLs (hello, site, geocoder, github, slack), each built as
// it ships and run from its read-only artifact with only Lambda's variables, with the assertions
// of their tests in tests/examples/ (the requests there, made as Function URL events).
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { HttpResult } from "../../src/http/mod.ts";
import { hmacSha256, hmacSha256Key } from "../../src/crypto.ts";
import { type ClientRequest, eventFor } from "../http/_events.ts";
import { asResponse } from "../http/_support.ts";
import { fixtureText, functionUrlEvent, type UrlRequest } from "../examples/_support.ts";
import type { Bootstrap } from "../runtime/_bootstrap_support.ts";
import { type ArtifactTest, exampleBuild, ROOT } from "./_artifact.ts";
import { invoke, json, Sandbox, startFunction, stopAndRead } from "./_sandbox.ts";

/** Sends a Function URL event and reads the result back as a `Response`. */
async function call(fn: Bootstrap, event: unknown): Promise<Response> {
  return asResponse(json(await invoke(fn, event)) as HttpResult);
}

const url = (fn: Bootstrap, request: ClientRequest) => call(fn, eventFor("v2", request, "e2e-1"));

const helloAndGeocoder: ArtifactTest = {
  name: "hello and geocoder answer from their artifacts as from source",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await t.step("hello greets by name, as text or JSON, with its cookie", async () => {
      await using sandbox = await Sandbox.of(built, "hello");
      await using fn = await startFunction(sandbox, { handler: "hello.handler" });
      const text = await url(fn, { method: "GET", path: "/", query: "name=Ada" });
      equal(await text.text(), "Hello, Ada!\n");
      equal(text.headers.get("set-cookie"), "greeted=Ada; Path=/");
      const asJson = await url(fn, {
        method: "GET",
        path: "/",
        query: "name=Grace",
        headers: [["accept", "application/json"]],
      });
      deepEqual(await asJson.json(), { greeting: "Hello, Grace!", requestId: "e2e-1" });
    });
    await t.step("geocoder reads its shipped index: Paris, Tokyo, and bad parameters", async () => {
      await using sandbox = await Sandbox.of(built, "geocoder");
      await using fn = await startFunction(sandbox, { handler: "geocoder.handler" });
      const paris = await url(fn, { method: "GET", path: "/", query: "lat=48.8566&lon=2.3522" });
      equal(paris.status, 200);
      const place = await paris.json();
      equal(place.name, "Paris");
      equal(place.country, "FR");
      const tokyo = await url(fn, { method: "GET", path: "/", query: "lat=35.68&lon=139.76&k=2" });
      equal(tokyo.headers.get("cache-control"), "public, max-age=86400");
      const two = await tokyo.json();
      equal(two.length, 2);
      equal(two[0].name, "Tokyo");
      const bad = await url(fn, { method: "GET", path: "/", query: "lat=91&lon=2" });
      equal(bad.status, 400);
      match((await bad.json()).error, /lat: must be from -90 to 90/);
    });
  },
};

const PUBLIC = `${ROOT}/handlers/public`;

const site: ArtifactTest = {
  name: "site serves its shipped files from its artifact as from source",
  async fn(t: Deno.TestContext) {
    await using sandbox = await Sandbox.of(await exampleBuild(), "site");
    await using fn = await startFunction(sandbox, { handler: "site.handler" });
    const get = (request: UrlRequest) =>
      call(fn, functionUrlEvent("site_function_url.json", request));
    await t.step("each file with its content type, byte for byte", async () => {
      for (
        const [path, file, type] of [
          ["/", "index.html", "text/html; charset=utf-8"],
          ["/style.css", "style.css", "text/css; charset=utf-8"],
          ["/app.js", "app.js", "text/javascript; charset=utf-8"],
          ["/favicon.png", "favicon.png", "image/png"],
        ]
      ) {
        const response = await get({ path: path! });
        equal(response.status, 200, path);
        equal(response.headers.get("content-type"), type, path);
        deepEqual(
          new Uint8Array(await response.arrayBuffer()),
          await Deno.readFile(`${PUBLIC}/${file}`),
          path,
        );
      }
    });
    await t.step("an ETag answered with a bodiless 304", async () => {
      const etag = (await get({ path: "/style.css" })).headers.get("etag");
      ok(etag !== null);
      const again = await get({ path: "/style.css", headers: { "if-none-match": etag } });
      equal(again.status, 304);
      equal(await again.text(), "");
    });
    await t.step("the 404 page, a rendered page, and no way out of public/", async () => {
      const missing = await get({ path: "/missing.html" });
      equal(missing.status, 404);
      deepEqual(
        new Uint8Array(await missing.arrayBuffer()),
        await Deno.readFile(`${PUBLIC}/404.html`),
      );
      const hello = await get({ path: "/hello/%3Cb%3EAda" });
      ok((await hello.text()).includes("Hello, &lt;b&gt;Ada!"));
      for (const path of ["/../deno.json", "/..%2fdeno.json", "//etc/passwd"]) {
        const refused = await get({ path });
        ok(refused.status === 400 || refused.status === 404, `${path}: ${refused.status}`);
        ok(!(await refused.text()).includes('"@lambdeno/runtime"'), path);
      }
    });
  },
};

const GITHUB_SECRET = "whsec-7d1c0a9b8e2f4a6c";
const DELIVERY = "f1e2d3c4-abcd-11ef-8e2a-7b9c0d1e2f3a";
const SLACK_SECRET = "3c1f7e2a9b5d4c8e0f6a1b2c3d4e5f60";

async function hmacHex(secret: string, data: string): Promise<string> {
  return (await hmacSha256(await hmacSha256Key(secret), data)).toHex();
}

const signatures: ArtifactTest = {
  name: "github and slack check signatures from their artifacts as from source",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await t.step("github: a signed push is summarized once, bad signatures are 401", async () => {
      await using sandbox = await Sandbox.of(built, "github");
      await using fn = await startFunction(sandbox, {
        handler: "github.handler",
        env: { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET },
      });
      const deliver = (body: string, headers: Record<string, string>) =>
        call(
          fn,
          functionUrlEvent("github_function_url.json", {
            method: "POST",
            path: "/",
            headers: { "x-github-event": "push", ...headers },
            body,
          }),
        );
      const body = fixtureText("github_push.json");
      const signature = `sha256=${await hmacHex(GITHUB_SECRET, body)}`;
      const unsigned = await deliver(body, {});
      equal(unsigned.status, 401);
      deepEqual(await unsigned.json(), { error: "Unauthorized" });
      const wrong = await deliver(body, {
        "x-hub-signature-256": `sha256=${await hmacHex("not-the-secret", body)}`,
      });
      equal(wrong.status, 401);
      const pushed = await deliver(body, { "x-hub-signature-256": signature });
      equal(pushed.status, 200);
      deepEqual(await pushed.json(), {
        event: "push",
        delivery: DELIVERY,
        repository: "octo-org/lambda-site",
        ref: "refs/heads/main",
        commits: 2,
        headCommit: "Serve brotli when the client accepts it\n\nThe variants are cached per file.",
        pusher: "octocat",
        deleted: false,
      });
      const replay = await deliver(body, { "x-hub-signature-256": signature });
      deepEqual(await replay.json(), {
        duplicate: true,
        delivery: DELIVERY,
        message: "This delivery was already processed",
      });
      const logged = (await stopAndRead(fn)).filter((line) => line.includes('"event":"push"'));
      equal(logged.length, 1, "the delivery is processed once");
    });
    await t.step("slack: a signed command is answered, a stale or changed one is 401", async () => {
      await using sandbox = await Sandbox.of(built, "slack");
      await using fn = await startFunction(sandbox, {
        handler: "slack.handler",
        env: { SLACK_SIGNING_SECRET: SLACK_SECRET },
      });
      const body = fixtureText("slack_echo.txt");
      const command = async (sent: string, at: number, signedBody = sent) =>
        await call(
          fn,
          functionUrlEvent("slack_function_url.json", {
            method: "POST",
            path: "/",
            headers: {
              "x-slack-request-timestamp": String(at),
              "x-slack-signature": `v0=${await hmacHex(SLACK_SECRET, `v0:${at}:${signedBody}`)}`,
            },
            body: sent,
            base64: true,
          }),
        );
      const now = Math.floor(Date.now() / 1000);
      const answered = await command(body, now);
      equal(answered.status, 200);
      equal(answered.headers.get("content-type"), "application/json; charset=utf-8");
      deepEqual(await answered.json(), { response_type: "ephemeral", text: "You said: 94070" });
      equal((await command(body, now - 360)).status, 401);
      const changed = body.replace("text=94070", "text=public%20pwned");
      equal((await command(changed, now, body)).status, 401);
    });
  },
};

/** The tests, for `examples_test.ts` to run on one build. */
export const WEB_TESTS: readonly ArtifactTest[] = [helloAndGeocoder, site, signatures];
