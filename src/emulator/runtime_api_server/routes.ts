/**
 * Routing for the Runtime API server: which endpoint a request line names, and with which
 * method it must come. Pure, so it is cheap and needs no socket to test.
 *
 * @module
 */

import { INIT_ERROR_PATH, NEXT_PATH, RUNTIME_PATH } from "../../runtime_api/contract.ts";
import type { RuntimeApiRoute } from "./state.ts";

const INVOCATION_PREFIX = `${RUNTIME_PATH}/invocation/`;
const EXTENSION_REGISTER_PATH = "/2020-01-01/extension/register";
const EXTENSION_NEXT_PATH = "/2020-01-01/extension/event/next";

/** The method each endpoint accepts. */
export const ROUTE_METHOD: Readonly<Record<RuntimeApiRoute, "GET" | "POST">> = {
  next: "GET",
  response: "POST",
  error: "POST",
  initError: "POST",
  extensionRegister: "POST",
  extensionNext: "GET",
};

/** What a request line asks for. */
export interface RequestLine {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** The endpoint, or `undefined` for an unknown path. */
  readonly route: RuntimeApiRoute | undefined;
  /** The request id of `/response` and `/error`, percent-decoded; `""` otherwise. */
  readonly requestId: string;
}

/**
 * Parses a request line such as `POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1`.
 *
 * @example Find the request id of a response
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseRequestLine } from "./routes.ts";
 *
 * deepEqual(parseRequestLine("POST /2018-06-01/runtime/invocation/a%2Fb/response?x HTTP/1.1"), {
 *   method: "POST",
 *   path: "/2018-06-01/runtime/invocation/a%2Fb/response",
 *   route: "response",
 *   requestId: "a/b",
 * });
 * ```
 *
 * @param line The request's start line.
 * @returns The method, path, endpoint and request id.
 */
export function parseRequestLine(line: string): RequestLine {
  const sp = line.indexOf(" ");
  const method = line.slice(0, sp);
  const end = line.indexOf(" ", sp + 1);
  let path = line.slice(sp + 1, end < 0 ? undefined : end);
  const query = path.indexOf("?");
  if (query >= 0) path = path.slice(0, query);

  let route: RuntimeApiRoute | undefined;
  let requestId = "";
  if (path === NEXT_PATH) route = "next";
  else if (path.startsWith(INVOCATION_PREFIX)) {
    const slash = path.indexOf("/", INVOCATION_PREFIX.length);
    const action = path.slice(slash + 1);
    if (slash > INVOCATION_PREFIX.length && (action === "response" || action === "error")) {
      route = action;
      requestId = _decode(path.slice(INVOCATION_PREFIX.length, slash));
    }
  } else if (path === INIT_ERROR_PATH) route = "initError";
  else if (path === EXTENSION_REGISTER_PATH) route = "extensionRegister";
  else if (path === EXTENSION_NEXT_PATH) route = "extensionNext";
  return { method, path, route, requestId };
}

function _decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
