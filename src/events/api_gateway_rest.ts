/**
 * API Gateway REST APIs (payload format 1.0): the Lambda proxy integration event and the
 * REQUEST and TOKEN Lambda authorizer events, and the HTTP API event of payload format 1.0.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string()).nullish();
const _multiMap = z.record(z.string(), z.array(z.string())).nullish();
const _maybe = z.string().nullish();

/** Who called: most fields are `null` unless IAM or Cognito authorization is in use. */
export const ApiGatewayIdentitySchema = z.looseObject({
  sourceIp: z.string(),
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

/** The `requestContext` of a REST API request. */
export const ApiGatewayRequestContextSchema = z.looseObject({
  accountId: z.string(),
  apiId: z.string(),
  authorizer: z.record(z.string(), z.unknown()).nullish(),
  domainName: z.string().optional(),
  domainPrefix: z.string().optional(),
  extendedRequestId: z.string().optional(),
  httpMethod: z.string(),
  identity: ApiGatewayIdentitySchema,
  path: z.string(),
  protocol: z.string(),
  requestId: z.string(),
  requestTime: z.string().optional(),
  requestTimeEpoch: z.number(),
  // null in HTTP API events of payload format 1.0, which have no resources.
  resourceId: z.string().nullable(),
  resourcePath: z.string(),
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
 * ```
 */
export const ApiGatewayProxyEventSchema = z.looseObject({
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
  body: z.string().nullable(),
  isBase64Encoded: z.boolean(),
});

/**
 * An HTTP API Lambda proxy integration event in payload format 1.0: the REST API event's shape
 * with `version: "1.0"` and a `null` `requestContext.resourceId`.
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

/** The event a REQUEST authorizer receives: the whole request, plus `methodArn`. */
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
  requestContext: ApiGatewayRequestContextSchema.partial().extend({
    accountId: z.string(),
    apiId: z.string(),
  }),
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
/** What a REST API authorizer returns. */
export type ApiGatewayAuthorizerResult = z.input<typeof ApiGatewayAuthorizerResultSchema>;
