/**
 * Sample events of the sources that talk with someone: Bedrock agent action groups, Lex V2 bots,
 * Amazon Connect contact flows and AppSync Events channel handlers.
 *
 * @module
 */

import { AppSyncEventsEventSchema } from "../appsync_events.ts";
import { BedrockAgentEventSchema } from "../bedrock_agent.ts";
import { ConnectContactFlowEventSchema } from "../connect.ts";
import { LexV2EventSchema } from "../lex_v2.ts";
import { ACCOUNT, all, json, one, REGION, sampleId, type SampleSource } from "./options.ts";

const CONNECT_INSTANCE = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${sampleId("9308c2a1")}`;

/** The conversation sources, by name. */
export const CONVERSATION_SOURCES: Readonly<Record<string, SampleSource>> = {
  "bedrock-agent": {
    description: "Bedrock agent action group call (OpenAPI schema)",
    options: {
      input: "what the user said (Send reminders for claim 20)",
      "api-path": "the operation's path (/send-reminders)",
    },
    schema: BedrockAgentEventSchema,
    make: (options) => ({
      messageVersion: "1.0",
      agent: { name: "my-agent", id: "8ZXY0W8P1H", alias: "TSTALIASID", version: "DRAFT" },
      inputText: one(options, "input", "Send reminders for claim 20"),
      sessionId: "123456789012345",
      actionGroup: "ClaimManagementActionGroup",
      apiPath: one(options, "api-path", "/send-reminders"),
      httpMethod: "POST",
      parameters: [],
      requestBody: {
        content: {
          "application/json": { properties: [{ name: "claimId", type: "string", value: "20" }] },
        },
      },
      sessionAttributes: {},
      promptSessionAttributes: {},
    }),
  },
  "lex-v2": {
    description: "Lex V2 fulfillment code hook",
    options: {
      input: "what the user said (I want to check my balance)",
      intent: "the intent recognised (CheckBalance)",
    },
    schema: LexV2EventSchema,
    make: (options) => {
      const intent = {
        name: one(options, "intent", "CheckBalance"),
        slots: {
          accountType: {
            shape: "Scalar",
            value: {
              originalValue: "checking",
              interpretedValue: "checking",
              resolvedValues: ["checking"],
            },
          },
        },
        state: "ReadyForFulfillment",
        confirmationState: "None",
      };
      return {
        messageVersion: "1.0",
        invocationSource: "FulfillmentCodeHook",
        inputMode: "Text",
        responseContentType: "text/plain; charset=utf-8",
        sessionId: "123456789012345",
        inputTranscript: one(options, "input", "I want to check my balance"),
        bot: {
          id: "BOTID12345",
          name: "BankingBot",
          aliasId: "TSTALIASID",
          aliasName: "TestBotAlias",
          localeId: "en_US",
          version: "DRAFT",
        },
        interpretations: [{ intent, nluConfidence: 0.95 }],
        requestAttributes: {},
        sessionState: { sessionAttributes: {}, intent, originatingRequestId: sampleId("1e2c0a11") },
      };
    },
  },
  connect: {
    description: "Amazon Connect contact flow invocation (an incoming call)",
    options: {
      phone: "the caller's number (+15555550100)",
      queue: "the queue's name (BasicQueue)",
    },
    schema: ConnectContactFlowEventSchema,
    make: (options) => {
      const contact = sampleId("5ca32fbd");
      return {
        Name: "ContactFlowEvent",
        Details: {
          ContactData: {
            Attributes: {},
            Channel: "VOICE",
            ContactId: contact,
            InitialContactId: contact,
            PreviousContactId: contact,
            InitiationMethod: "INBOUND",
            InstanceARN: CONNECT_INSTANCE,
            CustomerEndpoint: {
              Address: one(options, "phone", "+15555550100"),
              Type: "TELEPHONE_NUMBER",
            },
            SystemEndpoint: { Address: "+15555550199", Type: "TELEPHONE_NUMBER" },
            // Without live media streaming, the audio stream's fields are null.
            MediaStreams: {
              Customer: {
                Audio: { StartFragmentNumber: null, StartTimestamp: null, StreamARN: null },
              },
            },
            Queue: {
              ARN: `${CONNECT_INSTANCE}/queue/${sampleId("5cba7cbf")}`,
              Name: one(options, "queue", "BasicQueue"),
            },
          },
          Parameters: {},
        },
      };
    },
  },
  "appsync-events": {
    description: "AppSync Events publish handler (one event per --payload)",
    options: {
      channel: "the channel's path (/default/orders)",
      payload: 'an event, as JSON; repeat for more events ({"orderId":"o-1"})',
    },
    schema: AppSyncEventsEventSchema,
    make: (options) => {
      const path = one(options, "channel", "/default/orders");
      const segments = path.split("/").filter((segment) => segment !== "");
      const host = `abcdefghijklmnopqrstuvwxyz.appsync-api.${REGION}.amazonaws.com`;
      return {
        identity: null,
        result: null,
        request: {
          headers: { host, "content-type": "application/json", "x-forwarded-proto": "https" },
          domainName: null,
        },
        info: {
          channel: { path: `/${segments.join("/")}`, segments },
          channelNamespace: { name: segments[0] ?? "default" },
          operation: "PUBLISH",
        },
        error: null,
        prev: null,
        stash: {},
        outErrors: [],
        events: all(options, "payload", ['{"orderId":"o-1"}']).map((payload, i) => ({
          id: sampleId("96bc1d46", i + 1),
          payload: json({ payload: [payload] }, "payload", null),
        })),
      };
    },
  },
};
