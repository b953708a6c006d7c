/**
 * API Gateway HTTP APIs (payload format 2.0): the Lambda proxy integration event and the
 * request authorizer event.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string());

/** The `requestContext.http` block: method, path, protocol, source IP, user agent. */
export const ApiGatewayHttpSchema = z.looseObject({
  method: z.string(),
  path: z.string(),
  protocol: z.string(),
  sourceIp: z.string(),
  userAgent: z.string(),
});

/** The `requestContext` of an HTTP API request. */
export const ApiGatewayRequestContextV2Schema = z.looseObject({
  accountId: z.string(),
  apiId: z.string(),
  authentication: z.looseObject({}).nullish(),
  authorizer: z.looseObject({
    jwt: z.looseObject({
      claims: z.record(z.string(), z.unknown()),
      scopes: z.array(z.string()).nullish(),
    }).optional(),
    lambda: z.record(z.string(), z.unknown()).nullish(),
    iam: z.looseObject({}).optional(),
  }).optional(),
  domainName: z.string(),
  domainPrefix: z.string(),
  http: ApiGatewayHttpSchema,
  requestId: z.string(),
  routeKey: z.string(),
  stage: z.string(),
  time: z.string(),
  timeEpoch: z.number(),
});

/**
 * An HTTP API Lambda proxy integration event. `body` is base64 when `isBase64Encoded`.
 *
 * @example Parse a request and reject a REST (v1) event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayProxyEventV2Schema } from "./api_gateway_http.ts";
 *
 * const event = {
 *   version: "2.0", routeKey: "GET /items", rawPath: "/items", rawQueryString: "",
 *   headers: { host: "example.com" }, isBase64Encoded: false,
 *   requestContext: {
 *     accountId: "123456789012", apiId: "a1", domainName: "example.com", domainPrefix: "a1",
 *     requestId: "r1", routeKey: "GET /items", stage: "$default",
 *     time: "12/Mar/2020:19:03:58 +0000", timeEpoch: 1583348638390,
 *     http: {
 *       method: "GET", path: "/items", protocol: "HTTP/1.1", sourceIp: "192.0.2.1",
 *       userAgent: "curl",
 *     },
 *   },
 * };
 * equal(ApiGatewayProxyEventV2Schema.parse(event).requestContext.http.method, "GET");
 * equal(ApiGatewayProxyEventV2Schema.safeParse({ ...event, version: "1.0" }).success, false);
 * ```
 */
export const ApiGatewayProxyEventV2Schema = z.looseObject({
  version: z.literal("2.0"),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: _stringMap,
  queryStringParameters: _stringMap.optional(),
  // Function URL events, which share this shape, send these three as null.
  pathParameters: _stringMap.nullish(),
  stageVariables: _stringMap.nullish(),
  requestContext: ApiGatewayRequestContextV2Schema,
  body: z.string().nullish(),
  isBase64Encoded: z.boolean(),
});

/** The event an HTTP API Lambda authorizer receives (payload format 2.0). */
export const ApiGatewayRequestAuthorizerEventV2Schema = z.looseObject({
  version: z.literal("2.0"),
  type: z.literal("REQUEST"),
  routeArn: z.string(),
  identitySource: z.array(z.string()).nullish(),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: _stringMap.optional(),
  queryStringParameters: _stringMap.optional(),
  pathParameters: _stringMap.optional(),
  stageVariables: _stringMap.optional(),
  requestContext: ApiGatewayRequestContextV2Schema,
});

/** The "simple response" an HTTP API authorizer may return. */
export const ApiGatewaySimpleAuthorizerResultSchema = z.looseObject({
  isAuthorized: z.boolean(),
  context: z.record(z.string(), z.unknown()).optional(),
});

/** The HTTP response an HTTP API integration returns (the structured form). */
export const ApiGatewayProxyResultV2Schema = z.looseObject({
  statusCode: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** The `requestContext` of an HTTP API request. */
export type ApiGatewayRequestContextV2 = z.infer<typeof ApiGatewayRequestContextV2Schema>;
/** An HTTP API Lambda proxy integration event. */
export type ApiGatewayProxyEventV2 = z.infer<typeof ApiGatewayProxyEventV2Schema>;
/** An HTTP API Lambda authorizer event. */
export type ApiGatewayRequestAuthorizerEventV2 = z.infer<
  typeof ApiGatewayRequestAuthorizerEventV2Schema
>;
/** The simple response of an HTTP API authorizer. */
export type ApiGatewaySimpleAuthorizerResult = z.input<
  typeof ApiGatewaySimpleAuthorizerResultSchema
>;
/** The structured response of an HTTP API integration. */
export type ApiGatewayProxyResultV2 = z.input<typeof ApiGatewayProxyResultV2Schema>;
