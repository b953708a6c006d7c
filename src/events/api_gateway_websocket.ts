/**
 * API Gateway WebSocket APIs: the `$connect`, `$disconnect` and message route events.
 *
 * @module
 */

import { z } from "zod";

/** The `requestContext` of a WebSocket event: the connection and what happened to it. */
export const ApiGatewayWebSocketRequestContextSchema = z.looseObject({
  routeKey: z.string(),
  eventType: z.enum(["CONNECT", "MESSAGE", "DISCONNECT"]),
  // null on $connect, as are the disconnect fields.
  messageId: z.string().nullish(),
  extendedRequestId: z.string(),
  requestTime: z.string(),
  messageDirection: z.literal("IN"),
  stage: z.string(),
  connectedAt: z.number(),
  requestTimeEpoch: z.number(),
  identity: z.looseObject({ sourceIp: z.string(), userAgent: z.string().optional() }),
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
  requestContext: ApiGatewayWebSocketRequestContextSchema,
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  queryStringParameters: z.record(z.string(), z.string()).nullish(),
  multiValueQueryStringParameters: z.record(z.string(), z.array(z.string())).nullish(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});

/** The `requestContext` of a WebSocket event. */
export type ApiGatewayWebSocketRequestContext = z.infer<
  typeof ApiGatewayWebSocketRequestContextSchema
>;
/** A WebSocket API event. */
export type ApiGatewayWebSocketEvent = z.infer<typeof ApiGatewayWebSocketEventSchema>;
