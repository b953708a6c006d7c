// Fields AWS sends as null in some events, checked against AWS's own sample events: the
// HTTP API payload 1.0 sample of the API Gateway guide, the function URL sample of Powertools
// for AWS Lambda, and the WebSocket $connect sample of aws-lambda-go. The first two are also
// told apart from the sources whose shape they share.
import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { flattenIssues } from "../../src/events/errors.ts";
import {
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventSchema,
} from "../../src/events/http/api_gateway_rest.ts";
import { ApiGatewayProxyEventV2Schema } from "../../src/events/http/api_gateway_http.ts";
import { FunctionUrlEventSchema } from "../../src/events/http/function_url.ts";
import { ApiGatewayWebSocketRequestContextSchema } from "../../src/events/http/api_gateway_websocket.ts";
import { apiGatewayEnvelope, apiGatewayV2Envelope } from "../../src/events/envelopes.ts";

type Json = Record<string, unknown>;

async function fixture(name: string): Promise<Json> {
  const url = new URL(`../fixtures/events/${name}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

function accepts(schema: z.ZodType, event: unknown): void {
  const result = schema.safeParse(event);
  ok(result.success, result.success ? "" : JSON.stringify(flattenIssues(result.error.issues)));
}

function refuses(schema: z.ZodType, event: unknown, path: string): void {
  const result = schema.safeParse(event);
  equal(result.success, false);
  deepEqual(flattenIssues(result.error!.issues).map((issue) => issue.path), [path]);
}

Deno.test("ApiGatewayHttpV1EventSchema accepts an HTTP API 1.0 event, whose resourceId is null; the REST schema refuses its version", async () => {
  const event = await fixture("api_gateway_http_v1");
  equal((event.requestContext as Json).resourceId, null);
  accepts(ApiGatewayHttpV1EventSchema, event);
  refuses(ApiGatewayProxyEventSchema, event, "version");
});

Deno.test("apiGatewayEnvelope() reads the body of a REST event and of an HTTP API 1.0 event", async () => {
  const envelope = apiGatewayEnvelope(z.object({ name: z.string() }));
  const v1: Json = { ...(await fixture("api_gateway_http_v1")), body: '{"name":"ada"}' };
  equal(envelope.parse(v1).name, "ada");
  const rest: Json = { ...v1, body: btoa('{"name":"bo"}'), isBase64Encoded: true };
  delete rest.version;
  equal(envelope.parse(rest).name, "bo");
});

Deno.test("FunctionUrlEventSchema accepts null pathParameters and stageVariables; the HTTP API schema refuses its domain", async () => {
  const event = await fixture("function_url_iam");
  equal(event.pathParameters, null);
  equal(event.stageVariables, null);
  accepts(FunctionUrlEventSchema, event);
  refuses(ApiGatewayProxyEventV2Schema, event, "requestContext.domainName");
});

Deno.test("apiGatewayV2Envelope() reads the body of a function URL event", async () => {
  const event = { ...(await fixture("function_url_iam")), body: '{"name":"ada"}' };
  const envelope = apiGatewayV2Envelope(z.object({ name: z.string() }));
  equal(envelope.parse(event).name, "ada");
});

Deno.test("FunctionUrlEventSchema accepts the published sample and a null authorizer", async () => {
  const event = await fixture("function_url_iam");
  accepts(FunctionUrlEventSchema, event);
  // Without AWS_IAM auth the function URL sends no caller: authorizer is null.
  (event.requestContext as Json).authorizer = null;
  accepts(FunctionUrlEventSchema, event);
  (event.requestContext as Json).authorizer = { iam: null };
  equal(FunctionUrlEventSchema.safeParse(event).success, false, "iam itself is not nullable");
});

Deno.test("ApiGatewayWebSocketRequestContextSchema accepts a $connect with null messageId and disconnectStatusCode", async () => {
  const context = (await fixture("api_gateway_websocket_connect")).requestContext as Json;
  equal(context.eventType, "CONNECT");
  equal(context.messageId, null);
  accepts(ApiGatewayWebSocketRequestContextSchema, context);
  // On $connect the disconnect fields are there too, as null.
  accepts(ApiGatewayWebSocketRequestContextSchema, {
    ...context,
    disconnectStatusCode: null,
    disconnectReason: null,
  });
});
