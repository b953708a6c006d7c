/**
 * Sample events of API Gateway: REST APIs, HTTP APIs in both payload formats, and WebSocket APIs
 * with their `$connect` authorizer. `--route` names the route (`/users/{id}`, or
 * `GET /users/{id}`), whose path parameters come from `--path` or `--path-parameter`.
 *
 * @module
 */

import { ApiGatewayProxyEventV2Schema } from "../http/api_gateway_http.ts";
import {
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventSchema,
} from "../http/api_gateway_rest.ts";
import {
  ApiGatewayWebSocketEventSchema,
  ApiGatewayWebSocketRequestAuthorizerEventSchema,
} from "../http/api_gateway_websocket.ts";
import {
  HTTP_OPTIONS,
  type HttpRequest,
  httpRequest,
  matchRoute,
  REQUEST_TIME,
  SOURCE_IP,
  USER_AGENT,
  v1Event,
  v2Event,
} from "./http_request.ts";
import {
  ACCOUNT,
  one,
  queryParameters,
  REGION,
  type SampleOptions,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

const ROUTE_OPTIONS = {
  ...HTTP_OPTIONS,
  "path-parameter": "a path parameter, name=value; repeatable (from --path and --route)",
  stage: "the stage",
} as const;

/** The route of `--route`: its method, if it names one, and its path template. */
function _route(
  source: string,
  options: SampleOptions,
  fallback: string,
): { method: string | undefined; template: string } {
  const text = one(options, "route", fallback).trim();
  const space = text.indexOf(" ");
  if (space < 0) return { method: undefined, template: text };
  const method = text.slice(0, space).toUpperCase();
  const given = options.method?.at(-1)?.toUpperCase();
  if (given !== undefined && method !== "ANY" && given !== method) {
    throw new TypeError(
      `Cannot make a ${source} event: --method ${given} is not the method of --route ${text}`,
    );
  }
  return { method: method === "ANY" ? undefined : method, template: text.slice(space + 1) };
}

/** The request, its method taken from the route when `--method` is not given. */
function _routedRequest(
  source: string,
  options: SampleOptions,
  host: string,
  route: { method: string | undefined; template: string },
): HttpRequest {
  const request = httpRequest(source, options, host);
  const method = options.method === undefined ? route.method ?? request.method : request.method;
  const matched = route.template.startsWith("/")
    ? matchRoute(source, options, route.template, request.path)
    : undefined;
  return { ...request, method, path: matched?.path ?? request.path };
}

function _v1(source: string, options: SampleOptions, host: string, rest: boolean) {
  const route = _route(
    source,
    options,
    rest ? "/{proxy+}" : one(options, "path", "/").split("?")[0]!,
  );
  const request = _routedRequest(source, options, host, route);
  const matched = matchRoute(source, options, route.template, request.path);
  return v1Event(request, host, {
    resource: route.template,
    stage: one(options, "stage", rest ? "prod" : "$default"),
    resourceId: rest ? "123456" : null,
    pathParameters: matched.parameters,
  }, TIME_MS);
}

const WEBSOCKET_HOST = `abcdef1234.execute-api.${REGION}.amazonaws.com`;

function _webSocketContext(options: SampleOptions, routeKey: string) {
  const eventType = routeKey === "$connect"
    ? "CONNECT"
    : routeKey === "$disconnect"
    ? "DISCONNECT"
    : "MESSAGE";
  return {
    routeKey,
    ...(eventType === "MESSAGE" ? { messageId: "GXLKJfX4FiACG1w=" } : { messageId: null }),
    eventType,
    extendedRequestId: "GXLKJHn9liAFq8Q=",
    requestTime: REQUEST_TIME,
    messageDirection: "IN",
    stage: one(options, "stage", "production"),
    connectedAt: TIME_MS - 1500,
    requestTimeEpoch: TIME_MS,
    identity: { sourceIp: SOURCE_IP, userAgent: USER_AGENT },
    requestId: "GXLKJHn9liAFq8Q=",
    domainName: WEBSOCKET_HOST,
    connectionId: "GXLKAfX1FiACG1w=",
    apiId: WEBSOCKET_HOST.split(".")[0],
  };
}

/** The headers and query of a WebSocket connection request. */
function _connection(source: string, options: SampleOptions) {
  const request = httpRequest(source, options, WEBSOCKET_HOST);
  const { single, multi } = queryParameters(request.query);
  return {
    headers: request.headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [key, [value]]),
    ),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
  };
}

/** The API Gateway sources, by name. */
export const API_GATEWAY_SOURCES: Readonly<Record<string, SampleSource>> = {
  "api-gateway-rest": {
    description: "API Gateway REST API proxy request (payload format 1.0)",
    options: {
      ...ROUTE_OPTIONS,
      route: "the resource, /users/{id}, optionally after its method (/{proxy+})",
      stage: "the stage (prod)",
    },
    schema: ApiGatewayProxyEventSchema,
    make: (options) =>
      _v1("api-gateway-rest", options, `1234567890.execute-api.${REGION}.amazonaws.com`, true),
  },
  "api-gateway-http-v1": {
    description: "API Gateway HTTP API request (payload format 1.0)",
    options: {
      ...ROUTE_OPTIONS,
      route: "the route, /users/{id}, optionally after its method (the path)",
      stage: "the stage ($default)",
    },
    schema: ApiGatewayHttpV1EventSchema,
    // An HTTP API says which format it sends and has no resource ids.
    make: (options) => ({
      version: "1.0",
      ..._v1(
        "api-gateway-http-v1",
        options,
        `r3pmxmplak.execute-api.${REGION}.amazonaws.com`,
        false,
      ),
    }),
  },
  "api-gateway-http": {
    description: "API Gateway HTTP API request (payload format 2.0)",
    options: {
      ...ROUTE_OPTIONS,
      route: "the route key, GET /users/{id} (a path alone takes --method), or $default",
      stage: "the stage ($default)",
    },
    schema: ApiGatewayProxyEventV2Schema,
    make: (options) => {
      const source = "api-gateway-http";
      const host = `r3pmxmplak.execute-api.${REGION}.amazonaws.com`;
      const route = _route(source, options, "$default");
      const request = _routedRequest(source, options, host, route);
      const routed = route.template.startsWith("/");
      return v2Event(request, host, {
        routeKey: routed ? `${route.method ?? request.method} ${route.template}` : route.template,
        stage: one(options, "stage", "$default"),
        pathParameters: routed
          ? matchRoute(source, options, route.template, request.path).parameters
          : null,
      }, TIME_MS);
    },
  },
  "api-gateway-websocket": {
    description: "API Gateway WebSocket message, connection or disconnection",
    options: {
      route: "the route key: $connect, $disconnect, $default or an action (sendmessage)",
      body: "the message, for a message route (a sendmessage action)",
      stage: "the stage (production)",
      header: 'a header of a $connect, "Name: value"; repeatable',
      query: "a query parameter of a $connect, name=value; repeatable",
    },
    schema: ApiGatewayWebSocketEventSchema,
    make: (options) => {
      const source = "api-gateway-websocket";
      const routeKey = one(options, "route", "sendmessage");
      const context = _webSocketContext(options, routeKey);
      if (context.eventType === "CONNECT") {
        return { ..._connection(source, options), requestContext: context, isBase64Encoded: false };
      }
      if (options.header !== undefined || options.query !== undefined) {
        throw new TypeError(
          `Cannot make a ${source} event: --header and --query come with a $connect only`,
        );
      }
      return {
        requestContext: context,
        ...(context.eventType === "MESSAGE"
          ? { body: one(options, "body", '{"action":"sendmessage","message":"hello"}') }
          : {}),
        isBase64Encoded: false,
      };
    },
  },
  "api-gateway-websocket-authorizer": {
    description: "API Gateway WebSocket API's REQUEST authorizer, on $connect",
    options: {
      stage: "the stage (production)",
      header: 'a header of the connection request, "Name: value"; repeatable',
      query: "a query parameter of the connection request, name=value; repeatable",
    },
    schema: ApiGatewayWebSocketRequestAuthorizerEventSchema,
    make: (options) => {
      const context = _webSocketContext(options, "$connect");
      return {
        type: "REQUEST",
        methodArn:
          `arn:aws:execute-api:${REGION}:${ACCOUNT}:${context.apiId}/${context.stage}/$connect`,
        ..._connection("api-gateway-websocket-authorizer", options),
        stageVariables: {},
        requestContext: context,
      };
    },
  },
};
