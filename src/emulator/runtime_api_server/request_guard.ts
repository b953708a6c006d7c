/**
 * Who may speak to a Runtime API server bound to loopback: the runtime it was started for, which
 * names the server by the address it was given (`Host: 127.0.0.1:<port>`) and is no browser.
 * Anything else is refused before it can take an event with `/next` (the caller's headers and
 * body with it) or post an answer the caller would receive: a web page rebinding its own domain
 * name to `127.0.0.1` sends its own name as `Host`, and a page of another site sends an `Origin`
 * (or, for a plain `<img>` or `<script>`, `Sec-Fetch-Site`).
 *
 * @module
 */

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * @param hostname An address to bind.
 * @returns Whether only this machine can reach it.
 */
export function isLoopbackAddress(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || hostname === "::1" ||
    /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a request's `Host`, `Origin` and `Sec-Fetch-Site` against the server's loopback port.
 *
 * @example The runtime is served; a rebinding page and another site are not
 * ```ts
 * import { equal, match } from "node:assert/strict";
 * import { refusal } from "./request_guard.ts";
 *
 * equal(refusal(new Map([["host", "127.0.0.1:9001"]]), 9001), undefined);
 * match(refusal(new Map([["host", "evil.example:9001"]]), 9001) ?? "", /Host/);
 * const page = new Map([["host", "127.0.0.1:9001"], ["origin", "https://evil.example"]]);
 * match(refusal(page, 9001) ?? "", /Origin/);
 * ```
 *
 * @param headers The request's headers, by lower-case name.
 * @param port The port the server listens on.
 * @returns Why the request is refused, or `undefined` to serve it.
 */
export function refusal(headers: ReadonlyMap<string, string>, port: number): string | undefined {
  const host = headers.get("host");
  if (host === undefined || !_isOwnHost(host, port)) {
    return `Cannot serve a request for Host ${host === undefined ? "(none)" : `"${host}"`}: ` +
      `this Runtime API answers only to 127.0.0.1:${port}, the address its runtime was given`;
  }
  const origin = headers.get("origin");
  if (origin !== undefined) {
    return `Cannot serve a request from Origin "${origin}": a web page may not drive a ` +
      "function's Runtime API";
  }
  const site = headers.get("sec-fetch-site");
  if (site !== undefined) {
    return `Cannot serve a request a browser sent (Sec-Fetch-Site: ${site}): a web page may not ` +
      "drive a function's Runtime API";
  }
  return undefined;
}

function _isOwnHost(host: string, port: number): boolean {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(host.trim().toLowerCase());
  return match !== null && Number(match[2]) === port && isLoopbackAddress(match[1]!);
}
