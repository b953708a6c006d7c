// The schemas of the less common event sources, each against AWS-published sample events
// (aws-lambda-go's testdata, Powertools for AWS Lambda's test events, the AWS developer guides;
// the IoT guide's authorizer sample has placeholders, here replaced by values of their type):
// each sample parses with unknown fields kept, and a mutated copy is rejected naming the path.
import { equal, ok } from "node:assert/strict";
import { flattenIssues } from "../../src/events/errors.ts";
import { at, type EventCase, fixture, type Json, testEventCases } from "./_event_cases.ts";
import { ActiveMqEventSchema, RabbitMqEventSchema } from "../../src/events/streams/amazon_mq.ts";
import { S3BatchEventSchema, S3BatchResultSchema } from "../../src/events/services/s3_batch.ts";
import { CloudWatchAlarmEventSchema } from "../../src/events/operations/cloudwatch_alarm.ts";
import { BedrockAgentEventSchema } from "../../src/events/conversations/bedrock_agent.ts";
import { LexV2EventSchema } from "../../src/events/conversations/lex_v2.ts";
import { ApiGatewayHttpV1EventSchema } from "../../src/events/http/api_gateway_rest.ts";
import {
  CognitoCustomEmailSenderEventSchema,
  CognitoCustomSmsSenderEventSchema,
} from "../../src/events/identity/cognito_custom_sender.ts";
import { CognitoInboundFederationEventSchema } from "../../src/events/identity/cognito_inbound_federation.ts";
import { ConfigRuleEventSchema } from "../../src/events/operations/config_rule.ts";
import { CodeDeployLifecycleHookEventSchema } from "../../src/events/operations/codedeploy.ts";
import { IotCustomAuthorizerEventSchema } from "../../src/events/identity/iot_custom_authorizer.ts";
import { ConnectContactFlowEventSchema } from "../../src/events/conversations/connect.ts";
import { TransferFamilyAuthorizerEventSchema } from "../../src/events/identity/transfer_family.ts";
import { AppSyncEventsEventSchema } from "../../src/events/services/appsync_events.ts";
import {
  CloudFrontRequestEventSchema,
  CloudFrontResponseEventSchema,
} from "../../src/events/http/cloudfront.ts";

const cases: EventCase[] = [
  {
    name: "ActiveMqEventSchema",
    schema: ActiveMqEventSchema,
    fixture: "activemq",
    change: "a message without data",
    mutate: (e) => delete at(e, "messages", 0).data,
    path: "messages[0].data",
  },
  {
    name: "ActiveMqEventSchema",
    schema: ActiveMqEventSchema,
    fixture: "activemq_powertools",
    change: "a RabbitMQ event source",
    mutate: (e) => (e.eventSource = "aws:rmq"),
    path: "eventSource",
  },
  {
    name: "RabbitMqEventSchema",
    schema: RabbitMqEventSchema,
    fixture: "rabbitmq",
    change: "a string bodySize",
    mutate: (e) => (at(e, "rmqMessagesByQueue", "test::/", 0, "basicProperties").bodySize = "80"),
    path: 'rmqMessagesByQueue["test::/"][0].basicProperties.bodySize',
  },
  {
    name: "S3BatchEventSchema",
    schema: S3BatchEventSchema,
    fixture: "s3_batch_v1",
    change: "a 1.0 task naming the bucket instead of its ARN",
    mutate: (e) => {
      const task = at(e, "tasks", 0);
      task.s3Bucket = "awsexamplebucket";
      delete task.s3BucketArn;
    },
    path: "tasks[0].s3BucketArn",
  },
  {
    name: "S3BatchEventSchema",
    schema: S3BatchEventSchema,
    fixture: "s3_batch_v2",
    change: "a task without s3Key",
    mutate: (e) => delete at(e, "tasks", 0).s3Key,
    path: "tasks[0].s3Key",
  },
  {
    name: "S3BatchResultSchema",
    schema: S3BatchResultSchema,
    fixture: "s3_batch_result",
    change: "an unknown result code",
    mutate: (e) => (at(e, "results", 0).resultCode = "Failed"),
    path: "results[0].resultCode",
  },
  {
    name: "CloudWatchAlarmEventSchema",
    schema: CloudWatchAlarmEventSchema,
    fixture: "cloudwatch_alarm_metric",
    change: "an unknown state",
    mutate: (e) => (at(e, "alarmData", "state").value = "FIRING"),
    path: "alarmData.state.value",
  },
  {
    name: "CloudWatchAlarmEventSchema",
    schema: CloudWatchAlarmEventSchema,
    fixture: "cloudwatch_alarm_composite",
    change: "a composite alarm whose previous state has no value",
    mutate: (e) => delete at(e, "alarmData", "previousState").value,
    path: "alarmData.previousState.value",
  },
  {
    name: "CloudFrontRequestEventSchema",
    schema: CloudFrontRequestEventSchema,
    fixture: "cloudfront_viewer_request",
    change: "a header given as a plain string",
    mutate: (e) => (at(e, "Records", 0, "cf", "request", "headers").host = "example.com"),
    path: "Records[0].cf.request.headers.host",
  },
  {
    name: "CloudFrontResponseEventSchema",
    schema: CloudFrontResponseEventSchema,
    fixture: "cloudfront_viewer_response",
    change: "a numeric status",
    mutate: (e) => (at(e, "Records", 0, "cf", "response").status = 200),
    path: "Records[0].cf.response.status",
  },
  {
    name: "BedrockAgentEventSchema",
    schema: BedrockAgentEventSchema,
    fixture: "bedrock_agent_openapi",
    change: "a body property without value",
    mutate: (e) =>
      delete at(e, "requestBody", "content", "application/json", "properties", 1).value,
    path: 'requestBody.content["application/json"].properties[1].value',
  },
  {
    name: "BedrockAgentEventSchema",
    schema: BedrockAgentEventSchema,
    fixture: "bedrock_agent_function",
    change: "a numeric parameter value",
    mutate: (e) => (at(e, "parameters", 0).value = 15),
    path: "parameters[0].value",
  },
  {
    name: "LexV2EventSchema",
    schema: LexV2EventSchema,
    fixture: "lex_v2",
    change: "an unknown invocation source",
    mutate: (e) => (e.invocationSource = "CodeHook"),
    path: "invocationSource",
  },
  {
    name: "ApiGatewayHttpV1EventSchema",
    schema: ApiGatewayHttpV1EventSchema,
    fixture: "api_gateway_http_v1",
    change: "a version 2.0 event",
    mutate: (e) => (e.version = "2.0"),
    path: "version",
  },
  {
    name: "CognitoCustomEmailSenderEventSchema",
    schema: CognitoCustomEmailSenderEventSchema,
    fixture: "cognito_custom_email_sender",
    change: "an SMS sender trigger",
    mutate: (e) => (e.triggerSource = "CustomSMSSender_AdminCreateUser"),
    path: "triggerSource",
  },
  {
    name: "CognitoCustomSmsSenderEventSchema",
    schema: CognitoCustomSmsSenderEventSchema,
    fixture: "cognito_custom_sms_sender",
    change: "a request without type",
    mutate: (e) => delete at(e, "request").type,
    path: "request.type",
  },
  {
    name: "CognitoInboundFederationEventSchema",
    schema: CognitoInboundFederationEventSchema,
    fixture: "cognito_inbound_federation_oidc",
    change: "another trigger source",
    mutate: (e) => (e.triggerSource = "PreSignUp_ExternalProvider"),
    path: "triggerSource",
  },
  {
    name: "CognitoInboundFederationEventSchema",
    schema: CognitoInboundFederationEventSchema,
    fixture: "cognito_inbound_federation_saml",
    change: "an unknown provider type",
    mutate: (e) => (at(e, "request").providerType = "LDAP"),
    path: "request.providerType",
  },
  {
    name: "ConfigRuleEventSchema",
    schema: ConfigRuleEventSchema,
    fixture: "config_rule_scheduled",
    change: "a rule without resultToken",
    mutate: (e) => delete e.resultToken,
    path: "resultToken",
  },
  {
    name: "CodeDeployLifecycleHookEventSchema",
    schema: CodeDeployLifecycleHookEventSchema,
    fixture: "codedeploy_lifecycle_hook",
    change: "a hook without execution id",
    mutate: (e) => delete e.LifecycleEventHookExecutionId,
    path: "LifecycleEventHookExecutionId",
  },
  {
    name: "IotCustomAuthorizerEventSchema",
    schema: IotCustomAuthorizerEventSchema,
    fixture: "iot_custom_authorizer",
    change: "an unknown protocol",
    mutate: (e) => (e.protocols = ["tls", "coap"]),
    path: "protocols[1]",
  },
  {
    name: "ConnectContactFlowEventSchema",
    schema: ConnectContactFlowEventSchema,
    fixture: "connect_contact_flow_min",
    change: "another event name",
    mutate: (e) => (e.Name = "ContactEvent"),
    path: "Name",
  },
  {
    name: "ConnectContactFlowEventSchema",
    schema: ConnectContactFlowEventSchema,
    fixture: "connect_contact_flow_all",
    change: "a queue without ARN",
    mutate: (e) => delete at(e, "Details", "ContactData", "Queue").ARN,
    path: "Details.ContactData.Queue.ARN",
  },
  {
    name: "TransferFamilyAuthorizerEventSchema",
    schema: TransferFamilyAuthorizerEventSchema,
    fixture: "transfer_family_authorizer",
    change: "an unknown protocol",
    mutate: (e) => (e.protocol = "SCP"),
    path: "protocol",
  },
  {
    name: "AppSyncEventsEventSchema",
    schema: AppSyncEventsEventSchema,
    fixture: "appsync_events",
    change: "an unknown operation",
    mutate: (e) => (at(e, "info").operation = "DELETE"),
    path: "info.operation",
  },
  {
    name: "AppSyncEventsEventSchema",
    schema: AppSyncEventsEventSchema,
    fixture: "appsync_events_publish",
    change: "an event without id",
    mutate: (e) => delete at(e, "events", 1).id,
    path: "events[1].id",
  },
];

testEventCases(cases, "sample");

Deno.test("LexV2EventSchema reads nluConfidence as the Lex V2 guide's input format gives it, a number", async () => {
  const event = await fixture("lex_v2");
  const interpretations = structuredClone(event.interpretations) as Json[];
  interpretations[0]!.nluConfidence = 0.95;
  const parsed = LexV2EventSchema.safeParse({ ...event, interpretations });
  ok(parsed.success, parsed.success ? "" : JSON.stringify(flattenIssues(parsed.error.issues)));
  equal(parsed.data.interpretations[0]?.nluConfidence, 0.95);
});

Deno.test("CognitoInboundFederationEventSchema reads sign-ins through social providers too", async () => {
  // The trigger runs for Facebook, Google, Sign in with Apple and Login with Amazon as well,
  // with the same attributes as an OIDC provider.
  for (const providerType of ["Facebook", "Google", "SignInWithApple", "LoginWithAmazon"]) {
    const event = await fixture("cognito_inbound_federation_oidc");
    const request = { ...(event.request as Json), providerName: providerType, providerType };
    const parsed = CognitoInboundFederationEventSchema.safeParse({ ...event, request });
    ok(parsed.success, providerType);
  }
});
