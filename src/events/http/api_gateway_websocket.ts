/**
 * API Gateway WebSocket APIs: the `$connect`, `$disconnect` and message route events, the
 * `REQUEST` authorizer event of the `$connect` route, and what a route integration returns.
 *
 * @module
 */

import { z } from "zod";

const _stringMap = z.record(z.string(), z.string()).nullish();
const _multiMap = z.record(z.string(), z.array(z.string())).nullish();

/**
 * The `requestContext` of a WebSocket event: the connection and what happened to it. The
 * connection id, domain name and stage are what a reply through the `@connections` API needs.
 */
export const ApiGatewayWebSocketRequestContextSchema = z.looseObject({
  routeKey: z.string(),
  eventType: z.enum(["CONNECT", "MESSAGE", "DISCONNECT"]),
  // null on $connect, as are the disconnect fields.
  messageId: z.string().nullish(),
  extendedRequestId: z.string().optional(),
  requestTime: z.string().optional(),
  messageDirection: z.literal("IN").optional(),
  stage: z.string(),
  connectedAt: z.number().optional(),
  requestTimeEpoch: z.number().optional(),
  identity: z.looseObject({
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
  }).optional(),
  requestId: z.string(),
  domainName: z.string(),
  connectionId: z.string(),
  apiId: z.string(),
  disconnectStatusCode: z.number().nullish(),
  disconnectReason: z.string().nullish(),
  authorizer: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * A WebSocket API event. Headers come only with `$connect`; a body only with messages.
 *
 * @example A message on the default route
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayWebSocketEventSchema } from "./api_gateway_websocket.ts";
 *
 * const event = ApiGatewayWebSocketEventSchema.parse({
 *   body: "{\"action\":\"ping\"}", isBase64Encoded: false,
 *   requestContext: {
 *     routeKey: "$default", eventType: "MESSAGE", messageId: "m1", extendedRequestId: "e1",
 *     requestTime: "09/Feb/2024:12:00:00 +0000", messageDirection: "IN", stage: "prod",
 *     connectedAt: 1, requestTimeEpoch: 2, identity: { sourceIp: "192.0.2.1" },
 *     requestId: "r1", domainName: "a1.execute-api.eu-west-1.amazonaws.com",
 *     connectionId: "c1", apiId: "a1",
 *   },
 * });
 * equal(event.requestContext.connectionId, "c1");
 * ```
 */
export const ApiGatewayWebSocketEventSchema = z.looseObject({
  methodArn: z.undefined({ error: "expected no methodArn: this is an authorizer's event" })
    .optional(),
  requestContext: ApiGatewayWebSocketRequestContextSchema,
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  queryStringParameters: _stringMap,
  multiValueQueryStringParameters: _multiMap,
  body: z.string().nullish(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
});

/**
 * The event a `REQUEST` authorizer of a WebSocket API receives, on `$connect` only: the
 * connection request's headers and query, and a `methodArn` ending in `/$connect` (it names no
 * HTTP method, unlike a REST API's). It returns the IAM policy of `ApiGatewayAuthorizerResult`
 * (`./api_gateway_rest.ts`).
 *
 * @example A REST API's authorizer event is refused
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayWebSocketRequestAuthorizerEventSchema } from "./api_gateway_websocket.ts";
 *
 * const event = {
 *   type: "REQUEST",
 *   methodArn: "arn:aws:execute-api:eu-west-1:123456789012:a1/prod/$connect",
 *   headers: { Authorization: "Bearer t" }, queryStringParameters: null,
 *   requestContext: {
 *     routeKey: "$connect", eventType: "CONNECT", stage: "prod", requestId: "r1",
 *     domainName: "a1.execute-api.eu-west-1.amazonaws.com", connectionId: "c1", apiId: "a1",
 *   },
 * };
 * equal(ApiGatewayWebSocketRequestAuthorizerEventSchema.parse(event).headers?.Authorization, "Bearer t");
 * const rest = { ...event, requestContext: { apiId: "a1", stage: "prod", httpMethod: "GET" } };
 * equal(ApiGatewayWebSocketRequestAuthorizerEventSchema.safeParse(rest).success, false);
 * ```
 */
export const ApiGatewayWebSocketRequestAuthorizerEventSchema = z.looseObject({
  type: z.literal("REQUEST"),
  methodArn: z.string(),
  headers: _stringMap,
  multiValueHeaders: _multiMap,
  queryStringParameters: _stringMap,
  multiValueQueryStringParameters: _multiMap,
  stageVariables: _stringMap,
  requestContext: ApiGatewayWebSocketRequestContextSchema.extend({
    routeKey: z.literal("$connect"),
    eventType: z.literal("CONNECT"),
  }),
});

/**
 * What a WebSocket route integration returns; with a route response, `body` goes back to the
 * client. Payload format 2.0's `cookies` and a load balancer's `statusDescription` are refused.
 *
 * @example Accept a connection
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ApiGatewayWebSocketResultSchema } from "./api_gateway_websocket.ts";
 *
 * equal(ApiGatewayWebSocketResultSchema.safeParse({ statusCode: 200 }).success, true);
 * equal(ApiGatewayWebSocketResultSchema.safeParse({ statusCode: 200, cookies: [] }).success, false);
 * ```
 */
export const ApiGatewayWebSocketResultSchema = z.strictObject({
  statusCode: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/** The `requestContext` of a WebSocket event. */
export type ApiGatewayWebSocketRequestContext = z.infer<
  typeof ApiGatewayWebSocketRequestContextSchema
>;
/** A WebSocket API event. */
export type ApiGatewayWebSocketEvent = z.infer<typeof ApiGatewayWebSocketEventSchema>;
/** A WebSocket API's `REQUEST` authorizer event. */
export type ApiGatewayWebSocketRequestAuthorizerEvent = z.infer<
  typeof ApiGatewayWebSocketRequestAuthorizerEventSchema
>;
/** What a WebSocket route integration returns. */
export type ApiGatewayWebSocketResult = z.input<typeof ApiGatewayWebSocketResultSchema>;
