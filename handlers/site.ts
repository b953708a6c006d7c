/**
 * A small website from one function: the files in `handlers/public/` with their content types,
 * strong `ETag`s (`If-None-Match` gets a `304`), brotli or gzip when the client accepts them,
 * and `Cache-Control`; plus one page rendered per request, `/hello/:name`. Deployed behind a
 * Function URL (`_HANDLER=site.handler`), or run locally with `deno serve handlers/site.ts`.
 *
 * Paths are checked before they touch the file system. The URL parser has already resolved
 * plain `..` (and `%2e%2e`, and backslashes); what could still escape — encoded slashes and
 * backslashes, a decoded `..`, control characters, empty segments — is answered `400`, and a
 * path that resolves (through links, say) outside `public/` is answered `404`. Hidden files
 * (`.env`) are never served; `.well-known/` is.
 *
 * @module
 */

import type { HandlerConfig } from "../src/mod.ts";
import { httpHandler, requestInfo } from "../src/http/mod.ts";
import { preferredCoding } from "./_lib/accept_encoding.ts";
import { escapeHtml } from "./_lib/html.ts";
import { type Representation, type StaticFile, StaticFiles } from "./_lib/static_files.ts";

/** Options for {@linkcode createSite}. */
export interface SiteOptions {
  /** The directory to serve, as a `file:` URL. */
  readonly root: URL;
  /** The clock for the rendered page. Defaults to the system clock. */
  readonly now?: () => Date;
}

const HELLO = new URLPattern({ pathname: "/hello/:name" });
const HTML = "text/html; charset=utf-8";
const TEXT = "text/plain; charset=utf-8";
// HTML is revalidated on every visit (cheap with an ETag) so a deployment shows at once; the
// other files are not fingerprinted, so they are kept an hour, not forever.
const HTML_CACHE = "no-cache";
const ASSET_CACHE = "public, max-age=3600";

/**
 * Makes the site's request handler, serving the files under `root`.
 *
 * @example Serve the bundled site
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { createSite } from "./site.ts";
 *
 * const site = createSite({ root: new URL("./public/", import.meta.url) });
 * const response = await site(new Request("http://localhost/style.css"));
 * equal(response.headers.get("content-type"), "text/css; charset=utf-8");
 * await response.body?.cancel();
 * ```
 *
 * @param options The directory and the clock.
 * @returns A fetch handler, for `Deno.serve` or {@linkcode httpHandler}.
 */
export function createSite(options: SiteOptions): (request: Request) => Promise<Response> {
  const files = new StaticFiles(options.root);
  const now = options.now ?? (() => new Date());

  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return _text(405, "Method Not Allowed\n", { allow: "GET, HEAD" });
    }
    const url = new URL(request.url);
    // A prefix test first: matching a URLPattern costs more than serving a cached file.
    const hello = url.pathname.startsWith("/hello/") ? HELLO.exec(url) : null;
    if (hello !== null) return _hello(request, hello.pathname.groups.name ?? "", now());

    const found = await files.lookup(url.pathname);
    switch (found.kind) {
      case "file":
        return await _serve(files, found.file, request, 200);
      case "directory":
        // Relative, so it also works under a path prefix the function does not know about.
        return new Response(null, {
          status: 301,
          headers: { location: `${encodeURIComponent(found.name)}/${url.search}` },
        });
      case "invalid":
        return _text(400, "Bad Request\n");
      case "missing": {
        const page = await files.lookup("/404.html");
        return page.kind === "file"
          ? await _serve(files, page.file, request, 404)
          : _text(404, "Not Found\n");
      }
    }
  };
}

/** The site in `handlers/public/`, as a fetch handler. */
export const site: (request: Request) => Promise<Response> = createSite({
  root: new URL("./public/", import.meta.url),
});

/** The Lambda handler: {@linkcode site} behind the HTTP adapter. */
export const handler = httpHandler(site);

/** Deployed behind a Function URL that answers with the whole response. */
export const config = {
  handler: { url: "buffered", assets: ["public/"] },
} satisfies HandlerConfig;

/** Lets `deno serve handlers/site.ts` run the same site locally. */
export default { fetch: site } satisfies Deno.ServeDefaultExport;

async function _serve(
  files: StaticFiles,
  file: StaticFile,
  request: Request,
  status: number,
): Promise<Response> {
  const coding = file.compressible
    ? preferredCoding(request.headers.get("accept-encoding"), ["br", "gzip"])
    : "identity";
  const chosen: Representation = coding === "identity"
    ? file
    : (await files.variant(file, coding)) ?? file;
  const headers: Record<string, string> = {
    "cache-control": status !== 200 || file.type === HTML ? HTML_CACHE : ASSET_CACHE,
    "x-content-type-options": "nosniff",
  };
  // Whether a compressed variant exists or not, the answer depended on Accept-Encoding.
  if (file.compressible) headers.vary = "accept-encoding";
  if (status === 200) {
    headers.etag = chosen.etag;
    if (_matches(request.headers.get("if-none-match"), chosen.etag)) {
      return new Response(null, { status: 304, headers });
    }
  }
  headers["content-type"] = file.type;
  headers["content-length"] = String(chosen.bytes.length);
  if (chosen !== file) headers["content-encoding"] = coding;
  return new Response(request.method === "HEAD" ? null : chosen.bytes, { status, headers });
}

function _hello(request: Request, encodedName: string, time: Date): Response {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return _text(400, "Bad Request\n");
  }
  const requestId = requestInfo(request)?.requestId;
  const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Hello, ${escapeHtml(name)}</title>
    <link rel="stylesheet" href="../style.css">
  </head>
  <body>
    <h1>Hello, ${escapeHtml(name)}!</h1>
    <p>This page was rendered at <time datetime="${time.toISOString()}">${time.toISOString()}</time>${
    requestId === undefined ? "" : ` for request <code>${escapeHtml(requestId)}</code>`
  }.</p>
    <p><a href="../">Back to the home page</a></p>
  </body>
</html>
`;
  return new Response(request.method === "HEAD" ? null : page, {
    headers: { "content-type": HTML, "cache-control": "no-store" },
  });
}

function _matches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === "*") return true;
  // If-None-Match compares weakly: W/"x" matches "x".
  for (const match of ifNoneMatch.matchAll(/(?:W\/)?("[^"]*")/g)) {
    if (match[1] === etag) return true;
  }
  return false;
}

function _text(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { "content-type": TEXT, "cache-control": "no-store", ...extra },
  });
}
