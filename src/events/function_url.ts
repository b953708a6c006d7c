/**
 * Lambda function URL events. The shape is API Gateway's payload format 2.0, with `$default`
 * for the route and stage and an optional IAM authorizer block; it is declared here on its own
 * so that importing it loads no API Gateway schema.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string());

/** The `requestContext` of a function URL request. */
export const FunctionUrlRequestContextSchema = z.looseObject({
  accountId: z.string(),
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
  domainName: z.string(),
  domainPrefix: z.string(),
  http: z.looseObject({
    method: z.string(),
    path: z.string(),
    protocol: z.string(),
    sourceIp: z.string(),
    userAgent: z.string(),
  }),
  requestId: z.string(),
  routeKey: z.literal("$default"),
  stage: z.literal("$default"),
  time: z.string(),
  timeEpoch: z.number(),
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
  requestContext: FunctionUrlRequestContextSchema,
  body: z.string().nullish(),
  isBase64Encoded: z.boolean(),
});

/** The `requestContext` of a function URL request. */
export type FunctionUrlRequestContext = z.infer<typeof FunctionUrlRequestContextSchema>;
/** A function URL request. */
export type FunctionUrlEvent = z.infer<typeof FunctionUrlEventSchema>;
