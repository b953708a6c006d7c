/**
 * API Gateway REST APIs (payload format 1.0): the Lambda proxy integration event and its result,
 * the REQUEST and TOKEN Lambda authorizer events and their policy, and the HTTP API event of
 * payload format 1.0, told apart from a REST API's by its `version`.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string()).nullish();
const _multiMap = z.record(z.string(), z.array(z.string())).nullish();
const _maybe = z.string().nullish();
const _headerValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Who called: most fields are `null` unless IAM or Cognito authorization is in use. The API
 * Gateway console's Test button sends `"test-invoke-source-ip"` for `sourceIp`.
 */
export const ApiGatewayIdentitySchema = z.looseObject({
  sourceIp: z.string().optional(),
  accessKey: _maybe,
  accountId: _maybe,
  apiKey: _maybe,
  apiKeyId: _maybe,
  caller: _maybe,
  cognitoAuthenticationProvider: _maybe,
  cognitoAuthenticationType: _maybe,
  cognitoIdentityId: _maybe,
  cognitoIdentityPoolId: _maybe,
  principalOrgId: _maybe,
  user: _maybe,
  userAgent: _maybe,
  userArn: _maybe,
  clientCert: z.looseObject({}).nullish(),
});

/** The `requestContext` of a REST API request: which API, stage and request it is. */
export const ApiGatewayRequestContextSchema = z.looseObject({
  accountId: z.string().optional(),
  apiId: z.string(),
  authorizer: z.record(z.string(), z.unknown()).nullish(),
  domainName: z.string().optional(),
  domainPrefix: z.string().optional(),
  extendedRequestId: z.string().optional(),
  httpMethod: z.string().optional(),
  identity: ApiGatewayIdentitySchema.optional(),
  path: z.string().optional(),
  protocol: z.string().optional(),
  requestId: z.string(),
  requestTime: z.string().optional(),
  requestTimeEpoch: z.number().optional(),
  // null in the API Gateway guide's HTTP API 1.0 sample; the route key in real ones.
  resourceId: z.string().nullish(),
  resourcePath: z.string().optional(),
  stage: z.string(),
});

/**
 * A REST API Lambda proxy integration event. `body` is base64 when `isBase64Encoded`.
 *
 * @example Parse a GET request
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayProxyEventSchema } from "./api_gateway_rest.ts";
 *
 * const event = ApiGatewayProxyEventSchema.parse({
 *   resource: "/items/{id}", path: "/items/7", httpMethod: "GET", headers: null,
 *   multiValueHeaders: null, queryStringParameters: null,
 *   multiValueQueryStringParameters: null, pathParameters: { id: "7" }, stageVariables: null,
 *   body: null, isBase64Encoded: false,
 *   requestContext: {
 *     accountId: "123456789012", apiId: "a1", httpMethod: "GET", path: "/prod/items/7",
 *     protocol: "HTTP/1.1", requestId: "r1", requestTimeEpoch: 1, resourceId: "x",
 *     resourcePath: "/items/{id}", stage: "prod", identity: { sourceIp: "192.0.2.1" },
 *   },
 * });
 * equal(event.pathParameters?.id, "7");
 * // An HTTP API's event says which payload format it is; a REST API's does not.
 * equal(ApiGatewayProxyEventSchema.safeParse({ ...event, version: "1.0" }).success, false);
 * ```
 */
export const ApiGatewayProxyEventSchema = z.looseObject({
  version: z.undefined({
    error: "expected no version: a REST API sends none, an HTTP API sends it " +
      "(ApiGatewayHttpV1EventSchema)",
  }).optional(),
  methodArn: z.undefined({ error: "expected no methodArn: this is an authorizer's event" })
    .optional(),
  resource: z.string(),
  path: z.string(),
  httpMethod: z.string(),
  headers: _stringMap,
  multiValueHeaders: _multiMap,
  queryStringParameters: _stringMap,
  multiValueQueryStringParameters: _multiMap,
  pathParameters: _stringMap,
  stageVariables: _stringMap,
  requestContext: ApiGatewayRequestContextSchema,
  body: z.string().nullish(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
});

/**
 * An HTTP API Lambda proxy integration event in payload format 1.0: the REST API event's shape
 * with `version: "1.0"`, which a REST API never sends.
 *
 * @example Tell an HTTP API 1.0 event from a REST API event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayHttpV1EventSchema } from "./api_gateway_rest.ts";
 *
 * const event = {
 *   version: "1.0", resource: "/items", path: "/items", httpMethod: "GET", headers: {},
 *   multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
 *   pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
 *   requestContext: {
 *     accountId: "123456789012", apiId: "a1", httpMethod: "GET", path: "/items",
 *     protocol: "HTTP/1.1", requestId: "r1", requestTimeEpoch: 1, resourceId: null,
 *     resourcePath: "/items", stage: "$default", identity: { sourceIp: "192.0.2.1" },
 *   },
 * };
 * equal(ApiGatewayHttpV1EventSchema.parse(event).requestContext.resourceId, null);
 * const { version: _, ...rest } = event;
 * equal(ApiGatewayHttpV1EventSchema.safeParse(rest).success, false);
 * ```
 */
export const ApiGatewayHttpV1EventSchema = ApiGatewayProxyEventSchema.extend({
  version: z.literal("1.0"),
});

/**
 * The event a REQUEST authorizer of a REST API receives: the whole request, plus `methodArn`.
 * An HTTP API's authorizer with payload format 1.0 receives the same, with `version: "1.0"`.
 */
export const ApiGatewayRequestAuthorizerEventSchema = z.looseObject({
  type: z.literal("REQUEST"),
  methodArn: z.string(),
  resource: z.string(),
  path: z.string(),
  httpMethod: z.string(),
  headers: _stringMap,
  multiValueHeaders: _multiMap,
  queryStringParameters: _stringMap,
  multiValueQueryStringParameters: _multiMap,
  pathParameters: _stringMap,
  stageVariables: _stringMap,
  requestContext: ApiGatewayRequestContextSchema.partial().extend({ apiId: z.string() }),
});

/**
 * The event a TOKEN authorizer receives: only the token and the method ARN.
 *
 * @example A token authorizer event is not a request authorizer event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayTokenAuthorizerEventSchema } from "./api_gateway_rest.ts";
 *
 * const event = {
 *   type: "TOKEN", authorizationToken: "Bearer abc",
 *   methodArn: "arn:aws:execute-api:eu-west-1:123456789012:a1/prod/GET/items",
 * };
 * equal(ApiGatewayTokenAuthorizerEventSchema.parse(event).authorizationToken, "Bearer abc");
 * equal(ApiGatewayTokenAuthorizerEventSchema.safeParse({ ...event, type: "REQUEST" }).success, false);
 * ```
 */
export const ApiGatewayTokenAuthorizerEventSchema = z.looseObject({
  type: z.literal("TOKEN"),
  authorizationToken: z.string(),
  methodArn: z.string(),
});

/**
 * The HTTP response a REST API's Lambda proxy integration returns. API Gateway answers 502
 * ("Malformed Lambda proxy response") to any other field, so `cookies` (an HTTP API's) and
 * `statusDescription` (a load balancer's) are refused.
 *
 * @example Cookies go in `multiValueHeaders`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayProxyResultSchema } from "./api_gateway_rest.ts";
 *
 * const ok = (result: object) => ApiGatewayProxyResultSchema.safeParse(result).success;
 * equal(ok({ statusCode: 200, multiValueHeaders: { "set-cookie": ["a=1", "b=2"] }, body: "" }), true);
 * equal(ok({ statusCode: 200, cookies: ["a=1"], body: "" }), false);
 * ```
 */
export const ApiGatewayProxyResultSchema = z.strictObject({
  statusCode: z.number().int(),
  headers: z.record(z.string(), _headerValue).optional(),
  multiValueHeaders: z.record(z.string(), z.array(_headerValue)).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** The IAM policy an authorizer returns. */
export const ApiGatewayAuthorizerResultSchema = z.looseObject({
  principalId: z.string(),
  policyDocument: z.looseObject({
    Version: z.string(),
    Statement: z.array(z.looseObject({
      Action: z.union([z.string(), z.array(z.string())]),
      Effect: z.enum(["Allow", "Deny"]),
      Resource: z.union([z.string(), z.array(z.string())]),
    })),
  }),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  usageIdentifierKey: z.string().optional(),
});

/** The caller's identity in a REST API request. */
export type ApiGatewayIdentity = z.infer<typeof ApiGatewayIdentitySchema>;
/** The `requestContext` of a REST API request. */
export type ApiGatewayRequestContext = z.infer<typeof ApiGatewayRequestContextSchema>;
/** A REST API Lambda proxy integration event. */
export type ApiGatewayProxyEvent = z.infer<typeof ApiGatewayProxyEventSchema>;
/** An HTTP API event in payload format 1.0. */
export type ApiGatewayHttpV1Event = z.infer<typeof ApiGatewayHttpV1EventSchema>;
/** A REQUEST authorizer event. */
export type ApiGatewayRequestAuthorizerEvent = z.infer<
  typeof ApiGatewayRequestAuthorizerEventSchema
>;
/** A TOKEN authorizer event. */
export type ApiGatewayTokenAuthorizerEvent = z.infer<typeof ApiGatewayTokenAuthorizerEventSchema>;
/** What a REST API's Lambda proxy integration returns. */
export type ApiGatewayProxyResult = z.input<typeof ApiGatewayProxyResultSchema>;
/** What a REST API authorizer returns. */
export type ApiGatewayAuthorizerResult = z.input<typeof ApiGatewayAuthorizerResultSchema>;
