/**
 * Sample events of the sources that run an account: S3 Batch Operations tasks, CloudWatch alarm
 * state changes, AWS Config rule evaluations, CodeDeploy lifecycle hooks, CodeCommit triggers,
 * the records of asynchronous invocations, SageMaker Ground Truth labeling steps and WorkMail
 * email flow rules.
 *
 * @module
 */

import { CloudWatchAlarmEventSchema } from "../operations/cloudwatch_alarm.ts";
import { CodeCommitEventSchema } from "../operations/codecommit.ts";
import { CodeDeployLifecycleHookEventSchema } from "../operations/codedeploy.ts";
import { ConfigRuleEventSchema } from "../operations/config_rule.ts";
import { LambdaDestinationRecordSchema } from "../operations/lambda_destination.ts";
import { S3BatchEventSchema } from "../services/s3_batch.ts";
import {
  SageMakerGroundTruthAnnotationConsolidationEventSchema,
  SageMakerGroundTruthPreHumanTaskEventSchema,
} from "../services/sagemaker_ground_truth.ts";
import { WorkMailEventSchema } from "../services/workmail.ts";
import {
  ACCOUNT,
  all,
  base64,
  json,
  one,
  REGION,
  sampleId,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

/** CloudWatch alarms write their times as `2024-01-02T03:04:05.000+0000`. */
const ALARM_TIME = new Date(TIME_MS).toISOString().replace("Z", "+0000");
const ISO_TIME = new Date(TIME_MS).toISOString();
const LABELING_JOB = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:labeling-job/my-labeling-job`;

/** The operations sources, by name. */
export const OPERATION_SOURCES: Readonly<Record<string, SampleSource>> = {
  "s3-batch": {
    description: "S3 Batch Operations invocation (schema 2.0, one task per --key)",
    options: {
      bucket: "the bucket (my-bucket)",
      key: "an object key; repeat for more tasks (data/report.csv)",
    },
    schema: S3BatchEventSchema,
    make: (options) => ({
      invocationSchemaVersion: "2.0",
      invocationId: base64(sampleId("1f2e3d4c")),
      job: { id: sampleId("f3cc4f60"), userArguments: {} },
      tasks: all(options, "key", ["data/report.csv"]).map((key, i) => ({
        taskId: base64(sampleId("a1b2c3d4", i + 1)),
        s3Key: key,
        s3VersionId: null,
        s3Bucket: one(options, "bucket", "my-bucket"),
      })),
    }),
  },
  "cloudwatch-alarm": {
    description: "CloudWatch metric alarm state change",
    options: {
      alarm: "the alarm's name (high-error-rate)",
      state: "the new state: ALARM, OK or INSUFFICIENT_DATA (ALARM)",
    },
    schema: CloudWatchAlarmEventSchema,
    make: (options) => {
      const name = one(options, "alarm", "high-error-rate");
      const state = one(options, "state", "ALARM");
      const threshold = "the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).";
      return {
        source: "aws.cloudwatch",
        alarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
        accountId: ACCOUNT,
        time: ALARM_TIME,
        region: REGION,
        alarmData: {
          alarmName: name,
          state: {
            value: state,
            // The evaluation behind the change, as JSON inside a string, as CloudWatch sends it.
            reasonData: JSON.stringify({
              version: "1.0",
              queryDate: ALARM_TIME,
              statistic: "Sum",
              period: 60,
              recentDatapoints: [12.0],
              threshold: 5.0,
            }),
            reason: `Threshold Crossed: 1 out of the last 1 datapoints [12.0] was ${
              state === "ALARM" ? "greater than" : "not greater than"
            } ${threshold}`,
            timestamp: ALARM_TIME,
          },
          previousState: {
            value: state === "OK" ? "ALARM" : "OK",
            reason: "Threshold Crossed: 1 out of the last 1 datapoints [0.0] was not greater " +
              `than ${threshold}`,
            timestamp: ALARM_TIME,
          },
          configuration: {
            description: "Errors of my-function",
            metrics: [{
              id: "m1",
              metricStat: {
                metric: {
                  namespace: "AWS/Lambda",
                  name: "Errors",
                  dimensions: { FunctionName: "my-function" },
                },
                period: 60,
                stat: "Sum",
              },
              returnData: true,
            }],
          },
        },
      };
    },
  },
  "config-rule": {
    description: "AWS Config periodic rule evaluation",
    options: {
      rule: "the rule's name (my-rule)",
      parameters: 'the rule parameters, as JSON ({"maxAgeDays":"90"})',
    },
    schema: ConfigRuleEventSchema,
    make: (options) => {
      const name = one(options, "rule", "my-rule");
      return {
        version: "1.0",
        // Config sends the invoking event and the parameters as JSON inside strings.
        invokingEvent: JSON.stringify({
          awsAccountId: ACCOUNT,
          notificationCreationTime: ISO_TIME,
          messageType: "ScheduledNotification",
          recordVersion: "1.0",
        }),
        ruleParameters: JSON.stringify(json(options, "parameters", { maxAgeDays: "90" })),
        resultToken: base64(sampleId("70c3e2d1")),
        eventLeftScope: false,
        executionRoleArn:
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-a1b2c3`,
        configRuleName: name,
        configRuleId: "config-rule-a1b2c3",
        accountId: ACCOUNT,
        evaluationMode: "DETECTIVE",
      };
    },
  },
  codedeploy: {
    description: "CodeDeploy lifecycle hook (BeforeAllowTraffic, AfterAllowTraffic)",
    options: { deployment: "the deployment's id (d-A1B2C3D4E)" },
    schema: CodeDeployLifecycleHookEventSchema,
    make: (options) => ({
      DeploymentId: one(options, "deployment", "d-A1B2C3D4E"),
      // An opaque token the hook hands back to PutLifecycleEventHookExecutionStatus.
      LifecycleEventHookExecutionId: base64(`{"encryptedData":"${sampleId("c0de0e01")}"}`),
    }),
  },
  codecommit: {
    description: "CodeCommit repository trigger",
    options: {
      repository: "the repository (my-repo)",
      ref: "the reference pushed (refs/heads/main)",
    },
    schema: CodeCommitEventSchema,
    make: (options) => ({
      Records: [{
        awsRegion: REGION,
        codecommit: {
          references: [{
            commit: "5c4ef1049f1d27deadbeeff313e0730018be182b",
            ref: one(options, "ref", "refs/heads/main"),
          }],
        },
        eventId: sampleId("5a824061"),
        eventName: "ReferenceChanges",
        eventPartNumber: 1,
        eventSource: "aws:codecommit",
        eventSourceARN: `arn:aws:codecommit:${REGION}:${ACCOUNT}:${
          one(options, "repository", "my-repo")
        }`,
        eventTime: ISO_TIME.replace("Z", "+0000"),
        eventTotalParts: 1,
        eventTriggerConfigId: sampleId("5a824061", 2),
        eventTriggerName: "my-trigger",
        eventVersion: "1.0",
        userIdentityARN: `arn:aws:iam::${ACCOUNT}:user/developer`,
      }],
    }),
  },
  "lambda-destination": {
    description:
      "Record of an asynchronous invocation, for an on-success or on-failure destination",
    options: {
      condition: "Success, RetriesExhausted or EventAgeExceeded (Success)",
      payload: 'the event the invocation had, as JSON ({"orderId":"o-1"})',
    },
    schema: LambdaDestinationRecordSchema,
    make: (options) => {
      const condition = one(options, "condition", "Success");
      const success = condition === "Success";
      return {
        version: "1.0",
        timestamp: ISO_TIME,
        requestContext: {
          requestId: sampleId("e4b46cbf"),
          functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-function:$LATEST`,
          condition,
          approximateInvokeCount: success ? 1 : 3,
        },
        requestPayload: json(options, "payload", { orderId: "o-1" }),
        responseContext: success
          ? { statusCode: 200, executedVersion: "$LATEST" }
          : { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        responsePayload: success
          ? { ok: true }
          : { errorType: "Error", errorMessage: "Something went wrong", trace: [] },
      };
    },
  },
  "sagemaker-ground-truth-pre-human": {
    description: "SageMaker Ground Truth pre-annotation step",
    options: { "source-ref": "the data object in S3 (s3://my-bucket/object-to-label.jpg)" },
    schema: SageMakerGroundTruthPreHumanTaskEventSchema,
    make: (options) => ({
      version: "2018-10-16",
      labelingJobArn: LABELING_JOB,
      dataObject: {
        "source-ref": one(options, "source-ref", "s3://my-bucket/object-to-label.jpg"),
      },
    }),
  },
  "sagemaker-ground-truth-consolidation": {
    description: "SageMaker Ground Truth annotation consolidation step",
    options: { "label-attribute": "the label attribute's name (my-label)" },
    schema: SageMakerGroundTruthAnnotationConsolidationEventSchema,
    make: (options) => ({
      version: "2018-10-16",
      labelingJobArn: LABELING_JOB,
      labelCategories: ["cat", "dog"],
      labelAttributeName: one(options, "label-attribute", "my-label"),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/my-ground-truth-role`,
      payload: {
        s3Uri:
          "s3://my-bucket/output/my-labeling-job/annotations/worker-response/iteration-1/0.json",
      },
      outputConfig: "s3://my-bucket/output/my-labeling-job/annotations",
    }),
  },
  workmail: {
    description: "WorkMail email flow rule's Run Lambda action",
    options: {
      from: "the sender (sender@example.com)",
      to: "a recipient; repeatable (recipient@example.com)",
      subject: "the subject (Hello)",
    },
    schema: WorkMailEventSchema,
    make: (options) => {
      const from = one(options, "from", "sender@example.com");
      return {
        summaryVersion: "2019-07-28",
        envelope: {
          mailFrom: { address: from },
          recipients: all(options, "to", ["recipient@example.com"]).map((address) => ({ address })),
        },
        sender: { address: from },
        subject: one(options, "subject", "Hello"),
        messageId: sampleId("7b9d1f3a"),
        invocationId: sampleId("3d5f7a9c").replaceAll("-", ""),
        flowDirection: "INBOUND",
        truncated: false,
      };
    },
  },
};
