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
  isBase64Encoded: z.boolean(),
});

/** The response a Lambda target returns to the load balancer. */
export const AlbResultSchema = z.looseObject({
  statusCode: z.number().int(),
  statusDescription: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** An Application Load Balancer event. */
export type AlbEvent = z.infer<typeof AlbEventSchema>;
/** The response to an Application Load Balancer. */
export type AlbResult = z.input<typeof AlbResultSchema>;
