/**
 * Application Load Balancer target events. With multi-value headers enabled on the target
 * group, `multiValueHeaders` and `multiValueQueryStringParameters` replace the single forms.
 *
 * @module
 */

import { z } from "zod";

/**
 * A request forwarded by an Application Load Balancer. Query values arrive still URL-encoded.
 *
 * @example Requires the target group in the request context
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AlbEventSchema } from "./alb.ts";
 *
 * const event = {
 *   requestContext: {
 *     elb: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1" },
 *   },
 *   httpMethod: "GET", path: "/", headers: { host: "example.com" }, body: "",
 *   isBase64Encoded: false,
 * };
 * equal(AlbEventSchema.parse(event).httpMethod, "GET");
 * equal(AlbEventSchema.safeParse({ ...event, requestContext: {} }).success, false);
 * ```
 */
export const AlbEventSchema = z.looseObject({
  requestContext: z.looseObject({
    elb: z.looseObject({ targetGroupArn: z.string() }),
  }),
  httpMethod: z.string(),
  path: z.string(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  multiValueQueryStringParameters: z.record(z.string(), z.array(z.string())).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().nullable(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
});

/**
 * The response a Lambda target returns to the load balancer. Other fields (an HTTP API's
 * `cookies`) are refused: the load balancer answers 502 to a response it cannot read.
 *
 * @example Cookies go in the headers
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AlbResultSchema } from "./alb.ts";
 *
 * const ok = (result: object) => AlbResultSchema.safeParse(result).success;
 * equal(ok({ statusCode: 200, statusDescription: "200 OK", headers: { "set-cookie": "a=1" } }), true);
 * equal(ok({ statusCode: 200, cookies: ["a=1"] }), false);
 * ```
 */
export const AlbResultSchema = z.strictObject({
  statusCode: z.number().int(),
  statusDescription: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/**
 * An Application Load Balancer event, with single- or multi-value headers, as `AlbEventSchema`
 * returns it. Written out rather than inferred from the schema, so that its documentation names
 * no private zod type and the HTTP adapter can share it without loading zod.
 */
export interface AlbEvent {
  /** The request method. */
  readonly httpMethod: string;
  /** The request path. */
  readonly path: string;
  /** The headers, when the target group has multi-value headers off. */
  readonly headers?: Record<string, string> | undefined;
  /** The headers, when the target group has multi-value headers on. */
  readonly multiValueHeaders?: Record<string, string[]> | undefined;
  /** The query string, percent-encoding kept, when multi-value headers are off. */
  readonly queryStringParameters?: Record<string, string> | undefined;
  /** The query string, percent-encoding kept, when multi-value headers are on. */
  readonly multiValueQueryStringParameters?: Record<string, string[]> | undefined;
  /** The target group the request came through. */
  readonly requestContext: {
    /** The load balancer's side of the request. */
    readonly elb: {
      /** The target group's ARN. */
      readonly targetGroupArn: string;
      /** The fields not listed here, kept as sent. */
      readonly [key: string]: unknown;
    };
    /** The fields not listed here, kept as sent. */
    readonly [key: string]: unknown;
  };
  /** The body: text, or base64 when `isBase64Encoded` is `true`; `""` or `null` when empty. */
  readonly body: string | null;
  /** Whether `body` is base64; absent means it is not. */
  readonly isBase64Encoded?: boolean | undefined;
  /** The fields not listed here, kept as sent. */
  readonly [key: string]: unknown;
}

// The schema and the interface describe one shape: this fails `deno check` when they drift.
// `readonly` is dropped before comparing, as zod's output is mutable.
type _Wire<T> = T extends readonly (infer E)[] ? _Wire<E>[]
  : T extends object ? { -readonly [K in keyof T]: _Wire<T[K]> }
  : T;
type _Same<A, B> = (<G>() => G extends A ? 1 : 2) extends (<G>() => G extends B ? 1 : 2) ? true
  : false;
true satisfies _Same<_Wire<AlbEvent>, _Wire<z.output<typeof AlbEventSchema>>>;

/** The response to an Application Load Balancer. */
export type AlbResult = z.input<typeof AlbResultSchema>;
