/**
 * Sample events of the other sources: EventBridge (and its schedules), CloudFormation custom
 * resources, Cognito triggers, AppSync resolvers, CodePipeline jobs, Kafka, Secrets Manager
 * rotation and S3 Object Lambda.
 *
 * @module
 */

import { AppSyncResolverEventSchema } from "../services/appsync.ts";
import { CloudFormationCustomResourceEventSchema } from "../operations/cloudformation_custom_resource.ts";
import { CodePipelineJobEventSchema } from "../operations/codepipeline.ts";
import { CognitoUserPoolTriggerEventSchema } from "../identity/cognito_user_pool.ts";
import { EventBridgeEventSchema, ScheduledEventSchema } from "../operations/eventbridge.ts";
import { KafkaEventSchema } from "../streams/kafka.ts";
import { S3ObjectLambdaEventSchema } from "../http/s3_object_lambda.ts";
import { SecretsManagerRotationEventSchema } from "../operations/secrets_manager.ts";
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

const ISO_TIME = new Date(TIME_MS).toISOString().replace(/\.\d+Z$/, "Z");
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-function`;

/** The other sources, by name. */
export const SERVICE_SOURCES: Readonly<Record<string, SampleSource>> = {
  eventbridge: {
    description: "EventBridge event",
    options: {
      source: "the source (com.example.shop)",
      "detail-type": "the detail type (OrderPlaced)",
      detail: 'the detail, as JSON ({"orderId":"o-1"})',
    },
    schema: EventBridgeEventSchema,
    make: (options) => ({
      version: "0",
      id: sampleId("6a7e8feb"),
      "detail-type": one(options, "detail-type", "OrderPlaced"),
      source: one(options, "source", "com.example.shop"),
      account: ACCOUNT,
      time: ISO_TIME,
      region: REGION,
      resources: [],
      detail: json(options, "detail", { orderId: "o-1" }),
    }),
  },
  schedule: {
    description: "EventBridge scheduled event (a Schedule event source)",
    options: {
      rule: "the rule's name (my-schedule)",
      detail: "the detail, as JSON ({})",
    },
    schema: ScheduledEventSchema,
    make: (options) => ({
      version: "0",
      id: sampleId("cdc73f9d"),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCOUNT,
      time: ISO_TIME,
      region: REGION,
      resources: [
        `arn:aws:events:${REGION}:${ACCOUNT}:rule/${one(options, "rule", "my-schedule")}`,
      ],
      detail: json(options, "detail", {}),
    }),
  },
  "cloudformation-custom-resource": {
    description: "CloudFormation custom resource request",
    options: {
      "request-type": "Create, Update or Delete (Create)",
      properties: 'the ResourceProperties, as JSON ({"Name":"example"})',
    },
    schema: CloudFormationCustomResourceEventSchema,
    make: (options) => {
      const type = one(options, "request-type", "Create");
      const properties = {
        ServiceToken: FUNCTION_ARN,
        ...json(options, "properties", { Name: "example" }) as Record<string, unknown>,
      };
      return {
        RequestType: type,
        ServiceToken: FUNCTION_ARN,
        ResponseURL: "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
        StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/my-stack/${
          sampleId("5b6d8a60")
        }`,
        RequestId: sampleId("d3b1c2a0"),
        LogicalResourceId: "MyResource",
        ResourceType: "Custom::Example",
        ResourceProperties: properties,
        ...(type === "Create" ? {} : { PhysicalResourceId: "my-resource-id" }),
        ...(type === "Update" ? { OldResourceProperties: { ServiceToken: FUNCTION_ARN } } : {}),
      };
    },
  },
  "cognito-user-pool": {
    description: "Cognito user pool trigger (pre sign-up)",
    options: {
      user: "the user name (ada)",
      email: "the email attribute (ada@example.com)",
    },
    schema: CognitoUserPoolTriggerEventSchema,
    make: (options) => ({
      version: "1",
      region: REGION,
      userPoolId: `${REGION}_EXAMPLE`,
      userName: one(options, "user", "ada"),
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "1example23456789" },
      triggerSource: "PreSignUp_SignUp",
      request: {
        userAttributes: { email: one(options, "email", "ada@example.com") },
        validationData: null,
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }),
  },
  appsync: {
    description: "AppSync direct Lambda resolver",
    options: {
      field: "the field resolved (getOrder)",
      type: "its parent type (Query)",
      arguments: 'the arguments, as JSON ({"id":"o-1"})',
    },
    schema: AppSyncResolverEventSchema,
    make: (options) => ({
      arguments: json(options, "arguments", { id: "o-1" }),
      identity: null,
      source: null,
      request: { headers: { "content-type": "application/json" }, domainName: null },
      prev: null,
      info: {
        selectionSetList: ["id"],
        selectionSetGraphQL: "{\n  id\n}",
        parentTypeName: one(options, "type", "Query"),
        fieldName: one(options, "field", "getOrder"),
        variables: {},
      },
      stash: {},
    }),
  },
  codepipeline: {
    description: "CodePipeline job",
    options: { "user-parameters": "the action's UserParameters (none)" },
    schema: CodePipelineJobEventSchema,
    make: (options) => ({
      "CodePipeline.job": {
        id: sampleId("11111111"),
        accountId: ACCOUNT,
        data: {
          actionConfiguration: {
            configuration: {
              FunctionName: "my-function",
              UserParameters: one(options, "user-parameters", ""),
            },
          },
          inputArtifacts: [{
            location: {
              s3Location: { bucketName: "codepipeline-artifacts", objectKey: "source.zip" },
              type: "S3",
            },
            revision: null,
            name: "SourceOutput",
          }],
          outputArtifacts: [],
          artifactCredentials: {
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            sessionToken: "EXAMPLE",
            accessKeyId: "AKIAIOSFODNN7EXAMPLE",
          },
        },
      },
    }),
  },
  kafka: {
    description: "Amazon MSK records (one per --value)",
    options: {
      topic: "the topic (my-topic)",
      value: 'a record\'s value, as text; repeat for more records ({"hello":"world"})',
    },
    schema: KafkaEventSchema,
    make: (options) => {
      const topic = one(options, "topic", "my-topic");
      return {
        eventSource: "aws:kafka",
        eventSourceArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/my-cluster/${
          sampleId("751d2973")
        }`,
        bootstrapServers: "b-1.my-cluster.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092",
        records: {
          [`${topic}-0`]: all(options, "value", ['{"hello":"world"}']).map((value, i) => ({
            topic,
            partition: 0,
            offset: 15 + i,
            timestamp: TIME_MS,
            timestampType: "CREATE_TIME",
            key: base64("key"),
            value: base64(value),
            headers: [],
          })),
        },
      };
    },
  },
  "secrets-manager": {
    description: "Secrets Manager rotation step",
    options: {
      step: "createSecret, setSecret, testSecret or finishSecret (createSecret)",
      "secret-id": "the secret's ARN (…:secret:my-secret-a1b2c3)",
    },
    schema: SecretsManagerRotationEventSchema,
    make: (options) => ({
      Step: one(options, "step", "createSecret"),
      SecretId: one(
        options,
        "secret-id",
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:my-secret-a1b2c3`,
      ),
      ClientRequestToken: sampleId("8bd8ad8a"),
    }),
  },
  "s3-object-lambda": {
    description: "S3 Object Lambda GetObject request",
    options: { key: "the object key requested (example.txt)" },
    schema: S3ObjectLambdaEventSchema,
    make: (options) => {
      const key = one(options, "key", "example.txt");
      const host = `my-ap-${ACCOUNT}.s3-object-lambda.${REGION}.amazonaws.com`;
      return {
        xAmzRequestId: "1a5ed718-5f53-471d-b6fe-5cf62d88d02a",
        getObjectContext: {
          inputS3Url: `https://my-ap-${ACCOUNT}.s3-accesspoint.${REGION}.amazonaws.com/${key}`,
          outputRoute: "io-use1-001",
          outputToken: "OutputToken",
        },
        configuration: {
          accessPointArn: `arn:aws:s3-object-lambda:${REGION}:${ACCOUNT}:accesspoint/my-olap`,
          supportingAccessPointArn: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/my-ap`,
          payload: "",
        },
        userRequest: { url: `https://${host}/${key}`, headers: { Host: host } },
        userIdentity: {
          type: "AssumedRole",
          principalId: "AROAEXAMPLE:session",
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/session`,
          accountId: ACCOUNT,
          accessKeyId: "ASIAEXAMPLE",
        },
        protocolVersion: "1.00",
      };
    },
  },
};
