// `deno task event`: every source's sample, with and without options, passes the schema of
// src/events/ that a handler would validate it with.
import { deepEqual, equal, match, throws } from "node:assert/strict";
import type { z } from "zod";
import * as events from "../../src/events/mod.ts";
import { main } from "../../src/events/samples/cli.ts";
import { SAMPLE_SOURCES, sampleEvent } from "../../src/events/samples/mod.ts";

/** Each source's schema, named here rather than taken from the samples' own table. */
const SCHEMAS: Record<string, z.ZodType> = {
  alb: events.AlbEventSchema,
  "alexa-skills-kit": events.AlexaSkillRequestSchema,
  "alexa-smart-home": events.AlexaSmartHomeDirectiveSchema,
  "amazon-mq-activemq": events.ActiveMqEventSchema,
  "amazon-mq-rabbitmq": events.RabbitMqEventSchema,
  "api-gateway-http": events.ApiGatewayProxyEventV2Schema,
  "api-gateway-http-v1": events.ApiGatewayHttpV1EventSchema,
  "api-gateway-rest": events.ApiGatewayProxyEventSchema,
  "api-gateway-websocket": events.ApiGatewayWebSocketEventSchema,
  "api-gateway-websocket-authorizer": events.ApiGatewayWebSocketRequestAuthorizerEventSchema,
  appsync: events.AppSyncResolverEventSchema,
  "appsync-authorizer": events.AppSyncAuthorizerEventSchema,
  "appsync-events": events.AppSyncEventsEventSchema,
  "bedrock-agent": events.BedrockAgentEventSchema,
  "cloudformation-custom-resource": events.CloudFormationCustomResourceEventSchema,
  "cloudfront-request": events.CloudFrontRequestEventSchema,
  "cloudfront-response": events.CloudFrontResponseEventSchema,
  "cloudwatch-alarm": events.CloudWatchAlarmEventSchema,
  "cloudwatch-logs": events.CloudWatchLogsDecodedEventSchema,
  codecommit: events.CodeCommitEventSchema,
  codedeploy: events.CodeDeployLifecycleHookEventSchema,
  codepipeline: events.CodePipelineJobEventSchema,
  "cognito-custom-email-sender": events.CognitoCustomEmailSenderEventSchema,
  "cognito-custom-sms-sender": events.CognitoCustomSmsSenderEventSchema,
  "cognito-inbound-federation": events.CognitoInboundFederationEventSchema,
  "cognito-user-pool": events.CognitoUserPoolTriggerEventSchema,
  "config-rule": events.ConfigRuleEventSchema,
  connect: events.ConnectContactFlowEventSchema,
  documentdb: events.DocumentDbEventSchema,
  "dynamodb-stream": events.DynamoDbStreamEventSchema,
  eventbridge: events.EventBridgeEventSchema,
  "function-url": events.FunctionUrlEventSchema,
  "iot-custom-authorizer": events.IotCustomAuthorizerEventSchema,
  kafka: events.KafkaEventSchema,
  kinesis: events.KinesisStreamEventSchema,
  "kinesis-analytics": events.KinesisAnalyticsInputPreprocessingEventSchema,
  "kinesis-analytics-output": events.KinesisAnalyticsOutputDeliveryEventSchema,
  "kinesis-firehose": events.KinesisFirehoseEventSchema,
  "kinesis-firehose-msk": events.KinesisFirehoseMskEventSchema,
  "lambda-destination": events.LambdaDestinationRecordSchema,
  "lex-v1": events.LexV1EventSchema,
  "lex-v2": events.LexV2EventSchema,
  s3: events.S3EventSchema,
  "s3-batch": events.S3BatchEventSchema,
  "s3-object-lambda": events.S3ObjectLambdaEventSchema,
  "sagemaker-ground-truth-consolidation":
    events.SageMakerGroundTruthAnnotationConsolidationEventSchema,
  "sagemaker-ground-truth-pre-human": events.SageMakerGroundTruthPreHumanTaskEventSchema,
  schedule: events.ScheduledEventSchema,
  "secrets-manager": events.SecretsManagerRotationEventSchema,
  ses: events.SesEventSchema,
  sns: events.SnsEventSchema,
  sqs: events.SqsEventSchema,
  "transfer-family": events.TransferFamilyAuthorizerEventSchema,
  "vpc-lattice": events.VpcLatticeEventV2Schema,
  workmail: events.WorkMailEventSchema,
};

/** The value at a path of keys and indexes, or `undefined`. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const key of path) {
    here = typeof here === "object" && here !== null
      ? (here as Record<string | number, unknown>)[key]
      : undefined;
  }
  return here;
}

function records(value: unknown): unknown[] {
  const list = at(value, "Records");
  return Array.isArray(list) ? list : [];
}

/** Parsed asynchronously: the CloudWatch Logs schema gunzips its payload. */
async function parsed(source: string, options: Record<string, string[]> = {}): Promise<unknown> {
  const event = sampleEvent(source, options);
  const result = await SCHEMAS[source]!.safeParseAsync(event);
  if (!result.success) throw new Error(`${source}: ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

Deno.test("every source has a sample, and every sample passes its schema", async () => {
  deepEqual(Object.keys(SAMPLE_SOURCES), Object.keys(SCHEMAS).sort());
  for (const source of Object.keys(SCHEMAS)) await parsed(source);
});

Deno.test("every option of every source gives an event its schema passes", async () => {
  const values: Record<string, string> = {
    method: "PUT",
    path: "/orders/o-1?verbose=1&tag=a&tag=b",
    body: '{"amount":42}',
    detail: '{"urls":["https://example.com/"]}',
    properties: '{"Name":"x"}',
    arguments: '{"id":"o-2"}',
    size: "7",
    "event-name": "MODIFY",
    "request-type": "Update",
    step: "testSecret",
    event: "ObjectRemoved:Delete",
    state: "OK",
    status: "404",
    parameters: '{"maxAgeDays":"30"}',
    payload: '{"orderId":"o-9"}',
    protocol: "FTPS",
    route: "/orders/{id}",
    "path-parameter": "id=o-1",
    header: "X-Tenant: eu",
    query: "sort=desc",
    stage: "staging",
    operation: "update",
    document: '{"status":"shipped"}',
    condition: "RetriesExhausted",
    slot: "Drink=tea",
    to: "ops@example.com",
    source: "FulfillmentCodeHook",
  };
  // Options that exclude each other are tried apart: a WebSocket connection has headers and a
  // query, a message a body.
  const apart: Record<string, Record<string, string>[]> = {
    "api-gateway-websocket": [{ route: "$connect" }, { route: "sendmessage" }],
  };
  for (const [source, { options }] of Object.entries(SAMPLE_SOURCES)) {
    for (const override of apart[source] ?? [{}]) {
      const names = Object.keys(options).filter((name) =>
        !(override.route === "$connect" && name === "body") &&
        !(override.route === "sendmessage" && (name === "header" || name === "query"))
      );
      const given = Object.fromEntries(
        names.map((name) => [name, [override[name] ?? values[name] ?? `value-of-${name}`]]),
      );
      await parsed(source, given);
    }
  }
});

Deno.test("HTTP options set the method, path, query and body", async () => {
  const options = { method: ["PUT"], path: ["/orders/o-1?tag=a&tag=b"], body: ['{"a":1}'] };
  const v2 = await parsed("api-gateway-http", options);
  equal(at(v2, "requestContext", "http", "method"), "PUT");
  equal(at(v2, "rawPath"), "/orders/o-1");
  equal(at(v2, "rawQueryString"), "tag=a&tag=b");
  equal(at(v2, "body"), '{"a":1}');
  equal(at(v2, "headers", "content-type"), "application/json");
  const v1 = await parsed("api-gateway-rest", options);
  equal(at(v1, "httpMethod"), "PUT");
  deepEqual(at(v1, "multiValueQueryStringParameters"), { tag: ["a", "b"] });
  equal(
    at(await parsed("function-url", { body: ["x"] }), "requestContext", "http", "method"),
    "POST",
  );
  equal(at(await parsed("alb", {}), "httpMethod"), "GET");
});

Deno.test("payload format 2.0 samples join a repeated query parameter with commas, as AWS does", async () => {
  const options = { path: ["/orders?tag=a&tag=b&page=2"] };
  for (const source of ["api-gateway-http", "function-url"]) {
    deepEqual(at(await parsed(source, options), "queryStringParameters"), {
      tag: "a,b",
      page: "2",
    }, source);
  }
  // Payload format 1.0 keeps the last value, the others being in the multi-value form.
  deepEqual(at(await parsed("api-gateway-rest", options), "queryStringParameters"), {
    tag: "b",
    page: "2",
  });
});

Deno.test("record options make one record each, in the order given", async () => {
  const sqs = await parsed("sqs", { body: ["a", "b"], queue: ["orders.fifo"] });
  deepEqual(records(sqs).map((r) => at(r, "body")), ["a", "b"]);
  equal(at(sqs, "Records", 0, "eventSourceARN"), "arn:aws:sqs:us-east-1:123456789012:orders.fifo");
  equal(at(sqs, "Records", 0, "attributes", "MessageGroupId"), "group-1");
  equal(new Set(records(sqs).map((r) => at(r, "messageId"))).size, 2);
  const s3 = await parsed("s3", { bucket: ["photos"], key: ["in/a b.jpg"] });
  equal(at(s3, "Records", 0, "s3", "bucket", "name"), "photos");
  equal(at(s3, "Records", 0, "s3", "object", "key"), "in/a+b.jpg"); // URL-encoded, as S3 sends keys
  const kinesis = await parsed("kinesis", { data: ["one", "two"] });
  equal(atob(String(at(kinesis, "Records", 1, "kinesis", "data"))), "two");
  const logs = await parsed("cloudwatch-logs", { message: ["hello", "world"] });
  deepEqual((at(logs, "awslogs", "data", "logEvents") as unknown[]).map((e) => at(e, "message")), [
    "hello",
    "world",
  ]);
});

Deno.test("payload format 1.0 of an HTTP API names its version and the $default stage", async () => {
  const options = { method: ["PUT"], path: ["/orders/o-1?tag=a&tag=b"], body: ['{"a":1}'] };
  const event = await parsed("api-gateway-http-v1", options);
  equal(at(event, "version"), "1.0");
  equal(at(event, "httpMethod"), "PUT");
  equal(at(event, "requestContext", "stage"), "$default");
  equal(at(event, "requestContext", "path"), "/orders/o-1");
  equal(at(event, "requestContext", "resourceId"), null);
  deepEqual(at(event, "multiValueQueryStringParameters"), { tag: ["a", "b"] });
  equal(at(event, "body"), '{"a":1}');
});

Deno.test("a Lambda@Edge request splits --path into uri and querystring, and base64s --body", async () => {
  const event = await parsed("cloudfront-request", {
    path: ["/img/cat.jpg?size=large"],
    body: ["x"],
  });
  const request = at(event, "Records", 0, "cf", "request");
  equal(at(request, "uri"), "/img/cat.jpg");
  equal(at(request, "querystring"), "size=large");
  equal(at(request, "method"), "POST");
  equal(atob(String(at(request, "body", "data"))), "x");
  equal(at(await parsed("cloudfront-request"), "Records", 0, "cf", "request", "body"), undefined);
  equal(
    at(
      await parsed("cloudfront-response", { status: ["404"] }),
      "Records",
      0,
      "cf",
      "response",
      "status",
    ),
    "404",
  );
});

Deno.test("Amazon MQ, S3 Batch and AppSync Events options make one item each", async () => {
  const active = await parsed("amazon-mq-activemq", { body: ["a", "b"], queue: ["orders"] });
  const messages = at(active, "messages") as unknown[];
  deepEqual(messages.map((m) => atob(String(at(m, "data")))), ["a", "b"]);
  equal(at(messages[0], "destination", "physicalName"), "orders");
  equal(new Set(messages.map((m) => at(m, "messageID"))).size, 2);
  const rabbit = await parsed("amazon-mq-rabbitmq", { body: ["a", "bc"], queue: ["orders"] });
  const queue = at(rabbit, "rmqMessagesByQueue", "orders::/") as unknown[];
  deepEqual(queue.map((m) => at(m, "basicProperties", "bodySize")), [1, 2]);
  const batch = await parsed("s3-batch", { bucket: ["photos"], key: ["a.jpg", "b.jpg"] });
  deepEqual((at(batch, "tasks") as unknown[]).map((t) => at(t, "s3Key")), ["a.jpg", "b.jpg"]);
  equal(at(batch, "tasks", 1, "s3Bucket"), "photos");
  const published = await parsed("appsync-events", {
    channel: ["/shop/orders"],
    payload: ['{"n":1}', '{"n":2}'],
  });
  deepEqual((at(published, "events") as unknown[]).map((e) => at(e, "payload", "n")), [1, 2]);
  deepEqual(at(published, "info", "channel", "segments"), ["shop", "orders"]);
});

/** The published AWS sample, in tests/fixtures/events/, each newer source is modelled on. */
const PUBLISHED: Record<string, string> = {
  "amazon-mq-activemq": "activemq",
  "amazon-mq-rabbitmq": "rabbitmq",
  "api-gateway-http-v1": "api_gateway_http_v1",
  "appsync-events": "appsync_events_publish",
  "bedrock-agent": "bedrock_agent_openapi",
  "cloudfront-request": "cloudfront_viewer_request",
  "cloudfront-response": "cloudfront_viewer_response",
  "cloudwatch-alarm": "cloudwatch_alarm_metric",
  codedeploy: "codedeploy_lifecycle_hook",
  "cognito-custom-email-sender": "cognito_custom_email_sender",
  "cognito-custom-sms-sender": "cognito_custom_sms_sender",
  "cognito-inbound-federation": "cognito_inbound_federation_oidc",
  "config-rule": "config_rule_scheduled",
  connect: "connect_contact_flow_all",
  "iot-custom-authorizer": "iot_custom_authorizer",
  "lex-v2": "lex_v2",
  "alexa-skills-kit": "alexa_skill_request",
  "alexa-smart-home": "alexa_smart_home_turn_on",
  "api-gateway-websocket-authorizer": "api_gateway_websocket_authorizer_guide",
  "appsync-authorizer": "appsync_authorizer_headers",
  codecommit: "codecommit_java",
  documentdb: "documentdb_insert",
  "kinesis-analytics": "kinesis_analytics_streams",
  "kinesis-analytics-output": "kinesis_analytics_output_delivery",
  "kinesis-firehose-msk": "kinesis_firehose_msk",
  "lambda-destination": "lambda_destination_success",
  "lex-v1": "lex_v1",
  "sagemaker-ground-truth-consolidation": "sagemaker_annotation_consolidation",
  "sagemaker-ground-truth-pre-human": "sagemaker_pre_human_task",
  workmail: "workmail",
  "s3-batch": "s3_batch_v2",
  "transfer-family": "transfer_family_authorizer",
};

// The schemas are loose, so a sample could pass its schema and still miss a field AWS sends.
Deno.test("the newer samples have the top-level fields of AWS's published samples", async () => {
  for (const [source, fixture] of Object.entries(PUBLISHED)) {
    const url = new URL(`../fixtures/events/${fixture}.json`, import.meta.url);
    const published = JSON.parse(await Deno.readTextFile(url)) as Record<string, unknown>;
    deepEqual(Object.keys(sampleEvent(source)).sort(), Object.keys(published).sort(), source);
  }
});

Deno.test("an unknown source or option, or a value the schema refuses, is named", () => {
  throws(() => sampleEvent("sqs-queue"), /Cannot make a sqs-queue event: no such source/);
  throws(() => sampleEvent("s3", { bucket: ["b"], body: ["x"] }), /unknown option --body/);
  throws(() => sampleEvent("s3", { size: ["big"] }), /Records\.0\.s3\.object\.size/);
  throws(() => sampleEvent("eventbridge", { detail: ["{oops"] }), /--detail: it is not JSON/);
  throws(() => sampleEvent("cloudwatch-alarm", { state: ["RED"] }), /alarmData\.state\.value/);
  throws(() => sampleEvent("transfer-family", { protocol: ["SCP"] }), /protocol/);
});

Deno.test("the command lists the sources, or prints an event", () => {
  let text = "";
  equal(main([], (t) => (text += t)), 0);
  match(text, /^Usage: deno task event <source>/);
  match(text, /\n {2}sqs +SQS messages/);
  match(text, /\n {6}--bucket +the bucket/);
  text = "";
  equal(main(["s3", "--bucket", "b", "--key=k.txt"], (t) => (text += t)), 0);
  equal(at(JSON.parse(text), "Records", 0, "s3", "object", "key"), "k.txt");
  throws(() => main(["s3", "--bucket"], () => {}), /--bucket needs a value/);
});

Deno.test("API Gateway samples take a route and its path parameters, a stage, headers and a query", async () => {
  const rest = await parsed("api-gateway-rest", {
    route: ["/users/{id}"],
    path: ["/users/42"],
    stage: ["dev"],
    method: ["DELETE"],
    header: ["Authorization: Bearer t"],
    query: ["force=1"],
  });
  equal(at(rest, "resource"), "/users/{id}");
  deepEqual(at(rest, "pathParameters"), { id: "42" });
  equal(at(rest, "httpMethod"), "DELETE");
  equal(at(rest, "headers", "authorization"), "Bearer t");
  deepEqual(at(rest, "multiValueQueryStringParameters"), { force: ["1"] });
  equal(at(rest, "requestContext", "stage"), "dev");
  equal(at(rest, "requestContext", "path"), "/dev/users/42");
  equal(at(rest, "requestContext", "resourcePath"), "/users/{id}");
  const greedy = await parsed("api-gateway-rest", {
    route: ["/files/{key+}"],
    path: ["/files/a/b.txt"],
  });
  deepEqual(at(greedy, "pathParameters"), { key: "a/b.txt" });

  const v2 = await parsed("api-gateway-http", {
    route: ["GET /users/{id}/orders/{order}"],
    "path-parameter": ["id=42", "order=o-7"],
    stage: ["live"],
  });
  equal(at(v2, "routeKey"), "GET /users/{id}/orders/{order}");
  equal(at(v2, "requestContext", "routeKey"), "GET /users/{id}/orders/{order}");
  equal(at(v2, "rawPath"), "/users/42/orders/o-7");
  deepEqual(at(v2, "pathParameters"), { id: "42", order: "o-7" });
  equal(at(v2, "requestContext", "http", "method"), "GET");
  equal(at(v2, "requestContext", "stage"), "live");
  const v2Path = await parsed("api-gateway-http", {
    route: ["/users/{id}"],
    method: ["PATCH"],
    path: ["/users/9"],
  });
  equal(at(v2Path, "routeKey"), "PATCH /users/{id}");

  const v1 = await parsed("api-gateway-http-v1", {
    route: ["GET /users/{id}"],
    path: ["/users/5"],
  });
  deepEqual(at(v1, "pathParameters"), { id: "5" });
  equal(at(v1, "resource"), "/users/{id}");
});

Deno.test("WebSocket samples make a connection, a message or a disconnection from the route", async () => {
  const connect = await parsed("api-gateway-websocket", {
    route: ["$connect"],
    header: ["Sec-WebSocket-Protocol: chat"],
    query: ["room=lobby"],
  });
  equal(at(connect, "requestContext", "eventType"), "CONNECT");
  equal(at(connect, "headers", "sec-websocket-protocol"), "chat");
  deepEqual(at(connect, "queryStringParameters"), { room: "lobby" });
  equal(at(connect, "body"), undefined);
  const bye = await parsed("api-gateway-websocket", { route: ["$disconnect"] });
  equal(at(bye, "requestContext", "eventType"), "DISCONNECT");
  const message = await parsed("api-gateway-websocket", { body: ["hi"], stage: ["dev"] });
  equal(at(message, "requestContext", "eventType"), "MESSAGE");
  equal(at(message, "requestContext", "stage"), "dev");
  equal(at(message, "body"), "hi");
  const authorizer = await parsed("api-gateway-websocket-authorizer", {
    query: ["token=t-1"],
    stage: ["dev"],
  });
  match(String(at(authorizer, "methodArn")), /\/dev\/\$connect$/);
  deepEqual(at(authorizer, "queryStringParameters"), { token: "t-1" });
});

Deno.test("a path the route does not match, a missing path parameter or a contradicting method is named", () => {
  throws(
    () => sampleEvent("api-gateway-rest", { route: ["/users/{id}"], path: ["/orders/1"] }),
    /--path \/orders\/1 does not match \/users\/\{id\}/,
  );
  throws(
    () => sampleEvent("api-gateway-http", { route: ["GET /users/{id}"] }),
    /--route \/users\/\{id\} needs --path or --path-parameter id=…/,
  );
  throws(
    () =>
      sampleEvent("api-gateway-http", {
        route: ["GET /users/{id}"],
        method: ["POST"],
        path: ["/users/1"],
      }),
    /--method POST is not the method of --route GET \/users\/\{id\}/,
  );
  throws(
    () => sampleEvent("api-gateway-websocket", { route: ["sendmessage"], header: ["A: b"] }),
    /--header and --query come with a \$connect only/,
  );
  throws(
    () => sampleEvent("alb", { header: ["no colon"] }),
    /--header no colon is not "Name: value"/,
  );
  throws(() => sampleEvent("alb", { query: ["=1"] }), /--query =1 is not name=value/);
});
