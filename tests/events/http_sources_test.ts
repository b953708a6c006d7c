// The HTTP sources share shapes, so each schema must take its own events and refuse the others'
// where AWS tells them apart (a function URL's domain, an HTTP API's `version`, an authorizer's
// `methodArn`/`routeArn`), and each result schema must refuse what its integration would drop.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { z } from "zod";
import { flattenIssues } from "../../src/events/errors.ts";
import { fixture, type Json } from "./_event_cases.ts";
import { AlbEventSchema, AlbResultSchema } from "../../src/events/http/alb.ts";
import {
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventSchema,
  ApiGatewayProxyResultSchema,
  ApiGatewayRequestAuthorizerEventSchema,
  ApiGatewayTokenAuthorizerEventSchema,
} from "../../src/events/http/api_gateway_rest.ts";
import {
  ApiGatewayProxyEventV2Schema,
  ApiGatewayProxyResultV2Schema,
  ApiGatewayRequestAuthorizerEventV2Schema,
  ApiGatewaySimpleAuthorizerResultSchema,
} from "../../src/events/http/api_gateway_http.ts";
import {
  ApiGatewayWebSocketEventSchema,
  ApiGatewayWebSocketRequestAuthorizerEventSchema,
  ApiGatewayWebSocketResultSchema,
} from "../../src/events/http/api_gateway_websocket.ts";
import { FunctionUrlEventSchema } from "../../src/events/http/function_url.ts";
import {
  VpcLatticeEventSchema,
  VpcLatticeEventV2Schema,
} from "../../src/events/http/vpc_lattice.ts";

const EVENT_SCHEMAS: Record<string, z.ZodType> = {
  ApiGatewayProxyEventSchema,
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventV2Schema,
  FunctionUrlEventSchema,
  AlbEventSchema,
  ApiGatewayWebSocketEventSchema,
  VpcLatticeEventSchema,
  VpcLatticeEventV2Schema,
  ApiGatewayRequestAuthorizerEventSchema,
  ApiGatewayTokenAuthorizerEventSchema,
  ApiGatewayRequestAuthorizerEventV2Schema,
  ApiGatewayWebSocketRequestAuthorizerEventSchema,
};

/**
 * Each fixture under tests/fixtures/events/, and the one schema it belongs to. (Not
 * `api_gateway_websocket_connect`: aws-lambda-go's sample gives a `$connect` a REST request's
 * resource, path and method too.)
 */
const EVENTS: [string, string][] = [
  ["api_gateway_rest", "ApiGatewayProxyEventSchema"],
  ["console_api_gateway_test", "ApiGatewayProxyEventSchema"],
  ["api_gateway_http_v1", "ApiGatewayHttpV1EventSchema"],
  ["api_gateway_http", "ApiGatewayProxyEventV2Schema"],
  ["function_url", "FunctionUrlEventSchema"],
  ["function_url_iam", "FunctionUrlEventSchema"],
  ["alb", "AlbEventSchema"],
  ["api_gateway_websocket", "ApiGatewayWebSocketEventSchema"],
  ["vpc_lattice", "VpcLatticeEventSchema"],
  ["vpc_lattice_v2", "VpcLatticeEventV2Schema"],
  ["api_gateway_rest_request_authorizer", "ApiGatewayRequestAuthorizerEventSchema"],
  ["api_gateway_rest_token_authorizer", "ApiGatewayTokenAuthorizerEventSchema"],
  ["api_gateway_http_authorizer", "ApiGatewayRequestAuthorizerEventV2Schema"],
  ["api_gateway_websocket_authorizer", "ApiGatewayWebSocketRequestAuthorizerEventSchema"],
  ["api_gateway_websocket_authorizer_guide", "ApiGatewayWebSocketRequestAuthorizerEventSchema"],
];

function accepting(event: Json, schemas: Record<string, z.ZodType>): string[] {
  return Object.entries(schemas).filter(([, schema]) => schema.safeParse(event).success)
    .map(([name]) => name);
}

Deno.test("each HTTP event is accepted by its own schema and refused by the other sources'", async () => {
  for (const [name, own] of EVENTS) {
    const event = await fixture(name);
    const own_ = EVENT_SCHEMAS[own]!.safeParse(event);
    ok(own_.success, `${name}: ${JSON.stringify(own_.error && flattenIssues(own_.error.issues))}`);
    deepEqual(accepting(event, EVENT_SCHEMAS), [own], name);
  }
});

/** The path each discriminator names, and how a refused event is told apart. */
const DISCRIMINATED: [string, string, (event: Json) => void, string][] = [
  [
    "a function URL event",
    "ApiGatewayProxyEventV2Schema",
    (e) => ((e.requestContext as Json).domainName = "k7q2.lambda-url.eu-west-1.on.aws"),
    "requestContext.domainName",
  ],
  [
    "an HTTP API event",
    "FunctionUrlEventSchema",
    (e) => ((e.requestContext as Json).domainName = "k7q2.execute-api.eu-west-1.amazonaws.com"),
    "requestContext.domainName",
  ],
  ["an HTTP API 1.0 event", "ApiGatewayProxyEventSchema", (e) => (e.version = "1.0"), "version"],
  [
    "a request authorizer's event",
    "ApiGatewayProxyEventSchema",
    (e) => (e.methodArn = "arn:aws:execute-api:eu-west-1:210987654321:a1/prod/GET/"),
    "methodArn",
  ],
];

for (const [what, schema, mutate, path] of DISCRIMINATED) {
  Deno.test(`${schema} refuses ${what}, naming ${path}`, async () => {
    const event = await fixture(
      schema === "FunctionUrlEventSchema" ? "function_url" : (
        schema === "ApiGatewayProxyEventV2Schema" ? "api_gateway_http" : "api_gateway_rest"
      ),
    );
    mutate(event);
    const result = EVENT_SCHEMAS[schema]!.safeParse(event);
    equal(result.success, false);
    deepEqual(flattenIssues(result.error!.issues).map((issue) => issue.path), [path]);
  });
}

Deno.test("an HTTP API event on a custom domain is still an HTTP API event", async () => {
  const event = await fixture("api_gateway_http");
  (event.requestContext as Json).domainName = "api.example.com";
  ok(ApiGatewayProxyEventV2Schema.safeParse(event).success);
  equal(FunctionUrlEventSchema.safeParse(event).success, false);
});

Deno.test("the API Gateway console's test event passes, test-invoke source IP and null headers included", async () => {
  const event = await fixture("console_api_gateway_test");
  const parsed = ApiGatewayProxyEventSchema.parse(event);
  equal(parsed.requestContext.identity?.sourceIp, "test-invoke-source-ip");
  equal(parsed.headers, null);
  equal(parsed.requestContext.stage, "test-invoke-stage");
});

const RESULT_SCHEMAS: Record<string, z.ZodType> = {
  ApiGatewayProxyResultSchema,
  ApiGatewayProxyResultV2Schema,
  AlbResultSchema,
  ApiGatewayWebSocketResultSchema,
};

/** Results only one integration can read, and the integrations that take them. */
const RESULTS: [string, Json, string[]][] = [
  [
    "cookies (payload format 2.0)",
    { statusCode: 200, cookies: ["sid=1; Secure"], body: "" },
    ["ApiGatewayProxyResultV2Schema"],
  ],
  [
    "multiValueHeaders (payload format 1.0, load balancers, WebSocket)",
    { statusCode: 200, multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] }, body: "" },
    ["ApiGatewayProxyResultSchema", "AlbResultSchema", "ApiGatewayWebSocketResultSchema"],
  ],
  [
    "statusDescription (load balancers)",
    { statusCode: 200, statusDescription: "200 OK", body: "" },
    ["AlbResultSchema"],
  ],
  [
    "a plain status and body (every integration)",
    { statusCode: 204, body: "" },
    Object.keys(RESULT_SCHEMAS),
  ],
];

for (const [what, result, takers] of RESULTS) {
  Deno.test(`HTTP result schemas: ${what} is taken by ${takers.length} of them`, () => {
    deepEqual(accepting(result, RESULT_SCHEMAS), takers);
  });
}

Deno.test("ApiGatewayWebSocketResultSchema takes the published WebSocket route results", async () => {
  for (const name of ["api_gateway_websocket_result", "api_gateway_websocket_result_guide"]) {
    const result = ApiGatewayWebSocketResultSchema.safeParse(await fixture(name));
    ok(result.success, name);
  }
});

Deno.test("ApiGatewaySimpleAuthorizerResultSchema refuses an AppSync authorizer's result", () => {
  ok(ApiGatewaySimpleAuthorizerResultSchema.safeParse({ isAuthorized: true, context: {} }).success);
  const appsync = { isAuthorized: true, resolverContext: { user: "ada" }, ttlOverride: 10 };
  const result = ApiGatewaySimpleAuthorizerResultSchema.safeParse(appsync);
  equal(result.success, false);
  deepEqual(flattenIssues(result.error!.issues).map((issue) => issue.path), ["(root)"]);
});
