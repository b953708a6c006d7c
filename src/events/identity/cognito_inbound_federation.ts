/**
 * Amazon Cognito inbound federation trigger: run when a user signs in through an OIDC, SAML or
 * social identity provider, with what the provider returned, so the function can choose the user
 * attributes Cognito maps (`response.userAttributesToMap`).
 *
 * @module
 */

import { z } from "zod";

/**
 * An inbound federation event. `request.attributes` holds `tokenResponse`, `idToken` and
 * `userInfo` for OIDC and social providers, `samlResponse` for SAML ones.
 *
 * @example Read the provider's claims
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CognitoInboundFederationEventSchema } from "./cognito_inbound_federation.ts";
 *
 * const event = CognitoInboundFederationEventSchema.parse({
 *   version: "1", triggerSource: "InboundFederation_ExternalProvider", region: "eu-west-1",
 *   userPoolId: "eu-west-1_EXAMPLE", userName: "ada",
 *   callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "c1" },
 *   request: {
 *     providerName: "Corp", providerType: "OIDC",
 *     attributes: { idToken: { email: "ada@example.com" } },
 *   },
 *   response: { userAttributesToMap: {} },
 * });
 * equal(event.request.attributes.idToken?.email, "ada@example.com");
 * ```
 */
export const CognitoInboundFederationEventSchema = z.looseObject({
  version: z.string().optional(),
  triggerSource: z.literal("InboundFederation_ExternalProvider"),
  region: z.string().optional(),
  userPoolId: z.string(),
  userName: z.string().optional(),
  callerContext: z.looseObject({
    awsSdkVersion: z.string().optional(),
    clientId: z.string().optional(),
  }).optional(),
  request: z.looseObject({
    providerName: z.string(),
    // Social providers send what an OIDC provider does.
    providerType: z.enum([
      "OIDC",
      "SAML",
      "Facebook",
      "Google",
      "SignInWithApple",
      "LoginWithAmazon",
    ]),
    attributes: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  response: z.looseObject({
    userAttributesToMap: z.record(z.string(), z.string()).nullish(),
  }),
});

/** An inbound federation event. */
export type CognitoInboundFederationEvent = z.infer<typeof CognitoInboundFederationEventSchema>;
