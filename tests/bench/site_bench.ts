/**
 * What handlers/site.ts costs per request for a file it has already cached: a Function URL
 * (v2) event made into a `Request`, the file looked up and answered, and the `Response` made
 * into the result Lambda sends — as is, gzip-compressed, and brotli-compressed. The compressed
 * bodies are bytes, so their results carry base64; the plain one is text.
 *
 * Run: `deno bench -A tests/bench/site_bench.ts`
 */

import { handler } from "../../handlers/site.ts";
import { context } from "../http/_support.ts";

const base = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/examples/site_function_url.json", import.meta.url)),
) as Record<string, unknown>;

function event(path: string, acceptEncoding?: string): Record<string, unknown> {
  const headers = { ...(base.headers as Record<string, string>) };
  if (acceptEncoding !== undefined) headers["accept-encoding"] = acceptEncoding;
  const requestContext = base.requestContext as Record<string, unknown>;
  return {
    ...base,
    rawPath: path,
    headers,
    requestContext: {
      ...requestContext,
      http: { ...(requestContext.http as object), path },
    },
  };
}

const ctx = context("bench");
const plain = event("/index.html");
const gzip = event("/index.html", "gzip");
const br = event("/index.html", "gzip, deflate, br, zstd");
const notModified = event("/index.html");

// Warm the caches: the file, its hash and both variants are made on first request.
for (const e of [plain, gzip, br]) await handler(e, ctx);
const etag = (await handler(plain, ctx)).headers?.etag ?? "";
(notModified.headers as Record<string, string>)["if-none-match"] = etag;
if ((await handler(notModified, ctx)).statusCode !== 304) throw new Error("expected a 304");
if ((await handler(gzip, ctx)).headers?.["content-encoding"] !== "gzip") {
  throw new Error("expected gzip");
}

Deno.bench("site: cached index.html, uncompressed", { group: "site", baseline: true }, async () => {
  await handler(plain, ctx);
});

Deno.bench("site: cached index.html, gzip", { group: "site" }, async () => {
  await handler(gzip, ctx);
});

Deno.bench("site: cached index.html, brotli", { group: "site" }, async () => {
  await handler(br, ctx);
});

Deno.bench("site: index.html revalidated, 304", { group: "site" }, async () => {
  await handler(notModified, ctx);
});
