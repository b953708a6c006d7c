/**
 * What a fetch handler may want to know about a request that came through Lambda but that a
 * `Request` has no field for: the caller's address, API Gateway's request id, the raw event and
 * the invocation context. Kept beside the request, not on it, so the request stays a plain
 * `Request` and the record goes when the request does.
 *
 * @module
 */

import type { Context } from "../runtime/context.ts";
import type { HttpEventSource } from "./event.ts";

/** What the adapter knows about a request beyond the `Request` itself. */
export interface HttpRequestInfo {
  /** The source the event came from. */
  readonly source: HttpEventSource;
  /** The caller's IP address, when the event says it. */
  readonly sourceIp: string | undefined;
  /** API Gateway's request id (`requestContext.requestId`); ALB events have none. */
  readonly requestId: string | undefined;
  /** The event, as received. */
  readonly event: unknown;
  /** The invocation's context. */
  readonly context: Context;
}

const infos = new WeakMap<Request, HttpRequestInfo>();

/**
 * Looks up what the adapter knows about a request it made.
 *
 * @example Outside Lambda there is nothing to know
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { requestInfo } from "./info.ts";
 *
 * equal(requestInfo(new Request("http://localhost/")), undefined);
 * ```
 *
 * @param request The request a handler received.
 * @returns The source IP, request id, event and context; `undefined` for a request that did not
 * come through the adapter (under `Deno.serve`, say).
 */
export function requestInfo(request: Request): HttpRequestInfo | undefined {
  return infos.get(request);
}

/**
 * Records what the adapter knows about a request it made, for {@linkcode requestInfo}.
 *
 * @param request The request made from the event.
 * @param info What the event and the invocation said about it.
 */
export function setRequestInfo(request: Request, info: HttpRequestInfo): void {
  infos.set(request, info);
}
