/**
 * Sample events of the HTTP sources: API Gateway (HTTP APIs in both payload formats, REST APIs,
 * WebSocket), Function URLs, ALB and VPC Lattice. Each takes `--method`, `--path` (with an optional `?query`) and `--body`.
 *
 * @module
 */

import { AlbEventSchema } from "../alb.ts";
import { ApiGatewayProxyEventV2Schema } from "../api_gateway_http.ts";
import { ApiGatewayHttpV1EventSchema, ApiGatewayProxyEventSchema } from "../api_gateway_rest.ts";
import { ApiGatewayWebSocketEventSchema } from "../api_gateway_websocket.ts";
import { FunctionUrlEventSchema } from "../function_url.ts";
import { VpcLatticeEventV2Schema } from "../vpc_lattice.ts";
import {
  ACCOUNT,
  one,
  queryParameters,
  REGION,
  type SampleOptions,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

const HTTP_OPTIONS = {
  method: "the HTTP method (GET, or POST with --body)",
  path: "the path, with an optional ?query (/)",
  body: "the request body, as text (none)",
} as const;

const SOURCE_IP = "198.51.100.7";
const USER_AGENT = "curl/8.5.0";
const REQUEST_TIME = "02/Jan/2024:03:04:05 +0000";

interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string | undefined;
  readonly headers: Record<string, string>;
}

function _request(options: SampleOptions, host: string): HttpRequest {
  const body = options.body?.at(-1);
  const target = one(options, "path", "/");
  const [path = "/", query = ""] = target.split("?", 2) as [string, string?];
  return {
    method: one(options, "method", body === undefined ? "GET" : "POST").toUpperCase(),
    path: path.startsWith("/") ? path : `/${path}`,
    query,
    body,
    headers: {
      accept: "*/*",
      host,
      "user-agent": USER_AGENT,
      "x-forwarded-for": SOURCE_IP,
      "x-forwarded-proto": "https",
      ...(body === undefined ? {} : { "content-type": _contentType(body) }),
    },
  };
}

function _contentType(body: string): string {
  return /^\s*[[{]/.test(body) ? "application/json" : "text/plain; charset=utf-8";
}

/** Function URLs and HTTP APIs share payload format 2.0. */
function _v2(request: HttpRequest, host: string, extra: Record<string, unknown>) {
  const { joined } = queryParameters(request.query);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: request.path,
    rawQueryString: request.query,
    headers: request.headers,
    ...(joined === null ? {} : { queryStringParameters: joined }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: host.split(".")[0],
      domainName: host,
      domainPrefix: host.split(".")[0],
      http: {
        method: request.method,
        path: request.path,
        protocol: "HTTP/1.1",
        sourceIp: SOURCE_IP,
        userAgent: USER_AGENT,
      },
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      routeKey: "$default",
      stage: "$default",
      time: REQUEST_TIME,
      timeEpoch: TIME_MS,
      ...extra,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
}

/** REST APIs and HTTP APIs share payload format 1.0, but name their resources and stages apart. */
function _v1(
  request: HttpRequest,
  host: string,
  route: { resource: string; stage: string; resourceId: string | null },
) {
  const { single, multi } = queryParameters(request.query);
  const stagePath = route.stage === "$default" ? "" : `/${route.stage}`;
  return {
    resource: route.resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [key, [value]]),
    ),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: route.resource === "/{proxy+}" ? { proxy: request.path.slice(1) } : null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: host.split(".")[0],
      domainName: host,
      domainPrefix: host.split(".")[0],
      extendedRequestId: "BBcyMFR1IAMEbkA=",
      httpMethod: request.method,
      identity: { sourceIp: SOURCE_IP, userAgent: USER_AGENT },
      path: `${stagePath}${request.path}`,
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTime: REQUEST_TIME,
      requestTimeEpoch: TIME_MS,
      resourceId: route.resourceId,
      resourcePath: route.resource,
      stage: route.stage,
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}

/** The HTTP sources, by name. */
export const HTTP_SOURCES: Readonly<Record<string, SampleSource>> = {
  "api-gateway-http": {
    description: "API Gateway HTTP API request (payload format 2.0)",
    options: HTTP_OPTIONS,
    schema: ApiGatewayProxyEventV2Schema,
    make: (options) => {
      const host = "r3pmxmplak.execute-api.us-east-1.amazonaws.com";
      return _v2(_request(options, host), host, {});
    },
  },
  "function-url": {
    description: "Lambda Function URL request",
    options: HTTP_OPTIONS,
    schema: FunctionUrlEventSchema,
    make: (options) => {
      const host = "a2bcdefghij3klmno4pqrstu5vw.lambda-url.us-east-1.on.aws";
      return _v2(_request(options, host), host, {});
    },
  },
  "api-gateway-rest": {
    description: "API Gateway REST API proxy request (payload format 1.0)",
    options: HTTP_OPTIONS,
    schema: ApiGatewayProxyEventSchema,
    make: (options) => {
      const host = "1234567890.execute-api.us-east-1.amazonaws.com";
      return _v1(_request(options, host), host, {
        resource: "/{proxy+}",
        stage: "prod",
        resourceId: "123456",
      });
    },
  },
  "api-gateway-http-v1": {
    description: "API Gateway HTTP API request (payload format 1.0)",
    options: HTTP_OPTIONS,
    schema: ApiGatewayHttpV1EventSchema,
    make: (options) => {
      const host = "r3pmxmplak.execute-api.us-east-1.amazonaws.com";
      const request = _request(options, host);
      // An HTTP API says which format it sends, has no resource ids, and names the route (here
      // one per path, as in AWS's sample) where a REST API names the resource.
      return {
        version: "1.0",
        ..._v1(request, host, { resource: request.path, stage: "$default", resourceId: null }),
      };
    },
  },
  "api-gateway-websocket": {
    description: "API Gateway WebSocket message",
    options: { body: "the message (a sendmessage action)", route: "the route key (sendmessage)" },
    schema: ApiGatewayWebSocketEventSchema,
    make: (options) => ({
      requestContext: {
        routeKey: one(options, "route", "sendmessage"),
        messageId: "GXLKJfX4FiACG1w=",
        eventType: "MESSAGE",
        extendedRequestId: "GXLKJHn9liAFq8Q=",
        requestTime: REQUEST_TIME,
        messageDirection: "IN",
        stage: "production",
        connectedAt: TIME_MS - 1500,
        requestTimeEpoch: TIME_MS,
        identity: { sourceIp: SOURCE_IP },
        requestId: "GXLKJHn9liAFq8Q=",
        domainName: "abcdef1234.execute-api.us-east-1.amazonaws.com",
        connectionId: "GXLKAfX1FiACG1w=",
        apiId: "abcdef1234",
      },
      body: one(options, "body", '{"action":"sendmessage","message":"hello"}'),
      isBase64Encoded: false,
    }),
  },
  alb: {
    description: "Application Load Balancer request",
    options: HTTP_OPTIONS,
    schema: AlbEventSchema,
    make: (options) => {
      const request = _request(options, "my-alb-123578498.us-east-1.elb.amazonaws.com");
      return {
        requestContext: {
          elb: {
            targetGroupArn:
              `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/lambda/49e9d65c45c6791a`,
          },
        },
        httpMethod: request.method,
        path: request.path,
        queryStringParameters: queryParameters(request.query).single ?? {},
        headers: request.headers,
        body: request.body ?? "",
        isBase64Encoded: false,
      };
    },
  },
  "vpc-lattice": {
    description: "VPC Lattice request (event format 2.0)",
    options: HTTP_OPTIONS,
    schema: VpcLatticeEventV2Schema,
    make: (options) => {
      const host = "my-service-0a40eebed65f8d69c.7d67968.vpc-lattice-svcs.us-east-1.on.aws";
      const request = _request(options, host);
      const { multi } = queryParameters(request.query);
      const arn = `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}`;
      return {
        version: "2.0",
        path: request.path,
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [key, [value]]),
        ),
        queryStringParameters: multi ?? {},
        body: request.body ?? "",
        isBase64Encoded: false,
        requestContext: {
          serviceNetworkArn: `${arn}:servicenetwork/sn-0bf3f2882e9cc805a`,
          serviceArn: `${arn}:service/svc-0a40eebed65f8d69c`,
          targetGroupArn: `${arn}:targetgroup/tg-6d0ecf831eec9f09`,
          identity: { sourceVpcArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0b8276c84697e7339` },
          region: REGION,
          timeEpoch: `${TIME_MS}000`,
        },
      };
    },
  },
};
