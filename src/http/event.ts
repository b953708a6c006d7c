/**
 * The HTTP events Lambda receives and how to tell them apart. API Gateway REST APIs (and HTTP
 * APIs on payload format 1.0) send the "v1" shape, HTTP APIs on format 2.0 and Function URLs the
 * "v2" shape, and Application Load Balancers their own, close to v1. Each expects its answer in
 * its own shape, so the source is decided once, from the event, and carried to the result.
 *
 * @module
 */

import type { AlbEvent } from "../events/http/alb.ts";

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
  /** The API's stage, such as `prod`. */
  readonly stage?: string;
  /** The resource that matched, such as `/orders/{id}`. */
  readonly resourcePath?: string;
  /** API Gateway's id for the request. */
  readonly requestId?: string;
  /** The host name the caller used. */
  readonly domainName?: string;
  /** The path as the caller sent it, stage included. */
  readonly path?: string;
  /** Who called. */
  readonly identity?: {
    /** The caller's IP address. */
    readonly sourceIp?: string;
  };
  /** The fields this adapter does not read, kept as sent. */
  readonly [key: string]: unknown;
}

/** An API Gateway REST API proxy event (payload format 1.0). */
export interface ApiGatewayV1Event {
  /** `"1.0"` from an HTTP API; REST APIs leave it out. */
  readonly version?: string;
  /** The resource that matched, such as `/orders/{id}`. */
  readonly resource?: string;
  /** The request path, decoded. */
  readonly path: string;
  /** The request method. */
  readonly httpMethod: string;
  /** The headers, the last value of each. */
  readonly headers?: Record<string, string> | null;
  /** The headers, every value of each. */
  readonly multiValueHeaders?: Record<string, string[]> | null;
  /** The query string, decoded, the last value of each key. */
  readonly queryStringParameters?: Record<string, string> | null;
  /** The query string, decoded, every value of each key. */
  readonly multiValueQueryStringParameters?: Record<string, string[]> | null;
  /** Where the request came from and how API Gateway handled it. */
  readonly requestContext: ApiGatewayV1RequestContext;
  /** The body: text, or base64 when `isBase64Encoded` is `true`. */
  readonly body?: string | null;
  /** Whether `body` is base64. */
  readonly isBase64Encoded?: boolean;
  /** The fields this adapter does not read, kept as sent. */
  readonly [key: string]: unknown;
}

/** The request context of a v2 event, as far as this adapter reads it. */
export interface ApiGatewayV2RequestContext {
  /** The API's stage; `$default` for a Function URL. */
  readonly stage?: string;
  /** API Gateway's (or the Function URL's) id for the request. */
  readonly requestId?: string;
  /** The host name the caller used. */
  readonly domainName?: string;
  /** The request line and the caller. */
  readonly http: {
    /** The request method. */
    readonly method: string;
    /** The request path, decoded. */
    readonly path?: string;
    /** The caller's IP address. */
    readonly sourceIp?: string;
    /** The fields this adapter does not read, kept as sent. */
    readonly [key: string]: unknown;
  };
  /** The fields this adapter does not read, kept as sent. */
  readonly [key: string]: unknown;
}

/** An API Gateway HTTP API (payload format 2.0) or Lambda Function URL event. */
export interface ApiGatewayV2Event {
  /** The payload format version. */
  readonly version: "2.0";
  /** The request path, percent-encoding kept. */
  readonly rawPath: string;
  /** The query string as sent, without the `?`. */
  readonly rawQueryString?: string;
  /** The `Cookie` header, one entry per cookie. */
  readonly cookies?: string[];
  /** The headers, repeated values joined with commas. */
  readonly headers?: Record<string, string>;
  /** Where the request came from and how it was routed. */
  readonly requestContext: ApiGatewayV2RequestContext;
  /** The body: text, or base64 when `isBase64Encoded` is `true`. */
  readonly body?: string;
  /** Whether `body` is base64. */
  readonly isBase64Encoded?: boolean;
  /** The fields this adapter does not read, kept as sent. */
  readonly [key: string]: unknown;
}

// The ALB event is declared once, beside its schema; a type-only import keeps zod unloaded here.
export type { AlbEvent };

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
