/**
 * CloudFront Lambda@Edge events: the request events (viewer and origin request) and the
 * response events (origin and viewer response). Headers are keyed by lower-case name, each a
 * list of `{ key, value }` with the name as sent.
 *
 * @module
 */

import { z } from "zod";

/** Headers: lower-case name to a list of `{ key, value }`. */
export const CloudFrontHeadersSchema = z.record(
  z.string(),
  z.array(z.looseObject({ key: z.string().optional(), value: z.string() })),
);

const _eventTypes = [
  "viewer-request",
  "origin-request",
  "origin-response",
  "viewer-response",
] as const;

/**
 * Which distribution and trigger the event comes from. CloudFront sends every field but
 * `requestId` (viewer events only); `sam local generate-event`'s samples have only the id.
 */
export const CloudFrontConfigSchema = z.looseObject({
  distributionDomainName: z.string().optional(),
  distributionId: z.string().optional(),
  eventType: z.enum(_eventTypes).optional(),
  requestId: z.string().optional(),
});

const _origin = z.looseObject({
  domainName: z.string(),
  customHeaders: CloudFrontHeadersSchema.optional(),
  path: z.string().optional(),
});

/** The request. `body` comes only when the trigger includes it; `origin` with origin requests. */
export const CloudFrontRequestSchema = z.looseObject({
  clientIp: z.string().optional(),
  method: z.string(),
  uri: z.string(),
  // Without `?`; CloudFront sends "" for none, some of AWS's samples leave it out.
  querystring: z.string().optional(),
  headers: CloudFrontHeadersSchema,
  body: z.looseObject({
    action: z.enum(["read-only", "replace"]),
    data: z.string(),
    encoding: z.enum(["base64", "text"]),
    inputTruncated: z.boolean(),
  }).optional(),
  origin: z.looseObject({ custom: _origin.optional(), s3: _origin.optional() }).optional(),
});

/** The response, in response events. */
export const CloudFrontResponseSchema = z.looseObject({
  status: z.string(),
  statusDescription: z.string().optional(),
  headers: CloudFrontHeadersSchema,
});

/**
 * A viewer or origin request event.
 *
 * @example Read the URI of a viewer request
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CloudFrontRequestEventSchema } from "./cloudfront.ts";
 *
 * const event = CloudFrontRequestEventSchema.parse({
 *   Records: [{ cf: {
 *     config: {
 *       distributionDomainName: "d1.cloudfront.net", distributionId: "E1",
 *       eventType: "viewer-request", requestId: "r1",
 *     },
 *     request: {
 *       clientIp: "192.0.2.1", method: "GET", uri: "/index.html", querystring: "",
 *       headers: { host: [{ key: "Host", value: "d1.cloudfront.net" }] },
 *     },
 *   } }],
 * });
 * equal(event.Records[0]?.cf.request.uri, "/index.html");
 * ```
 */
export const CloudFrontRequestEventSchema = z.looseObject({
  Records: z.array(z.looseObject({
    cf: z.looseObject({
      config: CloudFrontConfigSchema.extend({
        eventType: z.enum(["viewer-request", "origin-request"]).optional(),
      }),
      request: CloudFrontRequestSchema,
      response: z.undefined({ error: "expected no response: this is a response event" })
        .optional(),
    }),
  })).min(1),
});

/**
 * An origin or viewer response event: the request (which some of AWS's samples leave out), and
 * the response to it.
 *
 * @example A response event needs the response
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CloudFrontResponseEventSchema } from "./cloudfront.ts";
 *
 * const cf = {
 *   config: {
 *     distributionDomainName: "d1.cloudfront.net", distributionId: "E1",
 *     eventType: "origin-response",
 *   },
 *   request: { clientIp: "192.0.2.1", method: "GET", uri: "/", querystring: "", headers: {} },
 *   response: { status: "200", statusDescription: "OK", headers: {} },
 * };
 * equal(CloudFrontResponseEventSchema.parse({ Records: [{ cf }] }).Records[0]?.cf.response.status, "200");
 * equal(CloudFrontResponseEventSchema.safeParse({ Records: [{ cf: { ...cf, response: undefined } }] }).success, false);
 * equal(CloudFrontResponseEventSchema.safeParse({ Records: [] }).success, false);
 * ```
 */
export const CloudFrontResponseEventSchema = z.looseObject({
  Records: z.array(z.looseObject({
    cf: z.looseObject({
      config: CloudFrontConfigSchema.extend({
        eventType: z.enum(["origin-response", "viewer-response"]).optional(),
      }),
      request: CloudFrontRequestSchema.optional(),
      response: CloudFrontResponseSchema,
    }),
  })).min(1),
});

/** Lambda@Edge headers. */
export type CloudFrontHeaders = z.infer<typeof CloudFrontHeadersSchema>;
/** Which distribution and trigger an event comes from. */
export type CloudFrontConfig = z.infer<typeof CloudFrontConfigSchema>;
/** The request of a Lambda@Edge event. */
export type CloudFrontRequest = z.infer<typeof CloudFrontRequestSchema>;
/** The response of a response event. */
export type CloudFrontResponse = z.infer<typeof CloudFrontResponseSchema>;
/** A viewer or origin request event. */
export type CloudFrontRequestEvent = z.infer<typeof CloudFrontRequestEventSchema>;
/** An origin or viewer response event. */
export type CloudFrontResponseEvent = z.infer<typeof CloudFrontResponseEventSchema>;
