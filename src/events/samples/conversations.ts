/**
 * Sample events of the sources that talk with someone: Bedrock agent action groups, Lex V1 and V2
 * bots, Alexa skills and smart home skills, Amazon Connect contact flows and AppSync Events
 * channel handlers.
 *
 * @module
 */

import { AlexaSkillRequestSchema } from "../conversations/alexa_skills_kit.ts";
import { AlexaSmartHomeDirectiveSchema } from "../conversations/alexa_smart_home.ts";
import { AppSyncEventsEventSchema } from "../services/appsync_events.ts";
import { BedrockAgentEventSchema } from "../conversations/bedrock_agent.ts";
import { ConnectContactFlowEventSchema } from "../conversations/connect.ts";
import { LexV1EventSchema } from "../conversations/lex_v1.ts";
import { LexV2EventSchema } from "../conversations/lex_v2.ts";
import {
  ACCOUNT,
  all,
  json,
  one,
  REGION,
  sampleId,
  type SampleOptions,
  type SampleSource,
  TIME_MS,
} from "./options.ts";

const ALEXA_SKILL = "amzn1.ask.skill.3c5e7a9b-2d4f-4a6c-8e0b-1d3f5a7c9e1b";
const ALEXA_USER = "amzn1.ask.account.AF7Q2ZK4MEXAMPLE";

/** `--slot Name=value`, repeatable. */
function _slots(source: string, options: SampleOptions): [string, string][] {
  return all(options, "slot", []).map((pair) => {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      throw new TypeError(`Cannot make a ${source} event: --slot ${pair} is not Name=value`);
    }
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  });
}

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
  "lex-v1": {
    description: "Lex V1 bot code hook",
    options: {
      intent: "the intent (OrderFlowers)",
      slot: "a slot, Name=value; repeatable (FlowerType=roses)",
      source: "DialogCodeHook or FulfillmentCodeHook (DialogCodeHook)",
      input: "what the user said (I would like to order some roses)",
    },
    schema: LexV1EventSchema,
    make: (options) => ({
      messageVersion: "1.0",
      invocationSource: one(options, "source", "DialogCodeHook"),
      userId: "user-1",
      inputTranscript: one(options, "input", "I would like to order some roses"),
      sessionAttributes: {},
      requestAttributes: null,
      bot: { name: "OrderFlowers", alias: "$LATEST", version: "$LATEST" },
      outputDialogMode: "Text",
      currentIntent: {
        name: one(options, "intent", "OrderFlowers"),
        slots: Object.fromEntries(
          options.slot === undefined ? [["FlowerType", "roses"]] : _slots("lex-v1", options),
        ),
        confirmationStatus: "None",
      },
    }),
  },
  "alexa-skills-kit": {
    description: "Alexa custom skill request",
    options: {
      "request-type": "LaunchRequest, IntentRequest or SessionEndedRequest (IntentRequest)",
      intent: "the intent of an IntentRequest (GetNewFactIntent)",
      slot: "a slot of the intent, Name=value; repeatable (none)",
    },
    schema: AlexaSkillRequestSchema,
    make: (options) => {
      const type = one(options, "request-type", "IntentRequest");
      const slots = _slots("alexa-skills-kit", options);
      return {
        version: "1.0",
        session: {
          new: type === "LaunchRequest",
          sessionId: `amzn1.echo-api.session.${sampleId("5f7e2a9c")}`,
          application: { applicationId: ALEXA_SKILL },
          attributes: {},
          user: { userId: ALEXA_USER },
        },
        context: {
          System: {
            application: { applicationId: ALEXA_SKILL },
            user: { userId: ALEXA_USER },
            device: { deviceId: "amzn1.ask.device.AEX3N5P7EXAMPLE", supportedInterfaces: {} },
            apiEndpoint: "https://api.amazonalexa.com",
          },
        },
        request: {
          type,
          requestId: `amzn1.echo-api.request.${sampleId("8d0f2b4d")}`,
          timestamp: new Date(TIME_MS).toISOString().replace(".000", ""),
          locale: "en-US",
          ...(type === "IntentRequest"
            ? {
              intent: {
                name: one(options, "intent", "GetNewFactIntent"),
                confirmationStatus: "NONE",
                slots: Object.fromEntries(slots.map(([name, value]) => [name, { name, value }])),
              },
            }
            : type === "SessionEndedRequest"
            ? { reason: "USER_INITIATED" }
            : {}),
        },
      };
    },
  },
  "alexa-smart-home": {
    description: "Alexa smart home directive (payload version 3)",
    options: {
      namespace: "the interface (Alexa.PowerController)",
      name: "the directive (TurnOn)",
      endpoint: "the endpoint's id (endpoint-001)",
    },
    schema: AlexaSmartHomeDirectiveSchema,
    make: (options) => ({
      directive: {
        header: {
          namespace: one(options, "namespace", "Alexa.PowerController"),
          name: one(options, "name", "TurnOn"),
          messageId: sampleId("4b6d8f0a"),
          correlationToken: "dFMb0z+PgpgdDmluhJ1LddFvSqZ/jCc8ptlAKulUj90jSqg==",
          payloadVersion: "3",
        },
        endpoint: {
          scope: { type: "BearerToken", token: "access-token-from-skill" },
          endpointId: one(options, "endpoint", "endpoint-001"),
          cookie: {},
        },
        payload: {},
      },
    }),
  },
};
