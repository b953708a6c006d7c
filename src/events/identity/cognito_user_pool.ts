/**
 * Amazon Cognito user pool Lambda triggers. Every trigger shares the same envelope; `request`
 * and `response` depend on `triggerSource`. The function returns the event with `response`
 * filled in.
 *
 * @module
 */

import { z } from "zod";

const _attributes = z.record(z.string(), z.string());
const _metadata = z.record(z.string(), z.string()).nullish();

function _trigger<
  T extends readonly [string, ...string[]],
  Q extends z.core.$ZodLooseShape,
  P extends z.core.$ZodLooseShape,
>(sources: T, request: Q, response: P) {
  return z.looseObject({
    version: z.string().optional(),
    region: z.string().optional(),
    userPoolId: z.string(),
    userName: z.string().optional(),
    callerContext: z.looseObject({
      awsSdkVersion: z.string().optional(),
      clientId: z.string().optional(),
    }).optional(),
    triggerSource: z.enum(sources),
    request: z.looseObject({ clientMetadata: _metadata, ...request }),
    response: z.looseObject(response),
  });
}

const _challengeSession = z.array(z.looseObject({
  challengeName: z.string(),
  challengeResult: z.boolean(),
  challengeMetadata: z.string().nullish(),
}));

/** Pre sign-up. */
export const CognitoPreSignUpEventSchema = _trigger(
  ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
  { userAttributes: _attributes, validationData: _metadata },
  {
    autoConfirmUser: z.boolean().nullish(),
    autoVerifyEmail: z.boolean().nullish(),
    autoVerifyPhone: z.boolean().nullish(),
  },
);

/** Post confirmation. */
export const CognitoPostConfirmationEventSchema = _trigger(
  ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
  { userAttributes: _attributes },
  {},
);

/** Pre authentication. */
export const CognitoPreAuthenticationEventSchema = _trigger(
  ["PreAuthentication_Authentication"],
  { userAttributes: _attributes, validationData: _metadata, userNotFound: z.boolean().optional() },
  {},
);

/** Post authentication. */
export const CognitoPostAuthenticationEventSchema = _trigger(
  ["PostAuthentication_Authentication"],
  { userAttributes: _attributes, newDeviceUsed: z.boolean() },
  {},
);

/** Pre token generation (V1, V2 and V3 events share this shape). */
export const CognitoPreTokenGenerationEventSchema = _trigger(
  [
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
  ],
  {
    userAttributes: _attributes,
    groupConfiguration: z.looseObject({
      groupsToOverride: z.array(z.string()).nullish(),
      iamRolesToOverride: z.array(z.string()).nullish(),
      preferredRole: z.string().nullish(),
    }),
    scopes: z.array(z.string()).optional(),
  },
  {
    claimsOverrideDetails: z.looseObject({}).nullish(),
    claimsAndScopeOverrideDetails: z.looseObject({}).nullish(),
  },
);

/** Custom message: the verification, invitation and MFA texts. */
export const CognitoCustomMessageEventSchema = _trigger(
  [
    "CustomMessage_SignUp",
    "CustomMessage_AdminCreateUser",
    "CustomMessage_ResendCode",
    "CustomMessage_ForgotPassword",
    "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute",
    "CustomMessage_Authentication",
  ],
  {
    userAttributes: _attributes,
    codeParameter: z.string(),
    usernameParameter: z.string().nullish(),
    linkParameter: z.string().nullish(),
  },
  {
    smsMessage: z.string().nullish(),
    emailMessage: z.string().nullish(),
    emailSubject: z.string().nullish(),
  },
);

/** Define auth challenge (custom authentication flow). */
export const CognitoDefineAuthChallengeEventSchema = _trigger(
  ["DefineAuthChallenge_Authentication"],
  { userAttributes: _attributes, session: _challengeSession, userNotFound: z.boolean().optional() },
  {
    challengeName: z.string().nullish(),
    issueTokens: z.boolean().nullish(),
    failAuthentication: z.boolean().nullish(),
  },
);

/** Create auth challenge (custom authentication flow). */
export const CognitoCreateAuthChallengeEventSchema = _trigger(
  ["CreateAuthChallenge_Authentication"],
  {
    userAttributes: _attributes,
    challengeName: z.string(),
    session: _challengeSession,
    userNotFound: z.boolean().optional(),
  },
  {
    publicChallengeParameters: z.record(z.string(), z.string()).nullish(),
    privateChallengeParameters: z.record(z.string(), z.string()).nullish(),
    challengeMetadata: z.string().nullish(),
  },
);

/** Verify auth challenge response (custom authentication flow). */
export const CognitoVerifyAuthChallengeResponseEventSchema = _trigger(
  ["VerifyAuthChallengeResponse_Authentication"],
  {
    userAttributes: _attributes,
    privateChallengeParameters: z.record(z.string(), z.string()),
    challengeAnswer: z.string(),
    userNotFound: z.boolean().optional(),
  },
  { answerCorrect: z.boolean().nullish() },
);

/** User migration: sign-in or password reset of a user not yet in the pool. */
export const CognitoUserMigrationEventSchema = _trigger(
  ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
  { password: z.string().optional(), validationData: _metadata },
  {
    userAttributes: _attributes.nullish(),
    finalUserStatus: z.string().nullish(),
    messageAction: z.string().nullish(),
    desiredDeliveryMediums: z.array(z.string()).nullish(),
    forceAliasCreation: z.boolean().nullish(),
    enableSMSMFA: z.boolean().nullish(),
  },
);

/**
 * Any of the triggers above, told apart by `triggerSource`.
 *
 * @example A pre sign-up event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CognitoUserPoolTriggerEventSchema } from "./cognito_user_pool.ts";
 *
 * const event = CognitoUserPoolTriggerEventSchema.parse({
 *   version: "1", region: "eu-west-1", userPoolId: "eu-west-1_abc", userName: "ada",
 *   callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "c1" },
 *   triggerSource: "PreSignUp_SignUp",
 *   request: { userAttributes: { email: "ada@example.com" } },
 *   response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
 * });
 * equal(event.triggerSource, "PreSignUp_SignUp");
 * ```
 */
export const CognitoUserPoolTriggerEventSchema = z.discriminatedUnion("triggerSource", [
  CognitoPreSignUpEventSchema,
  CognitoPostConfirmationEventSchema,
  CognitoPreAuthenticationEventSchema,
  CognitoPostAuthenticationEventSchema,
  CognitoPreTokenGenerationEventSchema,
  CognitoCustomMessageEventSchema,
  CognitoDefineAuthChallengeEventSchema,
  CognitoCreateAuthChallengeEventSchema,
  CognitoVerifyAuthChallengeResponseEventSchema,
  CognitoUserMigrationEventSchema,
]);

/** A pre sign-up trigger event. */
export type CognitoPreSignUpEvent = z.infer<typeof CognitoPreSignUpEventSchema>;
/** A post confirmation trigger event. */
export type CognitoPostConfirmationEvent = z.infer<typeof CognitoPostConfirmationEventSchema>;
/** A pre authentication trigger event. */
export type CognitoPreAuthenticationEvent = z.infer<typeof CognitoPreAuthenticationEventSchema>;
/** A post authentication trigger event. */
export type CognitoPostAuthenticationEvent = z.infer<typeof CognitoPostAuthenticationEventSchema>;
/** A pre token generation trigger event. */
export type CognitoPreTokenGenerationEvent = z.infer<typeof CognitoPreTokenGenerationEventSchema>;
/** A custom message trigger event. */
export type CognitoCustomMessageEvent = z.infer<typeof CognitoCustomMessageEventSchema>;
/** A define auth challenge trigger event. */
export type CognitoDefineAuthChallengeEvent = z.infer<
  typeof CognitoDefineAuthChallengeEventSchema
>;
/** A create auth challenge trigger event. */
export type CognitoCreateAuthChallengeEvent = z.infer<
  typeof CognitoCreateAuthChallengeEventSchema
>;
/** A verify auth challenge response trigger event. */
export type CognitoVerifyAuthChallengeResponseEvent = z.infer<
  typeof CognitoVerifyAuthChallengeResponseEventSchema
>;
/** A user migration trigger event. */
export type CognitoUserMigrationEvent = z.infer<typeof CognitoUserMigrationEventSchema>;
/** Any Cognito user pool trigger event. */
export type CognitoUserPoolTriggerEvent = z.infer<typeof CognitoUserPoolTriggerEventSchema>;
