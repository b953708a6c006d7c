// Every `sam local generate-event` sample of a source with a schema (SAM CLI 1.164's templates,
// their placeholders filled with SAM's defaults), and the API Gateway console's test event,
// parse with the schema a handler would use. Each fixture under tests/fixtures/events/ stands
// for one of them: its own values, and the shape recorded in published_shapes.json (every key
// at every level, with its type and nulls), which a first test holds it to.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { z } from "zod";
import * as events from "../../src/events/mod.ts";
import { flattenIssues } from "../../src/events/errors.ts";
import { fixture, type Json } from "./_event_cases.ts";
import { shapeOf } from "./_shape.ts";

const shapes = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/events/published_shapes.json", import.meta.url)),
) as Record<string, { from: string; shape: string[] }>;

Deno.test("each fixture has the shape of the published sample it stands for", async () => {
  for (const [name, { from, shape }] of Object.entries(shapes)) {
    deepEqual(shapeOf(await fixture(name)), shape, `${name} (${from})`);
  }
});

/** Each SAM sample, by `<service>_<event>`, and the schema of its source. */
const SAM: Record<string, z.ZodType> = {
  alb_request: events.AlbEventSchema,
  alexa_skills_kit_end_session: events.AlexaSkillRequestSchema,
  alexa_skills_kit_intent_answer: events.AlexaSkillRequestSchema,
  alexa_skills_kit_intent_getnewfact: events.AlexaSkillRequestSchema,
  alexa_skills_kit_intent_mycoloris: events.AlexaSkillRequestSchema,
  alexa_skills_kit_intent_recipe: events.AlexaSkillRequestSchema,
  alexa_skills_kit_start_session: events.AlexaSkillRequestSchema,
  alexa_smart_home_smart_home_control_turn_off_request: events.AlexaSmartHomeEventSchema,
  alexa_smart_home_smart_home_control_turn_on_request: events.AlexaSmartHomeEventSchema,
  alexa_smart_home_smart_home_discovery_request: events.AlexaSmartHomeEventSchema,
  apigateway_authorizer: events.ApiGatewayTokenAuthorizerEventSchema,
  apigateway_aws_proxy: events.ApiGatewayProxyEventSchema,
  apigateway_http_api_proxy: events.ApiGatewayProxyEventV2Schema,
  apigateway_request_authorizer: events.ApiGatewayRequestAuthorizerEventSchema,
  appsync_resolver: events.AppSyncResolverEventSchema,
  cloudformation_create_request: events.CloudFormationCustomResourceEventSchema,
  cloudfront_ab_test: events.CloudFrontRequestEventSchema,
  cloudfront_access_request_in_response: events.CloudFrontResponseEventSchema,
  cloudfront_http_redirect: events.CloudFrontRequestEventSchema,
  cloudfront_modify_querystring: events.CloudFrontRequestEventSchema,
  cloudfront_modify_response_header: events.CloudFrontResponseEventSchema,
  cloudfront_multiple_remote_calls_aggregate_response: events.CloudFrontRequestEventSchema,
  cloudfront_normalize_querystring_to_improve_cache_hit: events.CloudFrontRequestEventSchema,
  cloudfront_redirect_on_viewer_country: events.CloudFrontRequestEventSchema,
  cloudfront_redirect_unauthenticated_users: events.CloudFrontRequestEventSchema,
  cloudfront_response_generation: events.CloudFrontRequestEventSchema,
  cloudfront_serve_object_on_viewer_device: events.CloudFrontRequestEventSchema,
  cloudfront_simple_remote_call: events.CloudFrontRequestEventSchema,
  cloudwatch_logs: events.CloudWatchLogsDecodedEventSchema,
  cloudwatch_scheduled_event: events.ScheduledEventSchema,
  codecommit_repository: events.CodeCommitEventSchema,
  codepipeline_job: events.CodePipelineJobEventSchema,
  config_item_change_notification: events.ConfigRuleEventSchema,
  config_oversized_item_change_notification: events.ConfigRuleEventSchema,
  config_periodic_rule: events.ConfigRuleEventSchema,
  connect_contact_flow_event: events.ConnectContactFlowEventSchema,
  dynamodb_update: events.DynamoDbStreamEventSchema,
  kinesis_analytics: events.KinesisAnalyticsInputPreprocessingEventSchema,
  kinesis_analytics_compressed: events.KinesisAnalyticsInputPreprocessingEventSchema,
  kinesis_analytics_dynamodb: events.KinesisAnalyticsInputPreprocessingEventSchema,
  kinesis_analytics_kpl: events.KinesisAnalyticsInputPreprocessingEventSchema,
  kinesis_apachelog: events.KinesisFirehoseEventSchema,
  kinesis_cloudwatch_logs_processor: events.KinesisFirehoseEventSchema,
  kinesis_get_records: events.KinesisStreamEventSchema,
  kinesis_kinesis_firehose: events.KinesisFirehoseEventSchema,
  kinesis_streams_as_source: events.KinesisFirehoseEventSchema,
  kinesis_syslog: events.KinesisFirehoseEventSchema,
  lex_book_car: events.LexV1EventSchema,
  lex_book_hotel: events.LexV1EventSchema,
  lex_make_appointment: events.LexV1EventSchema,
  lex_order_flowers: events.LexV1EventSchema,
  lex_v2_banking_bot: events.LexV2EventSchema,
  lex_v2_book_car: events.LexV2EventSchema,
  lex_v2_book_hotel: events.LexV2EventSchema,
  rekognition_s3_request: events.S3EventSchema,
  s3_batch_invocation: events.S3BatchEventSchema,
  s3_delete: events.S3EventSchema,
  s3_put: events.S3EventSchema,
  sagemaker_ground_truth_annotation_consolidation:
    events.SageMakerGroundTruthAnnotationConsolidationEventSchema,
  sagemaker_ground_truth_pre_human: events.SageMakerGroundTruthPreHumanTaskEventSchema,
  ses_email_receiving: events.SesEventSchema,
  sns_notification: events.SnsEventSchema,
  sqs_receive_message: events.SqsEventSchema,
  workmail_email: events.WorkMailEventSchema,
};

Deno.test("every SAM sample of a source with a schema is recorded here", () => {
  deepEqual(
    Object.keys(SAM).map((name) => `sam/${name}`).sort(),
    Object.keys(shapes).filter((name) => name.startsWith("sam/")).sort(),
  );
});

for (const [name, schema] of Object.entries(SAM)) {
  Deno.test(`sam local generate-event's ${name.replaceAll("_", " ")} passes its schema`, async () => {
    const event = { ...(await fixture(`sam/${name}`)), addedByAwsLater: 1 };
    // Parsed asynchronously: the CloudWatch Logs schema gunzips its payload.
    const result = await schema.safeParseAsync(event);
    ok(result.success, result.success ? "" : JSON.stringify(flattenIssues(result.error.issues)));
    equal((result.data as Json).addedByAwsLater, 1);
  });
}

Deno.test("SAM's samples that write a value in another form than AWS give the handler AWS's form", async () => {
  const syslog = events.KinesisFirehoseEventSchema.parse(await fixture("sam/kinesis_syslog"));
  equal(syslog.records[1]?.approximateArrivalTimestamp, Date.UTC(2024, 0, 2, 3, 4, 6, 250));
  const car = events.LexV1EventSchema.parse(await fixture("sam/lex_book_car"));
  equal(car.currentIntent.slots?.DriverAge, "34");
});

Deno.test("SAM's REST and HTTP API samples are told apart from each other and from a function URL's", async () => {
  const rest = await fixture("sam/apigateway_aws_proxy");
  const http = await fixture("sam/apigateway_http_api_proxy");
  equal(events.ApiGatewayHttpV1EventSchema.safeParse(rest).success, false);
  equal(events.ApiGatewayProxyEventSchema.safeParse(http).success, false);
  equal(events.FunctionUrlEventSchema.safeParse(http).success, false);
});
