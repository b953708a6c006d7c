/**
 * The HTTP events Lambda receives and how to tell them apart. API Gateway REST APIs (and HTTP
 * APIs on payload format 1.0) send the "v1" shape, HTTP APIs on format 2.0 and Function URLs the
 * "v2" shape, and Application Load Balancers their own, close to v1. Each expects its answer in
 * its own shape, so the source is decided once, from the event, and carried to the result.
 *
 * @module
 */

import type { AlbEvent } from "../events/alb.ts";

/**
 * Where an HTTP event came from, by the shape of its payload:
 * - `"v1"`: API Gateway REST API, or HTTP API with payload format 1.0;
 * - `"v2"`: API Gateway HTTP API with payload format 2.0, or a Lambda Function URL;
 * - `"alb"`: an Application Load Balancer target group.
 */
export type HttpEventSource = "v1" | "v2" | "alb";

/** The shape an answer must take: its source, and whether headers travel as lists. */
export interface ResultShape {
  /** The source the event came from, `"v2"` when it could not be told. */
  readonly source: HttpEventSource;
  /**
   * Whether the event carried `multiValueHeaders`: always for REST APIs, and for an ALB whose
   * target group has multi-value headers turned on — which then ignores a plain `headers` map.
   */
  readonly multiValue: boolean;
}

/** The request context of a v1 event, as far as this adapter reads it. */
export interface ApiGatewayV1RequestContext {
  readonly stage?: string;
  readonly resourcePath?: string;
  readonly requestId?: string;
  readonly domainName?: string;
  readonly path?: string;
  readonly identity?: { readonly sourceIp?: string };
  readonly [key: string]: unknown;
}

/** An API Gateway REST API proxy event (payload format 1.0). */
export interface ApiGatewayV1Event {
  readonly version?: string;
  readonly resource?: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers?: Record<string, string> | null;
  readonly multiValueHeaders?: Record<string, string[]> | null;
  readonly queryStringParameters?: Record<string, string> | null;
  readonly multiValueQueryStringParameters?: Record<string, string[]> | null;
  readonly requestContext: ApiGatewayV1RequestContext;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly [key: string]: unknown;
}

/** The request context of a v2 event, as far as this adapter reads it. */
export interface ApiGatewayV2RequestContext {
  readonly stage?: string;
  readonly requestId?: string;
  readonly domainName?: string;
  readonly http: {
    readonly method: string;
    readonly path?: string;
    readonly sourceIp?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** An API Gateway HTTP API (payload format 2.0) or Lambda Function URL event. */
export interface ApiGatewayV2Event {
  readonly version: "2.0";
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly cookies?: string[];
  readonly headers?: Record<string, string>;
  readonly requestContext: ApiGatewayV2RequestContext;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly [key: string]: unknown;
}

/**
 * An Application Load Balancer event: the event schemas' type, imported as a type only, so the
 * adapter does not load zod.
 */
export type { AlbEvent } from "../events/alb.ts";

/** Any HTTP event this adapter understands. */
export type HttpEvent = ApiGatewayV1Event | ApiGatewayV2Event | AlbEvent;

/**
 * Tells which source an event came from, by its shape alone: `version: "2.0"` is v2,
 * `requestContext.elb` is an ALB, and `httpMethod` with `requestContext.stage` or
 * `requestContext.resourcePath` is v1.
 *
 * @example Tell a Function URL event from an ALB event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { detectSource } from "./event.ts";
 *
 * equal(detectSource({ version: "2.0", rawPath: "/", requestContext: { http: {} } }), "v2");
 * equal(detectSource({ httpMethod: "GET", requestContext: { elb: {} } }), "alb");
 * equal(detectSource({ hello: "world" }), undefined);
 * ```
 *
 * @param event The event, as received.
 * @returns The source, or `undefined` when the event is not an HTTP event.
 */
export function detectSource(event: unknown): HttpEventSource | undefined {
  if (!isRecord(event)) return undefined;
  const context = event.requestContext;
  if (!isRecord(context)) return undefined;
  if (event.version === "2.0") return "v2";
  if (isRecord(context.elb)) return "alb";
  if (
    typeof event.httpMethod === "string" &&
    (typeof context.stage === "string" || typeof context.resourcePath === "string")
  ) return "v1";
  return undefined;
}

/**
 * The shape the answer to an event must take; `v2` without multi-value headers when the event
 * is not one this adapter knows, as that is the simplest shape every HTTP source accepts.
 *
 * @param event The event, as received.
 * @returns Its source and whether it carried `multiValueHeaders`.
 */
export function resultShape(event: unknown): ResultShape {
  const source = detectSource(event) ?? "v2";
  const multiValue = source !== "v2" && isRecord(event) && isRecord(event.multiValueHeaders);
  return { source, multiValue };
}

/**
 * Whether a value is a plain object one can read fields from.
 *
 * @param value Anything.
 * @returns `true` for a non-null, non-array object.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
