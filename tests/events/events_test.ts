// Every event schema accepts a realistic fixture and rejects a mutated copy, naming the path.
import { equal, match, throws } from "node:assert/strict";
import { at, type EventCase, fixture, testEventCases } from "./_event_cases.ts";
import {
  ApiGatewayProxyEventSchema,
  ApiGatewayRequestAuthorizerEventSchema,
  ApiGatewayTokenAuthorizerEventSchema,
} from "../../src/events/http/api_gateway_rest.ts";
import {
  ApiGatewayProxyEventV2Schema,
  ApiGatewayRequestAuthorizerEventV2Schema,
} from "../../src/events/http/api_gateway_http.ts";
import { ApiGatewayWebSocketEventSchema } from "../../src/events/http/api_gateway_websocket.ts";
import { AlbEventSchema } from "../../src/events/http/alb.ts";
import { FunctionUrlEventSchema } from "../../src/events/http/function_url.ts";
import { SqsEventSchema } from "../../src/events/streams/sqs.ts";
import { SnsEventSchema } from "../../src/events/streams/sns.ts";
import { S3EventBridgeEventSchema, S3EventSchema } from "../../src/events/streams/s3.ts";
import { S3ObjectLambdaEventSchema } from "../../src/events/http/s3_object_lambda.ts";
import {
  EventBridgeEventSchema,
  ScheduledEventSchema,
} from "../../src/events/operations/eventbridge.ts";
import { DynamoDbStreamEventSchema } from "../../src/events/streams/dynamodb_stream.ts";
import { KinesisStreamEventSchema } from "../../src/events/streams/kinesis.ts";
import { KinesisFirehoseEventSchema } from "../../src/events/streams/kinesis_firehose.ts";
import {
  CloudWatchLogsDecodedEventSchema,
  CloudWatchLogsEventSchema,
} from "../../src/events/streams/cloudwatch_logs.ts";
import { SesEventSchema } from "../../src/events/services/ses.ts";
import {
  CognitoPreTokenGenerationEventSchema,
  CognitoUserPoolTriggerEventSchema,
} from "../../src/events/identity/cognito_user_pool.ts";
import { CloudFormationCustomResourceEventSchema } from "../../src/events/operations/cloudformation_custom_resource.ts";
import { AppSyncResolverEventSchema } from "../../src/events/services/appsync.ts";
import { KafkaEventSchema, MskEventSchema } from "../../src/events/streams/kafka.ts";
import {
  VpcLatticeEventSchema,
  VpcLatticeEventV2Schema,
} from "../../src/events/http/vpc_lattice.ts";
import { SecretsManagerRotationEventSchema } from "../../src/events/operations/secrets_manager.ts";
import { CodePipelineJobEventSchema } from "../../src/events/operations/codepipeline.ts";

const cases: EventCase[] = [
  {
    name: "SqsEventSchema",
    schema: SqsEventSchema,
    fixture: "sqs",
    change: "a record without body",
    mutate: (e) => delete at(e, "Records", 0).body,
    path: "Records[0].body",
  },
  {
    name: "ApiGatewayProxyEventSchema",
    schema: ApiGatewayProxyEventSchema,
    fixture: "api_gateway_rest",
    change: "a numeric httpMethod",
    mutate: (e) => (e.httpMethod = 1),
    path: "httpMethod",
  },
  {
    name: "ApiGatewayRequestAuthorizerEventSchema",
    schema: ApiGatewayRequestAuthorizerEventSchema,
    fixture: "api_gateway_rest_request_authorizer",
    change: "a TOKEN type",
    mutate: (e) => (e.type = "TOKEN"),
    path: "type",
  },
  {
    name: "ApiGatewayTokenAuthorizerEventSchema",
    schema: ApiGatewayTokenAuthorizerEventSchema,
    fixture: "api_gateway_rest_token_authorizer",
    change: "no authorizationToken",
    mutate: (e) => delete e.authorizationToken,
    path: "authorizationToken",
  },
  {
    name: "ApiGatewayProxyEventV2Schema",
    schema: ApiGatewayProxyEventV2Schema,
    fixture: "api_gateway_http",
    change: "no requestContext.http.method",
    mutate: (e) => delete at(e, "requestContext", "http").method,
    path: "requestContext.http.method",
  },
  {
    name: "ApiGatewayRequestAuthorizerEventV2Schema",
    schema: ApiGatewayRequestAuthorizerEventV2Schema,
    fixture: "api_gateway_http_authorizer",
    change: "no routeArn",
    mutate: (e) => delete e.routeArn,
    path: "routeArn",
  },
  {
    name: "ApiGatewayWebSocketEventSchema",
    schema: ApiGatewayWebSocketEventSchema,
    fixture: "api_gateway_websocket",
    change: "an unknown eventType",
    mutate: (e) => (at(e, "requestContext").eventType = "PING"),
    path: "requestContext.eventType",
  },
  {
    name: "AlbEventSchema",
    schema: AlbEventSchema,
    fixture: "alb",
    change: "no target group",
    mutate: (e) => delete at(e, "requestContext", "elb").targetGroupArn,
    path: "requestContext.elb.targetGroupArn",
  },
  {
    name: "FunctionUrlEventSchema",
    schema: FunctionUrlEventSchema,
    fixture: "function_url",
    change: "a route key other than $default",
    mutate: (e) => (e.routeKey = "GET /"),
    path: "routeKey",
  },
  {
    name: "SnsEventSchema",
    schema: SnsEventSchema,
    fixture: "sns",
    change: "an SQS event source",
    mutate: (e) => (at(e, "Records", 0).EventSource = "aws:sqs"),
    path: "Records[0].EventSource",
  },
  {
    name: "S3EventSchema",
    schema: S3EventSchema,
    fixture: "s3",
    change: "no object key",
    mutate: (e) => delete at(e, "Records", 0, "s3", "object").key,
    path: "Records[0].s3.object.key",
  },
  {
    name: "S3EventBridgeEventSchema",
    schema: S3EventBridgeEventSchema,
    fixture: "s3_eventbridge",
    change: "another source",
    mutate: (e) => (e.source = "aws.ec2"),
    path: "source",
  },
  {
    name: "S3ObjectLambdaEventSchema",
    schema: S3ObjectLambdaEventSchema,
    fixture: "s3_object_lambda",
    change: "no output token",
    mutate: (e) => delete at(e, "getObjectContext").outputToken,
    path: "getObjectContext.outputToken",
  },
  {
    name: "EventBridgeEventSchema",
    schema: EventBridgeEventSchema,
    fixture: "eventbridge",
    change: "no detail-type",
    mutate: (e) => delete e["detail-type"],
    path: '["detail-type"]',
  },
  {
    name: "ScheduledEventSchema",
    schema: ScheduledEventSchema,
    fixture: "scheduled",
    change: "a custom detail-type",
    mutate: (e) => (e["detail-type"] = "OrderPlaced"),
    path: '["detail-type"]',
  },
  {
    name: "DynamoDbStreamEventSchema",
    schema: DynamoDbStreamEventSchema,
    fixture: "dynamodb_stream",
    change: "a numeric N attribute",
    mutate: (e) => (at(e, "Records", 1, "dynamodb", "NewImage", "Id").N = 101),
    path: "Records[1].dynamodb.NewImage.Id.N",
  },
  {
    name: "KinesisStreamEventSchema",
    schema: KinesisStreamEventSchema,
    fixture: "kinesis",
    change: "no sequence number",
    mutate: (e) => delete at(e, "Records", 1, "kinesis").sequenceNumber,
    path: "Records[1].kinesis.sequenceNumber",
  },
  {
    name: "KinesisFirehoseEventSchema",
    schema: KinesisFirehoseEventSchema,
    fixture: "kinesis_firehose",
    change: "an MSK source",
    mutate: (e) => (e.sourceMSKArn = "arn:aws:kafka:us-east-1:123456789012:cluster/c/1"),
    path: "sourceMSKArn",
  },
  {
    name: "CloudWatchLogsEventSchema",
    schema: CloudWatchLogsEventSchema,
    fixture: "cloudwatch_logs",
    change: "no data",
    mutate: (e) => delete at(e, "awslogs").data,
    path: "awslogs.data",
  },
  {
    name: "CloudWatchLogsDecodedEventSchema",
    schema: CloudWatchLogsDecodedEventSchema,
    fixture: "cloudwatch_logs",
    change: "data that is not gzip",
    mutate: (e) => (at(e, "awslogs").data = btoa("{}")),
    path: "awslogs.data",
  },
  {
    name: "SesEventSchema",
    schema: SesEventSchema,
    fixture: "ses",
    change: "a non-Lambda action",
    mutate: (e) => (at(e, "Records", 0, "ses", "receipt", "action").type = "S3"),
    path: "Records[0].ses.receipt.action.type",
  },
  {
    name: "CognitoUserPoolTriggerEventSchema",
    schema: CognitoUserPoolTriggerEventSchema,
    fixture: "cognito_user_pool",
    change: "no userAttributes",
    mutate: (e) => delete at(e, "request").userAttributes,
    path: "request.userAttributes",
  },
  {
    name: "CognitoPreTokenGenerationEventSchema",
    schema: CognitoPreTokenGenerationEventSchema,
    fixture: "cognito_pre_token_generation",
    change: "a pre sign-up trigger source",
    mutate: (e) => (e.triggerSource = "PreSignUp_SignUp"),
    path: "triggerSource",
  },
  {
    name: "CloudFormationCustomResourceEventSchema",
    schema: CloudFormationCustomResourceEventSchema,
    fixture: "cloudformation_custom_resource",
    change: "an update without old properties",
    mutate: (e) => delete e.OldResourceProperties,
    path: "OldResourceProperties",
  },
  {
    name: "AppSyncResolverEventSchema",
    schema: AppSyncResolverEventSchema,
    fixture: "appsync",
    change: "no fieldName",
    mutate: (e) => delete at(e, "info").fieldName,
    path: "info.fieldName",
  },
  {
    name: "MskEventSchema",
    schema: MskEventSchema,
    fixture: "kafka_msk",
    change: "a string offset",
    mutate: (e) => (at(e, "records", "mytopic-0", 0).offset = "15"),
    path: 'records["mytopic-0"][0].offset',
  },
  {
    name: "KafkaEventSchema",
    schema: KafkaEventSchema,
    fixture: "kafka_self_managed",
    change: "no bootstrapServers",
    mutate: (e) => delete e.bootstrapServers,
    path: "bootstrapServers",
  },
  {
    name: "VpcLatticeEventSchema",
    schema: VpcLatticeEventSchema,
    fixture: "vpc_lattice",
    change: "a string is_base64_encoded",
    mutate: (e) => (e.is_base64_encoded = "true"),
    path: "is_base64_encoded",
  },
  {
    name: "VpcLatticeEventV2Schema",
    schema: VpcLatticeEventV2Schema,
    fixture: "vpc_lattice_v2",
    change: "single-valued headers",
    mutate: (e) => (at(e, "headers").accept = "*/*"),
    path: "headers.accept",
  },
  {
    name: "SecretsManagerRotationEventSchema",
    schema: SecretsManagerRotationEventSchema,
    fixture: "secrets_manager",
    change: "an unknown step",
    mutate: (e) => (e.Step = "rotateSecret"),
    path: "Step",
  },
  {
    name: "CodePipelineJobEventSchema",
    schema: CodePipelineJobEventSchema,
    fixture: "codepipeline",
    change: "a job without id",
    mutate: (e) => delete at(e, "CodePipeline.job").id,
    path: '["CodePipeline.job"].id',
  },
];

testEventCases(cases, "fixture");

Deno.test("CloudWatchLogsDecodedEventSchema decodes awslogs.data to the typed payload", async () => {
  const event = await CloudWatchLogsDecodedEventSchema.parseAsync(
    await fixture("cloudwatch_logs"),
  );
  equal(event.awslogs.data.logGroup, "/aws/lambda/echo");
  equal(event.awslogs.data.logEvents[0]?.timestamp, 1552518348220);
});

Deno.test("CloudWatchLogsDecodedEventSchema parsed synchronously says to parse asynchronously", async () => {
  const event = await fixture("cloudwatch_logs");
  for (
    const parse of [
      CloudWatchLogsDecodedEventSchema.parse,
      CloudWatchLogsDecodedEventSchema.safeParse,
    ]
  ) {
    throws(() => parse(event), (error: Error) => {
      equal(error instanceof TypeError, false, String(error));
      match(error.message, /Use \.parseAsync\(\)/);
      return true;
    });
  }
});
