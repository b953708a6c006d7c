/**
 * API Gateway's own answers, when it answers instead of the function: no route, an authorizer's
 * refusal, a function that failed or answered in a shape the API cannot read. Each API kind has
 * its own wording, status and headers, and clients (and their tests) match on them.
 *
 * @module
 */

import type { ApiKind } from "../../builder/functions/api_routes.ts";

/** Why API Gateway answers itself. */
export type GatewayFailure =
  | "noRoute"
  | "unauthorized"
  | "explicitDeny"
  | "notAllowed"
  | "authorizerFailed"
  | "integrationFailed"
  | "timeout"
  | "tooLarge";

const REST: Record<GatewayFailure, [number, string | null, string]> = {
  noRoute: [403, "Missing Authentication Token", "MissingAuthenticationTokenException"],
  unauthorized: [401, "Unauthorized", "UnauthorizedException"],
  explicitDeny: [
    403,
    "User is not authorized to access this resource with an explicit deny",
    "AccessDeniedException",
  ],
  notAllowed: [403, "User is not authorized to access this resource", "AccessDeniedException"],
  authorizerFailed: [500, null, "AuthorizerConfigurationException"],
  integrationFailed: [502, "Internal server error", "InternalServerErrorException"],
  timeout: [504, "Endpoint request timed out", "InternalServerErrorException"],
  tooLarge: [413, "Request Too Long", "RequestTooLargeException"],
};

const HTTP: Record<GatewayFailure, [number, string]> = {
  noRoute: [404, "Not Found"],
  unauthorized: [401, "Unauthorized"],
  explicitDeny: [403, "Forbidden"],
  notAllowed: [403, "Forbidden"],
  authorizerFailed: [500, "Internal Server Error"],
  integrationFailed: [500, "Internal Server Error"],
  timeout: [503, "Service Unavailable"],
  tooLarge: [413, "Request Entity Too Large"],
};

/**
 * API Gateway's answer for a failure.
 *
 * @example A REST API and an HTTP API, asked for a path they do not have
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { gatewayResponse } from "./gateway_responses.ts";
 *
 * const rest = gatewayResponse("rest", "noRoute", "r1");
 * equal(rest.status, 403);
 * equal(await rest.text(), '{"message":"Missing Authentication Token"}');
 * const http = gatewayResponse("http", "noRoute", "r2");
 * equal(http.status, 404);
 * equal(await http.text(), '{"message":"Not Found"}');
 * ```
 *
 * @param api The API kind.
 * @param failure What went wrong.
 * @param requestId API Gateway's id of the request.
 * @returns The response.
 */
export function gatewayResponse(
  api: ApiKind,
  failure: GatewayFailure,
  requestId: string,
): Response {
  if (api === "http") {
    const [status, message] = HTTP[failure];
    return Response.json({ message }, { status, headers: gatewayHeaders(api, requestId) });
  }
  const [status, message, type] = REST[failure];
  const headers = gatewayHeaders(api, requestId);
  headers.set("x-amzn-errortype", type);
  return Response.json({ message }, { status, headers });
}

/**
 * The headers API Gateway puts on every answer: its request id, under each API's name for it.
 *
 * @param api The API kind.
 * @param requestId API Gateway's id of the request.
 * @returns The headers.
 */
export function gatewayHeaders(api: ApiKind, requestId: string): Headers {
  return new Headers(
    api === "http" ? { "apigw-requestid": requestId } : { "x-amzn-requestid": requestId },
  );
}
