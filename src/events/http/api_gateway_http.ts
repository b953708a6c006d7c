/**
 * API Gateway HTTP APIs (payload format 2.0): the Lambda proxy integration event and its
 * result, and the request authorizer event and its simple result. A function URL's event has
 * the same shape; its domain name tells them apart.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string());

// A function URL's own domain: `<url-id>.lambda-url.<region>.on.aws`.
const _FUNCTION_URL_DOMAIN = /^[^.]+\.lambda-url\.[^.]+\.on\.[a-z.]+$/i;

/** The `requestContext.http` block: method, path, protocol, source IP, user agent. */
export const ApiGatewayHttpSchema = z.looseObject({
  method: z.string(),
  path: z.string(),
  protocol: z.string().optional(),
  sourceIp: z.string().optional(),
  userAgent: z.string().optional(),
});

/**
 * The `requestContext` of an HTTP API request. `domainName` is the API's `execute-api` domain or
 * a custom domain, never a function URL's (`….lambda-url.<region>.on.aws`).
 */
export const ApiGatewayRequestContextV2Schema = z.looseObject({
  accountId: z.string().optional(),
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
  domainName: z.string().refine((domain) => !_FUNCTION_URL_DOMAIN.test(domain), {
    error: "expected an API's domain, not a function URL's: this is a FunctionUrlEventSchema event",
  }),
  domainPrefix: z.string().optional(),
  http: ApiGatewayHttpSchema,
  requestId: z.string(),
  routeKey: z.string(),
  stage: z.string(),
  time: z.string().optional(),
  timeEpoch: z.number().optional(),
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
 * const domainName = "abc.lambda-url.eu-west-1.on.aws"; // a function URL's request
 * equal(
 *   ApiGatewayProxyEventV2Schema.safeParse({
 *     ...event, requestContext: { ...event.requestContext, domainName },
 *   }).success,
 *   false,
 * );
 * ```
 */
export const ApiGatewayProxyEventV2Schema = z.looseObject({
  version: z.literal("2.0"),
  routeArn: z.undefined({ error: "expected no routeArn: this is an authorizer's event" })
    .optional(),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: _stringMap,
  queryStringParameters: _stringMap.optional(),
  pathParameters: _stringMap.nullish(),
  stageVariables: _stringMap.nullish(),
  requestContext: ApiGatewayRequestContextV2Schema,
  body: z.string().nullish(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
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

/**
 * The "simple response" an HTTP API authorizer may return. An AppSync authorizer's fields
 * (`resolverContext`, `deniedFields`, `ttlOverride`) are refused: an HTTP API ignores them.
 *
 * @example Context goes in `context`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewaySimpleAuthorizerResultSchema } from "./api_gateway_http.ts";
 *
 * const ok = (result: object) => ApiGatewaySimpleAuthorizerResultSchema.safeParse(result).success;
 * equal(ok({ isAuthorized: true, context: { user: "ada" } }), true);
 * equal(ok({ isAuthorized: true, resolverContext: { user: "ada" } }), false);
 * ```
 */
export const ApiGatewaySimpleAuthorizerResultSchema = z.strictObject({
  isAuthorized: z.boolean(),
  context: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The HTTP response an HTTP API integration or a function URL returns (the structured form).
 * Payload format 2.0 has no `multiValueHeaders` (repeated headers are joined with commas, and
 * cookies go in `cookies`) and no `statusDescription`: both are refused, as they would be lost.
 */
export const ApiGatewayProxyResultV2Schema = z.strictObject({
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
