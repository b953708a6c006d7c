/**
 * handlers/site.ts, through the HTTP adapter from Function URL events and under `Deno.serve` on
 * a real socket: content types, ETags and 304s, compressed variants, HEAD, the rendered page,
 * and paths that try to leave `public/`.
 */

import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { brotliDecompressSync } from "node:zlib";
import { createSite, handler, site } from "../../handlers/site.ts";
import { preferredCoding } from "../../handlers/_lib/accept_encoding.ts";
import { asResponse } from "../http/_support.ts";
import { fakeContext, functionUrlEvent, type UrlRequest } from "./_support.ts";

const PUBLIC = new URL("../../handlers/public/", import.meta.url);
const DENO_JSON = Deno.readTextFileSync(new URL("../../deno.json", import.meta.url));

function publicFile(name: string): Uint8Array<ArrayBuffer> {
  return Deno.readFileSync(new URL(name, PUBLIC));
}

/** Asks the Lambda handler, as a Function URL would, and reads the result back. */
async function viaLambda(request: UrlRequest): Promise<Response> {
  const result = await handler(functionUrlEvent("site_function_url.json", request), fakeContext());
  return asResponse(result);
}

async function decode(response: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const coding = response.headers.get("content-encoding");
  if (coding === null) return bytes;
  if (coding === "br") return new Uint8Array(brotliDecompressSync(bytes));
  equal(coding, "gzip");
  return new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer(),
  );
}

const TYPES: [path: string, file: string, type: string][] = [
  ["/", "index.html", "text/html; charset=utf-8"],
  ["/index.html", "index.html", "text/html; charset=utf-8"],
  ["/style.css", "style.css", "text/css; charset=utf-8"],
  ["/app.js", "app.js", "text/javascript; charset=utf-8"],
  ["/logo.svg", "logo.svg", "image/svg+xml"],
  ["/favicon.png", "favicon.png", "image/png"],
];

Deno.test("site serves each bundled file with its content type, byte for byte", async () => {
  for (const [path, file, type] of TYPES) {
    const response = await viaLambda({ path });
    equal(response.status, 200, path);
    equal(response.headers.get("content-type"), type, path);
    equal(response.headers.get("content-encoding"), null, path);
    equal(response.headers.get("x-content-type-options"), "nosniff", path);
    deepEqual(new Uint8Array(await response.arrayBuffer()), publicFile(file), path);
  }
});

Deno.test("site sends the PNG base64-encoded through a Function URL", async () => {
  const result = await handler(
    functionUrlEvent("site_function_url.json", { path: "/favicon.png" }),
    fakeContext(),
  );
  equal(result.isBase64Encoded, true);
  deepEqual(Uint8Array.fromBase64(result.body), publicFile("favicon.png"));
});

Deno.test("site revalidates HTML on every visit and keeps other files an hour", async () => {
  equal((await viaLambda({ path: "/" })).headers.get("cache-control"), "no-cache");
  equal(
    (await viaLambda({ path: "/style.css" })).headers.get("cache-control"),
    "public, max-age=3600",
  );
  equal((await viaLambda({ path: "/hello/x" })).headers.get("cache-control"), "no-store");
});

Deno.test("site answers If-None-Match with the file's ETag with a bodiless 304", async () => {
  const first = await viaLambda({ path: "/style.css" });
  const etag = first.headers.get("etag");
  ok(etag !== null);
  match(etag, /^"[\w-]{24}"$/);
  const again = await viaLambda({ path: "/style.css", headers: { "if-none-match": etag } });
  equal(again.status, 304);
  equal(again.headers.get("etag"), etag);
  equal(again.headers.get("cache-control"), "public, max-age=3600");
  equal(await again.text(), "");

  const weakInList = await viaLambda({
    path: "/style.css",
    headers: { "if-none-match": `"stale", W/${etag}` },
  });
  equal(weakInList.status, 304, "If-None-Match compares weakly and reads lists");
  equal((await viaLambda({ path: "/style.css", headers: { "if-none-match": "*" } })).status, 304);

  const other = await viaLambda({ path: "/style.css", headers: { "if-none-match": '"other"' } });
  equal(other.status, 200);
});

Deno.test("site gives each file its own ETag, a strong hash of its content", async () => {
  const tags = new Set<string | null>();
  for (const [path] of TYPES.slice(1)) tags.add((await viaLambda({ path })).headers.get("etag"));
  equal(tags.size, TYPES.length - 1);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", publicFile("style.css")));
  equal(
    (await viaLambda({ path: "/style.css" })).headers.get("etag"),
    `"${digest.subarray(0, 18).toBase64({ alphabet: "base64url" })}"`,
  );
});

for (const coding of ["gzip", "br"] as const) {
  Deno.test(`site sends a ${coding} variant that decodes back to the file`, async () => {
    for (const [path, file] of [["/", "index.html"], ["/style.css", "style.css"]] as const) {
      const response = await viaLambda({ path, headers: { "accept-encoding": coding } });
      equal(response.status, 200, path);
      equal(response.headers.get("content-encoding"), coding, path);
      equal(response.headers.get("vary"), "accept-encoding", path);
      const etag = response.headers.get("etag") ?? "";
      ok(etag.endsWith(`-${coding}"`), `${path}: a tag of its own for the ${coding} bytes`);
      const bytes = await decode(response);
      deepEqual(bytes, publicFile(file), path);

      const revalidated = await viaLambda({
        path,
        headers: { "accept-encoding": coding, "if-none-match": etag },
      });
      equal(revalidated.status, 304, `${path}: its own tag revalidates`);
    }
  });
}

Deno.test("site follows Accept-Encoding q-values", async () => {
  const coding = async (acceptEncoding: string) =>
    (await viaLambda({ path: "/", headers: { "accept-encoding": acceptEncoding } })).headers
      .get("content-encoding");
  equal(await coding("gzip, deflate, br, zstd"), "br");
  equal(await coding("br;q=0.4, gzip;q=0.8"), "gzip");
  equal(await coding("br;q=0, gzip"), "gzip");
  equal(await coding("br;q=0, gzip;q=0"), null);
  equal(await coding("identity"), null);
  equal(await coding("*"), "br");
  equal(await coding("*;q=0"), null);
  equal(await coding("gzip;q=0.5, identity"), null);
});

Deno.test("preferredCoding() ignores malformed q-values and keeps the kindest duplicate", () => {
  equal(preferredCoding("br;q=2, gzip", ["br", "gzip"]), "gzip");
  equal(preferredCoding("br;q=abc", ["br", "gzip"]), "identity");
  equal(preferredCoding("gzip;q=0, gzip;q=0.3", ["br", "gzip"]), "gzip");
  equal(preferredCoding("X-GZIP", ["br", "gzip"]), "gzip");
  equal(preferredCoding("", ["br", "gzip"]), "identity");
});

Deno.test("site never compresses a PNG, and says Vary only where it could", async () => {
  const response = await viaLambda({ path: "/favicon.png", headers: { "accept-encoding": "br" } });
  equal(response.headers.get("content-encoding"), null);
  equal(response.headers.get("vary"), null);
  deepEqual(await decode(response), publicFile("favicon.png"));
});

Deno.test("site answers HEAD with the GET headers and no body", async () => {
  const headers = { "accept-encoding": "gzip" };
  const get = await viaLambda({ path: "/style.css", headers });
  const head = await viaLambda({ method: "HEAD", path: "/style.css", headers });
  equal(head.status, 200);
  for (const name of ["content-type", "content-length", "content-encoding", "etag", "vary"]) {
    equal(head.headers.get(name), get.headers.get(name), name);
  }
  equal(await head.text(), "");
  equal((await viaLambda({ method: "HEAD", path: "/hello/Ada" })).status, 200);
});

Deno.test("site refuses methods other than GET and HEAD", async () => {
  const response = await viaLambda({ method: "POST", path: "/", body: "x=1" });
  equal(response.status, 405);
  equal(response.headers.get("allow"), "GET, HEAD");
});

Deno.test("site answers a missing page with the 404 page", async () => {
  const response = await viaLambda({ path: "/missing.html" });
  equal(response.status, 404);
  equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  equal(response.headers.get("etag"), null, "no tag: the 404 page is not this URL's content");
  deepEqual(new Uint8Array(await response.arrayBuffer()), publicFile("404.html"));
});

Deno.test("site renders /hello/:name per request, HTML-escaped", async () => {
  const name = `<script>alert("x")</script>&'`;
  const response = await viaLambda({ path: `/hello/${encodeURIComponent(name)}` });
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await response.text();
  ok(!html.includes("<script>"), "no markup from the URL reaches the page");
  ok(html.includes("Hello, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;!"));
  ok(html.includes("0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e"), "names the request id");
  equal((await viaLambda({ path: "/hello/%E0%A4%A" })).status, 400, "malformed encoding");
});

Deno.test("site renders the time from its clock", async () => {
  const fixed = createSite({ root: PUBLIC, now: () => new Date("2024-11-26T16:02:10.000Z") });
  const html = await (await fixed(new Request("http://localhost/hello/Ada"))).text();
  ok(html.includes('<time datetime="2024-11-26T16:02:10.000Z">'));
  ok(html.includes("Hello, Ada!"));
});

const TRAVERSALS = [
  "/../deno.json",
  "/%2e%2e/deno.json",
  "/%2E%2E/%2e%2e/deno.json",
  "/%252e%252e/",
  "/%252e%252e/deno.json",
  "/..%2fdeno.json",
  "/..%2Fhandlers%2Fsite.ts",
  "/..%2F..%2Fdeno.json",
  "/%2e%2e%2f%2e%2e%2fdeno.json",
  "/..%5c..%5cdeno.json",
  "/\\..\\deno.json",
  "/..%5cdeno.json",
  "//etc/passwd",
  "/public/%00",
  "/index.html%00.png",
  "/.%2e/deno.json",
];

function assertRefused(path: string, status: number, body: string): void {
  ok(status === 400 || status === 404, `${path}: ${status}`);
  ok(!body.includes('"@lambdeno/runtime"'), `${path}: deno.json leaked`);
  ok(!body.includes("root:"), `${path}: /etc/passwd leaked`);
  ok(!body.includes("createSite"), `${path}: source leaked`);
}

Deno.test("site never serves a file outside public/, through a Function URL", async () => {
  ok(DENO_JSON.includes('"@lambdeno/runtime"'), "the marker the test looks for is real");
  for (const path of TRAVERSALS) {
    const response = await viaLambda({ path });
    assertRefused(path, response.status, await response.text());
  }
  equal((await viaLambda({ path: "/..%2fdeno.json" })).status, 400);
  equal((await viaLambda({ path: "/public/%00" })).status, 400);
  equal((await viaLambda({ path: "//etc/passwd" })).status, 400);
});

/** Sends a request line as written, bypassing the URL clean-up a client would do. */
async function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const request = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
  await connection.write(new TextEncoder().encode(request));
  const text = await new Response(connection.readable).text();
  const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
  return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

Deno.test("site under Deno.serve: files, 304, compression, HEAD and traversal", async (t) => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, site);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    await t.step("content types and bytes", async () => {
      for (const [path, file, type] of TYPES) {
        const response = await fetch(`${base}${path}`, { headers: { "accept-encoding": "" } });
        equal(response.headers.get("content-type"), type, path);
        deepEqual(new Uint8Array(await response.arrayBuffer()), publicFile(file), path);
      }
    });
    await t.step("ETag → 304", async () => {
      const first = await fetch(`${base}/app.js`);
      await first.body?.cancel();
      const etag = first.headers.get("etag") ?? "";
      const again = await fetch(`${base}/app.js`, { headers: { "if-none-match": etag } });
      equal(again.status, 304);
      equal(await again.text(), "");
    });
    await t.step("brotli, decoded by the client", async () => {
      const response = await fetch(`${base}/style.css`, { headers: { "accept-encoding": "br" } });
      equal(response.headers.get("content-encoding"), "br");
      deepEqual(new Uint8Array(await response.arrayBuffer()), publicFile("style.css"));
    });
    await t.step("HEAD keeps Content-Length", async () => {
      const response = await fetch(`${base}/`, {
        method: "HEAD",
        headers: { "accept-encoding": "" },
      });
      equal(response.headers.get("content-length"), String(publicFile("index.html").length));
      equal(await response.text(), "");
    });
    await t.step("traversal, sent byte for byte", async () => {
      for (const path of TRAVERSALS) {
        const { status, body } = await rawGet(server.addr.port, path);
        assertRefused(path, status, body);
      }
      notEqual((await rawGet(server.addr.port, "/style.css")).status, 404, "rawGet works");
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test("site does not follow links out of its root, nor serve hidden files", async () => {
  const root = await Deno.makeTempDir({ prefix: "site_test_" });
  const outside = await Deno.makeTempDir({ prefix: "site_outside_" });
  try {
    await Deno.writeTextFile(`${outside}/secret.txt`, "top secret");
    await Deno.writeTextFile(`${root}/ok.txt`, "fine");
    await Deno.writeTextFile(`${root}/.env`, "TOKEN=hidden");
    await Deno.mkdir(`${root}/docs`);
    await Deno.writeTextFile(`${root}/docs/index.html`, "<p>docs</p>");
    await Deno.mkdir(`${root}/.well-known`);
    await Deno.writeTextFile(`${root}/.well-known/security.txt`, "Contact: mailto:a@example.com");
    await Deno.symlink(`${outside}/secret.txt`, `${root}/linked.txt`);
    await Deno.symlink(outside, `${root}/linked-dir`);
    const serve = createSite({ root: new URL(`file://${root}/`) });
    const get = (path: string) => serve(new Request(`http://localhost${path}`));

    equal(await (await get("/ok.txt")).text(), "fine");
    for (const path of ["/linked.txt", "/linked-dir/secret.txt", "/.env", "/%2eenv"]) {
      const response = await get(path);
      equal(response.status, 404, path);
      ok(!(await response.text()).includes("secret"), path);
    }
    equal((await get("/.well-known/security.txt")).status, 200);
    const redirect = await get("/docs?x=1");
    equal(redirect.status, 301);
    equal(redirect.headers.get("location"), "docs/?x=1");
    equal(await (await get("/docs/")).text(), "<p>docs</p>");
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
