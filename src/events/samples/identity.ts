/**
 * Sample events of the sources that authenticate someone: Cognito's custom email and SMS
 * senders and inbound federation, IoT Core custom authorizers, Transfer Family identity
 * providers and AppSync Lambda authorizers.
 *
 * @module
 */

import { AppSyncAuthorizerEventSchema } from "../identity/appsync_authorizer.ts";
import {
  CognitoCustomEmailSenderEventSchema,
  CognitoCustomSmsSenderEventSchema,
} from "../identity/cognito_custom_sender.ts";
import { CognitoInboundFederationEventSchema } from "../identity/cognito_inbound_federation.ts";
import { IotCustomAuthorizerEventSchema } from "../identity/iot_custom_authorizer.ts";
import { TransferFamilyAuthorizerEventSchema } from "../identity/transfer_family.ts";
import {
  ACCOUNT,
  base64,
  one,
  REGION,
  sampleId,
  type SampleOptions,
  type SampleSource,
} from "./options.ts";

const USER_POOL = {
  version: "1",
  region: REGION,
  userPoolId: `${REGION}_EXAMPLE`,
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "1example23456789" },
} as const;

/** A custom sender's event: Cognito encrypts the code with the pool's KMS key. */
function _sender(
  options: SampleOptions,
  triggerSource: string,
  userAttributes: Record<string, string>,
) {
  return {
    ...USER_POOL,
    userName: one(options, "user", "ada"),
    triggerSource,
    request: {
      type: "customEmailSenderRequestV1",
      code: base64(`AYADeIZczazd30Tm9/${sampleId("c0dec0de")}`),
      userAttributes: {
        sub: sampleId("5b1a7e2d"),
        "cognito:user_status": "CONFIRMED",
        ...userAttributes,
      },
      clientMetadata: null,
    },
  };
}

/** The identity sources, by name. */
export const IDENTITY_SOURCES: Readonly<Record<string, SampleSource>> = {
  "cognito-custom-email-sender": {
    description: "Cognito custom email sender (sign-up code)",
    options: { user: "the user name (ada)", email: "the email address (ada@example.com)" },
    schema: CognitoCustomEmailSenderEventSchema,
    make: (options) =>
      _sender(options, "CustomEmailSender_SignUp", {
        email: one(options, "email", "ada@example.com"),
        email_verified: "false",
      }),
  },
  "cognito-custom-sms-sender": {
    description: "Cognito custom SMS sender (sign-up code)",
    options: { user: "the user name (ada)", phone: "the phone number (+15555550100)" },
    schema: CognitoCustomSmsSenderEventSchema,
    make: (options) => {
      const event = _sender(options, "CustomSMSSender_SignUp", {
        phone_number: one(options, "phone", "+15555550100"),
        phone_number_verified: "false",
      });
      return { ...event, request: { ...event.request, type: "customSMSSenderRequestV1" } };
    },
  },
  "cognito-inbound-federation": {
    description: "Cognito inbound federation trigger (an OIDC provider's sign-in)",
    options: {
      provider: "the identity provider's name (ExampleOIDCProvider)",
      email: "the user's email (ada@example.com)",
    },
    schema: CognitoInboundFederationEventSchema,
    make: (options) => {
      const email = one(options, "email", "ada@example.com");
      return {
        ...USER_POOL,
        userName: "ada",
        triggerSource: "InboundFederation_ExternalProvider",
        request: {
          providerName: one(options, "provider", "ExampleOIDCProvider"),
          providerType: "OIDC",
          attributes: {
            tokenResponse: { access_token: "eyExample", token_type: "Bearer", expires_in: "3600" },
            idToken: { sub: "user123", email, email_verified: "true" },
            userInfo: { email, given_name: "Ada", family_name: "Lovelace" },
          },
        },
        response: { userAttributesToMap: { email, given_name: "Ada", family_name: "Lovelace" } },
      };
    },
  },
  "iot-custom-authorizer": {
    description: "IoT Core custom authorizer (an MQTT connection over TLS)",
    options: {
      token: "the token the device presents (aToken)",
      "client-id": "the MQTT client id (my-thing)",
    },
    schema: IotCustomAuthorizerEventSchema,
    make: (options) => ({
      token: one(options, "token", "aToken"),
      signatureVerified: true,
      protocols: ["tls", "mqtt"],
      protocolData: {
        tls: { serverName: `a1b2c3d4e5f6g7-ats.iot.${REGION}.amazonaws.com` },
        mqtt: {
          username: "my-user",
          // MQTT passwords arrive base64-encoded.
          password: base64("my-password"),
          clientId: one(options, "client-id", "my-thing"),
        },
      },
      connectionMetadata: { id: sampleId("e55dfca3") },
    }),
  },
  "transfer-family": {
    description: "Transfer Family custom identity provider request",
    options: {
      user: "the user name (ada)",
      password: "the password, none for key authentication (my-password)",
      protocol: "SFTP, FTP, FTPS or AS2 (SFTP)",
    },
    schema: TransferFamilyAuthorizerEventSchema,
    make: (options) => ({
      username: one(options, "user", "ada"),
      password: one(options, "password", "my-password"),
      protocol: one(options, "protocol", "SFTP"),
      serverId: "s-abcd123456",
      sourceIp: "198.51.100.7",
    }),
  },
  "appsync-authorizer": {
    description: "AppSync Lambda authorizer",
    options: {
      token: "the Authorization header's value (custom-token)",
      query: "the GraphQL document (query { me { id } })",
    },
    schema: AppSyncAuthorizerEventSchema,
    make: (options) => {
      const token = one(options, "token", "custom-token");
      const apiId = "abcdefghijklmnopqrstuvwxyz";
      return {
        authorizationToken: token,
        requestContext: {
          apiId,
          accountId: ACCOUNT,
          requestId: sampleId("36307622"),
          queryString: one(options, "query", "query { me { id } }"),
          operationName: null,
          variables: {},
        },
        requestHeaders: {
          authorization: token,
          "content-type": "application/json",
          host: `${apiId}.appsync-api.${REGION}.amazonaws.com`,
        },
      };
    },
  },
};
