/**
 * Amazon Cognito custom email and SMS sender triggers: Cognito hands the function the message
 * to send instead of sending it. `request.code`, when present, is the code encrypted with the
 * pool's KMS key (base64), to be decrypted before it is sent.
 *
 * @module
 */

import { z } from "zod";

// Recorded events carry strings ("true"); some published samples carry booleans.
const _attributes = z.record(z.string(), z.union([z.string(), z.boolean()]));

function _sender(triggerSource: RegExp) {
  return z.looseObject({
    version: z.string().optional(),
    triggerSource: z.string().regex(triggerSource),
    region: z.string().optional(),
    userPoolId: z.string(),
    userName: z.string().optional(),
    callerContext: z.looseObject({
      awsSdkVersion: z.string().optional(),
      clientId: z.string().optional(),
    }).optional(),
    request: z.looseObject({
      type: z.string(),
      code: z.string().nullish(),
      userAttributes: _attributes,
      clientMetadata: z.record(z.string(), z.string()).nullish(),
    }),
  });
}

/**
 * A custom email sender event (`CustomEmailSender_SignUp`, `_ForgotPassword`, …).
 *
 * @example An email sender event is not an SMS sender event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import {
 *   CognitoCustomEmailSenderEventSchema,
 *   CognitoCustomSmsSenderEventSchema,
 * } from "./cognito_custom_sender.ts";
 *
 * const event = {
 *   version: "1", triggerSource: "CustomEmailSender_ForgotPassword", region: "eu-west-1",
 *   userPoolId: "eu-west-1_EXAMPLE", userName: "ada",
 *   callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "c1" },
 *   request: {
 *     type: "customEmailSenderRequestV1", code: "AYADeIZc",
 *     userAttributes: { email: "ada@example.com" }, clientMetadata: null,
 *   },
 * };
 * equal(CognitoCustomEmailSenderEventSchema.parse(event).request.code, "AYADeIZc");
 * equal(CognitoCustomSmsSenderEventSchema.safeParse(event).success, false);
 * ```
 */
export const CognitoCustomEmailSenderEventSchema = _sender(/^CustomEmailSender_/);

/** A custom SMS sender event (`CustomSMSSender_SignUp`, `_Authentication`, …). */
export const CognitoCustomSmsSenderEventSchema = _sender(/^CustomSMSSender_/);

/** A custom email sender event. */
export type CognitoCustomEmailSenderEvent = z.infer<typeof CognitoCustomEmailSenderEventSchema>;
/** A custom SMS sender event. */
export type CognitoCustomSmsSenderEvent = z.infer<typeof CognitoCustomSmsSenderEventSchema>;
