// DocumentDB, AppSync authorizers, Lambda destinations, CodeCommit, Lex V1, Alexa, SageMaker
// Ground Truth, WorkMail and Kinesis Data Analytics: each schema against published samples
// from at least two of AWS's sources (the service guides, aws-lambda-go's testdata,
// aws-lambda-java-events', aws-lambda-dotnet's and the Rust runtime's test events, Powertools,
// AWS CDK's documentation); `sam local generate-event`'s are in sam_samples_test.ts.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { z } from "zod";
import { flattenIssues } from "../../src/events/errors.ts";
import { at, type EventCase, fixture, testEventCases } from "./_event_cases.ts";
import { DocumentDbEventSchema } from "../../src/events/streams/documentdb.ts";
import {
  AppSyncAuthorizerEventSchema,
  AppSyncAuthorizerResultSchema,
} from "../../src/events/identity/appsync_authorizer.ts";
import {
  LambdaDestinationFailureRecordSchema,
  LambdaDestinationRecordSchema,
  LambdaDestinationSuccessRecordSchema,
} from "../../src/events/operations/lambda_destination.ts";
import { CodeCommitEventSchema } from "../../src/events/operations/codecommit.ts";
import { LexV1EventSchema, LexV1ResultSchema } from "../../src/events/conversations/lex_v1.ts";
import { LexV2ResultSchema } from "../../src/events/conversations/lex_v2.ts";
import { AlexaSkillRequestSchema } from "../../src/events/conversations/alexa_skills_kit.ts";
import {
  AlexaSmartHomeDirectiveSchema,
  AlexaSmartHomeEventSchema,
} from "../../src/events/conversations/alexa_smart_home.ts";
import {
  SageMakerGroundTruthAnnotationConsolidationEventSchema,
  SageMakerGroundTruthAnnotationConsolidationResultSchema,
  SageMakerGroundTruthPreHumanTaskEventSchema,
  SageMakerGroundTruthPreHumanTaskResultSchema,
} from "../../src/events/services/sagemaker_ground_truth.ts";
import { WorkMailEventSchema, WorkMailResultSchema } from "../../src/events/services/workmail.ts";
import {
  KinesisAnalyticsInputPreprocessingEventSchema,
  KinesisAnalyticsInputPreprocessingResultSchema,
  KinesisAnalyticsOutputDeliveryEventSchema,
  KinesisAnalyticsOutputDeliveryResultSchema,
} from "../../src/events/streams/kinesis_analytics.ts";

const cases: EventCase[] = [
  {
    name: "DocumentDbEventSchema",
    schema: DocumentDbEventSchema,
    fixture: "documentdb_insert",
    change: "an unknown operation",
    mutate: (e) => (at(e, "events", 0, "event").operationType = "upsert"),
    path: "events[0].event.operationType",
  },
  {
    name: "DocumentDbEventSchema",
    schema: DocumentDbEventSchema,
    fixture: "documentdb_update",
    change: "removed fields that are not a list",
    mutate: (e) => (at(e, "events", 0, "event", "updateDescription").removedFields = "fax"),
    path: "events[0].event.updateDescription.removedFields",
  },
  {
    name: "AppSyncAuthorizerEventSchema",
    schema: AppSyncAuthorizerEventSchema,
    fixture: "appsync_authorizer",
    change: "no token",
    mutate: (e) => delete e.authorizationToken,
    path: "authorizationToken",
  },
  {
    name: "AppSyncAuthorizerEventSchema",
    schema: AppSyncAuthorizerEventSchema,
    fixture: "appsync_authorizer_headers",
    change: "a header list",
    mutate: (e) => (at(e, "requestHeaders").accept = ["application/json"]),
    path: "requestHeaders.accept",
  },
  {
    name: "LambdaDestinationSuccessRecordSchema",
    schema: LambdaDestinationSuccessRecordSchema,
    fixture: "lambda_destination_success",
    change: "a failure's condition",
    mutate: (e) => (at(e, "requestContext").condition = "RetriesExhausted"),
    path: "requestContext.condition",
  },
  {
    name: "LambdaDestinationFailureRecordSchema",
    schema: LambdaDestinationFailureRecordSchema,
    fixture: "lambda_destination_failure",
    change: "a success's condition",
    mutate: (e) => (at(e, "requestContext").condition = "Success"),
    path: "requestContext.condition",
  },
  {
    name: "CodeCommitEventSchema",
    schema: CodeCommitEventSchema,
    fixture: "codecommit",
    change: "a reference without its commit",
    mutate: (e) => delete at(e, "Records", 0, "codecommit", "references", 0).commit,
    path: "Records[0].codecommit.references[0].commit",
  },
  {
    name: "CodeCommitEventSchema",
    schema: CodeCommitEventSchema,
    fixture: "codecommit_java",
    change: "another event source",
    mutate: (e) => (at(e, "Records", 0).eventSource = "aws:codebuild"),
    path: "Records[0].eventSource",
  },
  {
    name: "LexV1EventSchema",
    schema: LexV1EventSchema,
    fixture: "lex_v1",
    change: "a Lex V2 invocation source",
    mutate: (e) => (e.invocationSource = "DialogCodeHookV2"),
    path: "invocationSource",
  },
  {
    name: "LexV1EventSchema",
    schema: LexV1EventSchema,
    fixture: "lex_v1_java",
    change: "a slot given as a list",
    mutate: (e) => (at(e, "currentIntent", "slots").Area = ["terrace"]),
    path: "currentIntent.slots.Area",
  },
  {
    name: "AlexaSkillRequestSchema",
    schema: AlexaSkillRequestSchema,
    fixture: "alexa_skill_request",
    change: "no request id",
    mutate: (e) => delete at(e, "request").requestId,
    path: "request.requestId",
  },
  {
    name: "AlexaSmartHomeDirectiveSchema",
    schema: AlexaSmartHomeDirectiveSchema,
    fixture: "alexa_smart_home_turn_on",
    change: "payload version 2",
    mutate: (e) => (at(e, "directive", "header").payloadVersion = "2"),
    path: "directive.header.payloadVersion",
  },
  {
    name: "AlexaSmartHomeDirectiveSchema",
    schema: AlexaSmartHomeDirectiveSchema,
    fixture: "alexa_smart_home_discover",
    change: "no message id",
    mutate: (e) => delete at(e, "directive", "header").messageId,
    path: "directive.header.messageId",
  },
  {
    name: "SageMakerGroundTruthPreHumanTaskEventSchema",
    schema: SageMakerGroundTruthPreHumanTaskEventSchema,
    fixture: "sagemaker_pre_human_task",
    change: "no data object",
    mutate: (e) => delete e.dataObject,
    path: "dataObject",
  },
  {
    name: "SageMakerGroundTruthPreHumanTaskEventSchema",
    schema: SageMakerGroundTruthPreHumanTaskEventSchema,
    fixture: "sagemaker_pre_human_task_text",
    change: "no labeling job",
    mutate: (e) => delete e.labelingJobArn,
    path: "labelingJobArn",
  },
  {
    name: "SageMakerGroundTruthAnnotationConsolidationEventSchema",
    schema: SageMakerGroundTruthAnnotationConsolidationEventSchema,
    fixture: "sagemaker_annotation_consolidation",
    change: "no payload URI",
    mutate: (e) => delete at(e, "payload").s3Uri,
    path: "payload.s3Uri",
  },
  {
    name: "WorkMailEventSchema",
    schema: WorkMailEventSchema,
    fixture: "workmail",
    change: "an unknown flow direction",
    mutate: (e) => (e.flowDirection = "INTERNAL"),
    path: "flowDirection",
  },
  {
    name: "KinesisAnalyticsInputPreprocessingEventSchema",
    schema: KinesisAnalyticsInputPreprocessingEventSchema,
    fixture: "kinesis_analytics_streams",
    change: "a record without data",
    mutate: (e) => delete at(e, "records", 0).data,
    path: "records[0].data",
  },
  {
    name: "KinesisAnalyticsInputPreprocessingEventSchema",
    schema: KinesisAnalyticsInputPreprocessingEventSchema,
    fixture: "kinesis_analytics_firehose",
    change: "no source stream",
    mutate: (e) => delete e.streamArn,
    path: "streamArn",
  },
  {
    name: "KinesisAnalyticsOutputDeliveryEventSchema",
    schema: KinesisAnalyticsOutputDeliveryEventSchema,
    fixture: "kinesis_analytics_output_delivery",
    change: "a source stream, as preprocessing events have",
    mutate: (e) => (e.streamArn = "arn:aws:kinesis:eu-west-1:210987654321:stream/clicks"),
    path: "streamArn",
  },
];

testEventCases(cases, "sample");

/** Result schemas: the published results each takes, and one it refuses, naming the path. */
const RESULTS: [string, z.ZodType, string[], unknown, string][] = [
  [
    "AppSyncAuthorizerResultSchema",
    AppSyncAuthorizerResultSchema,
    ["appsync_authorizer_result", "appsync_authorizer_result_rust"],
    { isAuthorized: true, context: { user: "ada" } },
    "(root)",
  ],
  [
    "LexV1ResultSchema",
    LexV1ResultSchema,
    ["lex_v1_result", "lex_v1_result_dotnet"],
    { dialogAction: { type: "ElicitSlot", intentName: "BookTable", slots: {} } },
    "dialogAction.slotToElicit",
  ],
  [
    "LexV2ResultSchema",
    LexV2ResultSchema,
    ["lex_v2_result", "lex_v2_result_close"],
    { sessionState: { dialogAction: { type: "ElicitSlot" } } },
    "sessionState.dialogAction.slotToElicit",
  ],
  [
    "SageMakerGroundTruthPreHumanTaskResultSchema",
    SageMakerGroundTruthPreHumanTaskResultSchema,
    ["sagemaker_pre_human_task_result"],
    { taskInput: {}, isHumanAnnotationRequired: true },
    "isHumanAnnotationRequired",
  ],
  [
    "SageMakerGroundTruthAnnotationConsolidationResultSchema",
    SageMakerGroundTruthAnnotationConsolidationResultSchema,
    ["sagemaker_annotation_consolidation_result"],
    [{ datasetObjectId: 0, consolidatedAnnotation: { content: {} } }],
    "[0].datasetObjectId",
  ],
  [
    "WorkMailResultSchema",
    WorkMailResultSchema,
    ["workmail_result"],
    { actions: [{ action: { type: "REJECT" } }] },
    "actions[0].action.type",
  ],
  [
    "KinesisAnalyticsInputPreprocessingResultSchema",
    KinesisAnalyticsInputPreprocessingResultSchema,
    ["kinesis_analytics_preprocessing_result", "kinesis_analytics_preprocessing_result_java"],
    { records: [{ recordId: "r1", result: "DeliveryFailed", data: "" }] },
    "records[0].result",
  ],
  [
    "KinesisAnalyticsOutputDeliveryResultSchema",
    KinesisAnalyticsOutputDeliveryResultSchema,
    ["kinesis_analytics_output_delivery_result"],
    { records: [{ recordId: "r1", result: "Ok", data: "" }] },
    "records[0]",
  ],
];

for (const [name, schema, samples, refused, path] of RESULTS) {
  Deno.test(`${name} takes the published results and refuses a wrong one, naming ${path}`, async () => {
    for (const sample of samples) {
      const result = schema.safeParse(await fixture(sample));
      ok(
        result.success,
        `${sample}: ${JSON.stringify(result.error && flattenIssues(result.error.issues))}`,
      );
    }
    const result = schema.safeParse(refused);
    equal(result.success, false);
    ok(flattenIssues(result.error!.issues).some((issue) => issue.path === path), path);
  });
}

Deno.test("the Lambda destination schemas take the published success and failure records", async () => {
  for (const name of ["lambda_destination_success", "lambda_destination_success_blog"]) {
    ok(LambdaDestinationSuccessRecordSchema.safeParse(await fixture(name)).success, name);
    equal(LambdaDestinationFailureRecordSchema.safeParse(await fixture(name)).success, false, name);
  }
  for (const name of ["lambda_destination_failure", "lambda_destination_failure_guide"]) {
    ok(LambdaDestinationFailureRecordSchema.safeParse(await fixture(name)).success, name);
    equal(LambdaDestinationSuccessRecordSchema.safeParse(await fixture(name)).success, false, name);
  }
});

Deno.test("LambdaDestinationRecordSchema tells a success from a failure by its condition", async () => {
  const success = LambdaDestinationRecordSchema.parse(await fixture("lambda_destination_success"));
  equal(success.requestContext.condition, "Success");
  equal(success.responsePayload, "shipped o-31");
  const failure = LambdaDestinationFailureRecordSchema.parse(
    await fixture("lambda_destination_failure"),
  );
  deepEqual(failure.responseContext?.functionError, "Unhandled");
  ok(LambdaDestinationRecordSchema.safeParse(failure).success);
});

Deno.test("LexV1EventSchema reads a slot given as a number, as some samples do, as Lex's string", async () => {
  const event = LexV1EventSchema.parse(await fixture("lex_v1_java"));
  equal(event.currentIntent.slots?.Guests, "2");
});

Deno.test("AlexaSmartHomeEventSchema takes a version 3 directive and a version 2 request", async () => {
  ok(AlexaSmartHomeEventSchema.safeParse(await fixture("alexa_smart_home_turn_on")).success);
  const v2 = {
    header: {
      namespace: "Alexa.ConnectedHome.Control",
      name: "TurnOnRequest",
      payloadVersion: "2",
      messageId: "m1",
    },
    payload: { accessToken: "t", appliance: { applianceId: "lamp-1" } },
  };
  ok(AlexaSmartHomeEventSchema.safeParse(v2).success);
  equal(AlexaSmartHomeDirectiveSchema.safeParse(v2).success, false);
  equal(AlexaSkillRequestSchema.safeParse(v2).success, false);
});

Deno.test("a Lex V1 result is not a Lex V2 result, nor the other way round", async () => {
  equal(LexV2ResultSchema.safeParse(await fixture("lex_v1_result")).success, false);
  equal(LexV1ResultSchema.safeParse(await fixture("lex_v2_result_close")).success, false);
});
