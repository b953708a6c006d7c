/**
 * Who may drive the emulator. Bound to loopback (the default), it is for this machine's own
 * tools: a request must name it by a loopback address (`Host`), and a browser request must come
 * from its own pages (`Origin`, or `Sec-Fetch-Site` where a browser sends no `Origin`). Otherwise any web page could drive local functions, with a
 * cross-site `POST` or by rebinding its own domain name to `127.0.0.1`. Bound elsewhere with
 * `--host`, it serves whoever reaches it: that was the point of binding there.
 *
 * @module
 */

import { awsError } from "./request_body.ts";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Where the emulator listens. */
export interface BoundAddress {
  /** The address bound, as given to `Deno.serve`. */
  readonly hostname: string;
  /** The port bound. */
  readonly port: number;
}

/**
 * @param hostname An address to bind.
 * @returns Whether only this machine can reach it.
 */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a request's `Host` and `Origin` against the address the emulator is bound to.
 *
 * @example A page of another site is refused
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { guardRequest } from "./request_guard.ts";
 *
 * const bound = { hostname: "127.0.0.1", port: 3000 };
 * const own = new Request("http://127.0.0.1:3000/echo/", { headers: { host: "127.0.0.1:3000" } });
 * equal(guardRequest(own, bound), undefined);
 * const foreign = new Request("http://127.0.0.1:3000/echo/", {
 *   method: "POST",
 *   headers: { host: "127.0.0.1:3000", origin: "https://example.com" },
 * });
 * equal(guardRequest(foreign, bound)?.status, 403);
 * ```
 *
 * @param request The request.
 * @param bound Where the emulator listens.
 * @returns A `403` to answer, or `undefined` to serve the request.
 */
export function guardRequest(request: Request, bound: BoundAddress): Response | undefined {
  if (!isLoopback(bound.hostname)) return undefined;
  const host = request.headers.get("host");
  if (host !== null && !_isOwnHost(host, bound)) {
    return _refuse(
      `Cannot serve a request for Host "${host}": this emulator answers only to ` +
        `127.0.0.1:${bound.port} or localhost:${bound.port}, so that no other site's name can ` +
        "reach it; to serve other names, bind another address with --host",
    );
  }
  const origin = request.headers.get("origin");
  if (origin !== null && !_isOwnOrigin(origin, bound)) {
    return _refuse(
      `Cannot serve a request from Origin "${origin}": a page of another site may not drive ` +
        `local functions; only http://127.0.0.1:${bound.port} and http://localhost:` +
        `${bound.port} may; to allow others, bind another address with --host`,
    );
  }
  // Browsers send no Origin with a cross-site GET from an <img>, a <script> or a no-cors fetch,
  // but do send Sec-Fetch-Site, which pages cannot forge. A link the developer follows
  // (a navigation) is still served.
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    if (
      (site === "cross-site" || site === "same-site") &&
      request.headers.get("sec-fetch-mode") !== "navigate"
    ) {
      return _refuse(
        `Cannot serve a request from another site's page (Sec-Fetch-Site: ${site}): a page of ` +
          "another site may not drive local functions; to allow others, bind another address " +
          "with --host",
      );
    }
  }
  return undefined;
}

function _isOwnHost(host: string, bound: BoundAddress): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (match === null) return false;
  const name = match[1]!;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  return port === bound.port && (isLoopback(name) || name === bound.hostname.toLowerCase());
}

function _isOwnOrigin(origin: string, bound: BoundAddress): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === "http:" && _isOwnHost(url.host, bound);
}

function _refuse(message: string): Response {
  return awsError(403, "AccessDeniedException", message);
}
