/**
 * Typed Lambda events: zod schemas for each AWS event source (one module per source, so that
 * importing one loads no other), envelopes that extract and validate a payload,
 * {@linkcode defineHandler} for handlers with validated events and results, and partial batch
 * responses for SQS, Kinesis and DynamoDB Streams.
 *
 * Importing this module loads every schema; for the smallest cold start import the source's own
 * module (`@lambdeno/runtime/events/sqs`).
 *
 * @example Validate an event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SecretsManagerRotationEventSchema } from "./mod.ts";
 *
 * const event = SecretsManagerRotationEventSchema.parse({
 *   Step: "testSecret", SecretId: "s", ClientRequestToken: "t",
 * });
 * equal(event.Step, "testSecret");
 * ```
 *
 * @module
 */

export { type AlbEvent, AlbEventSchema, type AlbResult, AlbResultSchema } from "./http/alb.ts";

export {
  type AlexaRequest,
  AlexaRequestSchema,
  type AlexaSkillRequest,
  AlexaSkillRequestSchema,
  type AlexaSlot,
  AlexaSlotSchema,
} from "./conversations/alexa_skills_kit.ts";

export {
  type AlexaSmartHomeDirective,
  AlexaSmartHomeDirectiveSchema,
  type AlexaSmartHomeEvent,
  AlexaSmartHomeEventSchema,
  type AlexaSmartHomeV2Request,
  AlexaSmartHomeV2RequestSchema,
} from "./conversations/alexa_smart_home.ts";

export {
  type ActiveMqEvent,
  ActiveMqEventSchema,
  type ActiveMqMessage,
  ActiveMqMessageSchema,
  type RabbitMqBasicProperties,
  RabbitMqBasicPropertiesSchema,
  type RabbitMqEvent,
  RabbitMqEventSchema,
  type RabbitMqMessage,
  RabbitMqMessageSchema,
} from "./streams/amazon_mq.ts";

export {
  ApiGatewayHttpSchema,
  type ApiGatewayProxyEventV2,
  ApiGatewayProxyEventV2Schema,
  type ApiGatewayProxyResultV2,
  ApiGatewayProxyResultV2Schema,
  type ApiGatewayRequestAuthorizerEventV2,
  ApiGatewayRequestAuthorizerEventV2Schema,
  type ApiGatewayRequestContextV2,
  ApiGatewayRequestContextV2Schema,
  type ApiGatewaySimpleAuthorizerResult,
  ApiGatewaySimpleAuthorizerResultSchema,
} from "./http/api_gateway_http.ts";

export {
  type ApiGatewayAuthorizerResult,
  ApiGatewayAuthorizerResultSchema,
  type ApiGatewayHttpV1Event,
  ApiGatewayHttpV1EventSchema,
  type ApiGatewayIdentity,
  ApiGatewayIdentitySchema,
  type ApiGatewayProxyEvent,
  ApiGatewayProxyEventSchema,
  type ApiGatewayProxyResult,
  ApiGatewayProxyResultSchema,
  type ApiGatewayRequestAuthorizerEvent,
  ApiGatewayRequestAuthorizerEventSchema,
  type ApiGatewayRequestContext,
  ApiGatewayRequestContextSchema,
  type ApiGatewayTokenAuthorizerEvent,
  ApiGatewayTokenAuthorizerEventSchema,
} from "./http/api_gateway_rest.ts";

export {
  type ApiGatewayWebSocketEvent,
  ApiGatewayWebSocketEventSchema,
  type ApiGatewayWebSocketRequestAuthorizerEvent,
  ApiGatewayWebSocketRequestAuthorizerEventSchema,
  type ApiGatewayWebSocketRequestContext,
  ApiGatewayWebSocketRequestContextSchema,
  type ApiGatewayWebSocketResult,
  ApiGatewayWebSocketResultSchema,
} from "./http/api_gateway_websocket.ts";

export {
  type AppSyncBatchResolverEvent,
  AppSyncBatchResolverEventSchema,
  type AppSyncResolverEvent,
  AppSyncResolverEventSchema,
} from "./services/appsync.ts";

export {
  type AppSyncAuthorizerEvent,
  AppSyncAuthorizerEventSchema,
  type AppSyncAuthorizerResult,
  AppSyncAuthorizerResultSchema,
} from "./identity/appsync_authorizer.ts";

export {
  type AppSyncEventsEvent,
  AppSyncEventsEventSchema,
  type AppSyncEventsItem,
  AppSyncEventsItemSchema,
} from "./services/appsync_events.ts";

export {
  type BatchItemFailure,
  type BatchOptions,
  type BatchResponse,
  processDynamoDbBatch,
  processKinesisBatch,
  processSqsBatch,
  type RecordHandler,
} from "./batch.ts";

export {
  type BedrockAgentEvent,
  BedrockAgentEventSchema,
  type BedrockAgentParameter,
  BedrockAgentParameterSchema,
} from "./conversations/bedrock_agent.ts";

export {
  type CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceCreateEventSchema,
  type CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceDeleteEventSchema,
  type CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceEventSchema,
  type CloudFormationCustomResourceResponse,
  CloudFormationCustomResourceResponseSchema,
  type CloudFormationCustomResourceUpdateEvent,
  CloudFormationCustomResourceUpdateEventSchema,
} from "./operations/cloudformation_custom_resource.ts";

export {
  type CloudFrontConfig,
  CloudFrontConfigSchema,
  type CloudFrontHeaders,
  CloudFrontHeadersSchema,
  type CloudFrontRequest,
  type CloudFrontRequestEvent,
  CloudFrontRequestEventSchema,
  CloudFrontRequestSchema,
  type CloudFrontResponse,
  type CloudFrontResponseEvent,
  CloudFrontResponseEventSchema,
  CloudFrontResponseSchema,
} from "./http/cloudfront.ts";

export {
  type CloudWatchAlarmConfiguration,
  CloudWatchAlarmConfigurationSchema,
  type CloudWatchAlarmEvent,
  CloudWatchAlarmEventSchema,
  type CloudWatchAlarmMetric,
  CloudWatchAlarmMetricSchema,
  type CloudWatchAlarmState,
  CloudWatchAlarmStateSchema,
} from "./operations/cloudwatch_alarm.ts";

export {
  type CloudWatchLogEvent,
  CloudWatchLogEventSchema,
  type CloudWatchLogsData,
  CloudWatchLogsDataSchema,
  type CloudWatchLogsDecodedEvent,
  CloudWatchLogsDecodedEventSchema,
  type CloudWatchLogsEvent,
  CloudWatchLogsEventSchema,
  decodeCloudWatchLogsData,
} from "./streams/cloudwatch_logs.ts";

export {
  type CodeCommitEvent,
  CodeCommitEventSchema,
  type CodeCommitRecord,
  CodeCommitRecordSchema,
  type CodeCommitReference,
  CodeCommitReferenceSchema,
} from "./operations/codecommit.ts";

export {
  type CodeDeployLifecycleHookEvent,
  CodeDeployLifecycleHookEventSchema,
} from "./operations/codedeploy.ts";

export {
  type CodePipelineArtifact,
  CodePipelineArtifactSchema,
  type CodePipelineJobEvent,
  CodePipelineJobEventSchema,
} from "./operations/codepipeline.ts";

export {
  type CognitoCustomEmailSenderEvent,
  CognitoCustomEmailSenderEventSchema,
  type CognitoCustomSmsSenderEvent,
  CognitoCustomSmsSenderEventSchema,
} from "./identity/cognito_custom_sender.ts";

export {
  type CognitoInboundFederationEvent,
  CognitoInboundFederationEventSchema,
} from "./identity/cognito_inbound_federation.ts";

export {
  type CognitoCreateAuthChallengeEvent,
  CognitoCreateAuthChallengeEventSchema,
  type CognitoCustomMessageEvent,
  CognitoCustomMessageEventSchema,
  type CognitoDefineAuthChallengeEvent,
  CognitoDefineAuthChallengeEventSchema,
  type CognitoPostAuthenticationEvent,
  CognitoPostAuthenticationEventSchema,
  type CognitoPostConfirmationEvent,
  CognitoPostConfirmationEventSchema,
  type CognitoPreAuthenticationEvent,
  CognitoPreAuthenticationEventSchema,
  type CognitoPreSignUpEvent,
  CognitoPreSignUpEventSchema,
  type CognitoPreTokenGenerationEvent,
  CognitoPreTokenGenerationEventSchema,
  type CognitoUserMigrationEvent,
  CognitoUserMigrationEventSchema,
  type CognitoUserPoolTriggerEvent,
  CognitoUserPoolTriggerEventSchema,
  type CognitoVerifyAuthChallengeResponseEvent,
  CognitoVerifyAuthChallengeResponseEventSchema,
} from "./identity/cognito_user_pool.ts";

export { type ConfigRuleEvent, ConfigRuleEventSchema } from "./operations/config_rule.ts";

export {
  type ConnectContactData,
  ConnectContactDataSchema,
  type ConnectContactFlowEvent,
  ConnectContactFlowEventSchema,
} from "./conversations/connect.ts";

export {
  type CheckedHandlerDefinition,
  defineHandler,
  type HandlerDefinition,
  type ValidatedHandler,
} from "./define_handler.ts";

export {
  type DocumentDbChangeEvent,
  DocumentDbChangeEventSchema,
  type DocumentDbEvent,
  DocumentDbEventSchema,
} from "./streams/documentdb.ts";

export {
  type AttributeMap,
  AttributeMapSchema,
  type AttributeValue,
  AttributeValueSchema,
  type DynamoDbStreamBatchResponse,
  DynamoDbStreamBatchResponseSchema,
  type DynamoDbStreamEvent,
  DynamoDbStreamEventSchema,
  type DynamoDbStreamRecord,
  DynamoDbStreamRecordSchema,
  type DynamoDbStreamTumblingWindowEvent,
  DynamoDbStreamTumblingWindowEventSchema,
  type DynamoDbStreamTumblingWindowResult,
  DynamoDbStreamTumblingWindowResultSchema,
} from "./streams/dynamodb_stream.ts";

export {
  apiGatewayEnvelope,
  apiGatewayV2Envelope,
  type DynamoDbChange,
  dynamoDbStreamEnvelope,
  type Envelope,
  eventBridgeEnvelope,
  firehoseEnvelope,
  kinesisEnvelope,
  snsEnvelope,
  snsSqsEnvelope,
  sqsEnvelope,
} from "./envelopes.ts";

export {
  EventValidationError,
  flattenIssues,
  formatIssues,
  formatPath,
  ResultValidationError,
  type ValidationIssue,
} from "./errors.ts";

export {
  type EventBridgeEvent,
  EventBridgeEventSchema,
  eventBridgeEventSchema,
  type ScheduledEvent,
  ScheduledEventSchema,
} from "./operations/eventbridge.ts";

export {
  type FunctionUrlEvent,
  FunctionUrlEventSchema,
  type FunctionUrlRequestContext,
  FunctionUrlRequestContextSchema,
} from "./http/function_url.ts";

export {
  type IotCustomAuthorizerEvent,
  IotCustomAuthorizerEventSchema,
} from "./identity/iot_custom_authorizer.ts";

export { base64Json, base64Text, base64ToBytes, jsonString } from "./json.ts";

export {
  type KafkaEvent,
  KafkaEventSchema,
  type KafkaRecord,
  KafkaRecordSchema,
  type MskEvent,
  MskEventSchema,
  type SelfManagedKafkaEvent,
  SelfManagedKafkaEventSchema,
} from "./streams/kafka.ts";

export {
  type KinesisStreamBatchResponse,
  KinesisStreamBatchResponseSchema,
  type KinesisStreamEvent,
  KinesisStreamEventSchema,
  type KinesisStreamRecord,
  KinesisStreamRecordSchema,
  type KinesisStreamTumblingWindowEvent,
  KinesisStreamTumblingWindowEventSchema,
  type KinesisStreamTumblingWindowResult,
  KinesisStreamTumblingWindowResultSchema,
} from "./streams/kinesis.ts";

export {
  type KinesisAnalyticsInputPreprocessingEvent,
  KinesisAnalyticsInputPreprocessingEventSchema,
  type KinesisAnalyticsInputPreprocessingResult,
  KinesisAnalyticsInputPreprocessingResultSchema,
  type KinesisAnalyticsOutputDeliveryEvent,
  KinesisAnalyticsOutputDeliveryEventSchema,
  type KinesisAnalyticsOutputDeliveryResult,
  KinesisAnalyticsOutputDeliveryResultSchema,
} from "./streams/kinesis_analytics.ts";

export {
  type KinesisFirehoseEvent,
  KinesisFirehoseEventSchema,
  type KinesisFirehoseMskEvent,
  KinesisFirehoseMskEventSchema,
  type KinesisFirehoseMskRecord,
  KinesisFirehoseMskRecordSchema,
  type KinesisFirehoseRecord,
  KinesisFirehoseRecordSchema,
  type KinesisFirehoseResult,
  KinesisFirehoseResultSchema,
} from "./streams/kinesis_firehose.ts";

export {
  type LambdaDestinationFailureRecord,
  LambdaDestinationFailureRecordSchema,
  type LambdaDestinationRecord,
  LambdaDestinationRecordSchema,
  type LambdaDestinationSuccessRecord,
  LambdaDestinationSuccessRecordSchema,
} from "./operations/lambda_destination.ts";

export {
  type LexV1Event,
  LexV1EventSchema,
  type LexV1Result,
  LexV1ResultSchema,
} from "./conversations/lex_v1.ts";

export {
  type LexV2Event,
  LexV2EventSchema,
  type LexV2Intent,
  LexV2IntentSchema,
  type LexV2Result,
  LexV2ResultSchema,
  type LexV2SessionState,
  LexV2SessionStateSchema,
  type LexV2Slot,
  LexV2SlotSchema,
} from "./conversations/lex_v2.ts";

export {
  type S3Event,
  type S3EventBridgeDetail,
  S3EventBridgeDetailSchema,
  type S3EventBridgeEvent,
  S3EventBridgeEventSchema,
  S3EventSchema,
  type S3Record,
  S3RecordSchema,
} from "./streams/s3.ts";

export {
  type S3BatchEvent,
  S3BatchEventSchema,
  type S3BatchResult,
  S3BatchResultSchema,
  type S3BatchTaskV1,
  S3BatchTaskV1Schema,
  type S3BatchTaskV2,
  S3BatchTaskV2Schema,
} from "./services/s3_batch.ts";

export { type S3ObjectLambdaEvent, S3ObjectLambdaEventSchema } from "./http/s3_object_lambda.ts";

export {
  type SageMakerGroundTruthAnnotationConsolidationEvent,
  SageMakerGroundTruthAnnotationConsolidationEventSchema,
  type SageMakerGroundTruthAnnotationConsolidationResult,
  SageMakerGroundTruthAnnotationConsolidationResultSchema,
  type SageMakerGroundTruthPreHumanTaskEvent,
  SageMakerGroundTruthPreHumanTaskEventSchema,
  type SageMakerGroundTruthPreHumanTaskResult,
  SageMakerGroundTruthPreHumanTaskResultSchema,
} from "./services/sagemaker_ground_truth.ts";

export {
  type SecretsManagerRotationEvent,
  SecretsManagerRotationEventSchema,
} from "./operations/secrets_manager.ts";

export {
  type SesEvent,
  SesEventSchema,
  type SesMail,
  SesMailSchema,
  type SesReceipt,
  SesReceiptSchema,
  type SesRecord,
  SesRecordSchema,
} from "./services/ses.ts";

export {
  type SnsEvent,
  SnsEventSchema,
  type SnsMessage,
  type SnsMessageAttribute,
  SnsMessageAttributeSchema,
  SnsMessageSchema,
  type SnsRecord,
  SnsRecordSchema,
  type SnsSqsNotification,
  SnsSqsNotificationSchema,
} from "./streams/sns.ts";

export {
  type SqsAttributes,
  SqsAttributesSchema,
  type SqsBatchResponse,
  SqsBatchResponseSchema,
  type SqsEvent,
  SqsEventSchema,
  type SqsMessageAttribute,
  SqsMessageAttributeSchema,
  type SqsRecord,
  SqsRecordSchema,
} from "./streams/sqs.ts";

export {
  type TransferFamilyAuthorizerEvent,
  TransferFamilyAuthorizerEventSchema,
} from "./identity/transfer_family.ts";

export {
  convertNumber,
  type DynamoDbNumber,
  type NativeValue,
  unmarshall,
  type UnmarshallOptions,
  unmarshallValue,
} from "./unmarshall.ts";

export {
  type VpcLatticeEvent,
  VpcLatticeEventSchema,
  type VpcLatticeEventV2,
  VpcLatticeEventV2Schema,
} from "./http/vpc_lattice.ts";

export {
  type WorkMailEvent,
  WorkMailEventSchema,
  type WorkMailResult,
  WorkMailResultSchema,
} from "./services/workmail.ts";

// The runtime's types that defineHandler's signatures name, so that `./events` documents itself.
export type { ClientContext, CognitoIdentity, Context, FunctionInfo } from "../runtime/context.ts";
