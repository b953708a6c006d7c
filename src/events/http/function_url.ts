/**
 * Lambda function URL events. The shape is API Gateway's payload format 2.0, with `$default`
 * for the route and stage, an optional IAM authorizer block, and the function URL's own domain
 * (`<url-id>.lambda-url.<region>.on.aws`), which tells it from an HTTP API's event. It is
 * declared here on its own so that importing it loads no API Gateway schema.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string());

/** The `requestContext` of a function URL request. */
export const FunctionUrlRequestContextSchema = z.looseObject({
  accountId: z.string().optional(),
  apiId: z.string(),
  // null unless the URL's auth type is AWS_IAM.
  authorizer: z.looseObject({
    iam: z.looseObject({
      accessKey: z.string(),
      accountId: z.string(),
      callerId: z.string(),
      cognitoIdentity: z.unknown().nullish(),
      principalOrgId: z.string().nullish(),
      userArn: z.string(),
      userId: z.string(),
    }),
  }).nullish(),
  domainName: z.string().regex(/^[^.]+\.lambda-url\.[^.]+\.on\.[a-z.]+$/i, {
    error: "expected a function URL's domain, <url-id>.lambda-url.<region>.on.aws",
  }),
  domainPrefix: z.string().optional(),
  http: z.looseObject({
    method: z.string(),
    path: z.string(),
    protocol: z.string().optional(),
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
  }),
  requestId: z.string(),
  routeKey: z.literal("$default"),
  stage: z.literal("$default"),
  time: z.string().optional(),
  timeEpoch: z.number().optional(),
});

/**
 * A function URL request. `body` is base64 when `isBase64Encoded`.
 *
 * @example Route and stage are always `$default`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { FunctionUrlEventSchema } from "./function_url.ts";
 *
 * const event = {
 *   version: "2.0", routeKey: "$default", rawPath: "/", rawQueryString: "", headers: {},
 *   isBase64Encoded: false,
 *   requestContext: {
 *     accountId: "anonymous", apiId: "abc", domainName: "abc.lambda-url.eu-west-1.on.aws",
 *     domainPrefix: "abc", requestId: "r1", routeKey: "$default", stage: "$default",
 *     time: "12/Mar/2020:19:03:58 +0000", timeEpoch: 1,
 *     http: { method: "GET", path: "/", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "curl" },
 *   },
 * };
 * equal(FunctionUrlEventSchema.parse(event).rawPath, "/");
 * equal(FunctionUrlEventSchema.safeParse({ ...event, routeKey: "GET /" }).success, false);
 * const domainName = "abc.execute-api.eu-west-1.amazonaws.com"; // an HTTP API's request
 * equal(
 *   FunctionUrlEventSchema.safeParse({ ...event, requestContext: { ...event.requestContext, domainName } })
 *     .success,
 *   false,
 * );
 * ```
 */
export const FunctionUrlEventSchema = z.looseObject({
  version: z.literal("2.0"),
  routeKey: z.literal("$default"),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: _stringMap,
  queryStringParameters: _stringMap.optional(),
  // Sent as null.
  pathParameters: _stringMap.nullish(),
  stageVariables: _stringMap.nullish(),
  requestContext: FunctionUrlRequestContextSchema,
  body: z.string().nullish(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
});

/** The `requestContext` of a function URL request. */
export type FunctionUrlRequestContext = z.infer<typeof FunctionUrlRequestContextSchema>;
/** A function URL request. */
export type FunctionUrlEvent = z.infer<typeof FunctionUrlEventSchema>;
