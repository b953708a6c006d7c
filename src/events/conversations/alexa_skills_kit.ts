/**
 * Alexa Skills Kit: the request a custom skill's Lambda function receives (launch, intents,
 * session end and the other request types), with the session and the device's context.
 *
 * @module
 */

import { z } from "zod";

const _application = z.looseObject({ applicationId: z.string() });
const _user = z.looseObject({
  userId: z.string(),
  accessToken: z.string().optional(),
  permissions: z.looseObject({ consentToken: z.string().optional() }).optional(),
});

/** A slot of an intent: its spoken value and, with entity resolution, what it resolved to. */
export const AlexaSlotSchema = z.looseObject({
  name: z.string(),
  value: z.string().optional(),
  confirmationStatus: z.enum(["NONE", "CONFIRMED", "DENIED"]).optional(),
  resolutions: z.looseObject({}).optional(),
});

/** The request: its `type` (`LaunchRequest`, `IntentRequest`, `SessionEndedRequest`…). */
export const AlexaRequestSchema = z.looseObject({
  type: z.string(),
  requestId: z.string(),
  timestamp: z.string(),
  locale: z.string().optional(),
  dialogState: z.enum(["STARTED", "IN_PROGRESS", "COMPLETED"]).optional(),
  intent: z.looseObject({
    name: z.string(),
    confirmationStatus: z.enum(["NONE", "CONFIRMED", "DENIED"]).optional(),
    slots: z.record(z.string(), AlexaSlotSchema).optional(),
  }).optional(),
  // SessionEndedRequest: why the session ended.
  reason: z.string().optional(),
});

/**
 * What Alexa sends a custom skill. `session` is absent from requests outside a session (audio
 * player events, for one); `context.System` says which skill, user and device it is for.
 *
 * @example An intent with a slot
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AlexaSkillRequestSchema } from "./alexa_skills_kit.ts";
 *
 * const event = AlexaSkillRequestSchema.parse({
 *   version: "1.0",
 *   context: {
 *     System: {
 *       application: { applicationId: "amzn1.ask.skill.1" }, user: { userId: "amzn1.ask.account.1" },
 *     },
 *   },
 *   request: {
 *     type: "IntentRequest", requestId: "amzn1.echo-api.request.1",
 *     timestamp: "2024-01-02T03:04:05Z", locale: "en-GB",
 *     intent: { name: "OrderIntent", slots: { Drink: { name: "Drink", value: "tea" } } },
 *   },
 * });
 * equal(event.request.intent?.slots?.Drink?.value, "tea");
 * ```
 */
export const AlexaSkillRequestSchema = z.looseObject({
  version: z.string(),
  session: z.looseObject({
    new: z.boolean(),
    sessionId: z.string(),
    application: _application,
    attributes: z.record(z.string(), z.unknown()).optional(),
    user: _user,
  }).optional(),
  context: z.looseObject({
    System: z.looseObject({
      application: _application,
      user: _user,
      device: z.looseObject({
        deviceId: z.string().optional(),
        supportedInterfaces: z.record(z.string(), z.unknown()).optional(),
      }).optional(),
      apiEndpoint: z.string().optional(),
      apiAccessToken: z.string().optional(),
    }),
  }),
  request: AlexaRequestSchema,
});

/** A slot of an Alexa intent. */
export type AlexaSlot = z.infer<typeof AlexaSlotSchema>;
/** The request part of what Alexa sends a skill. */
export type AlexaRequest = z.infer<typeof AlexaRequestSchema>;
/** What Alexa sends a custom skill. */
export type AlexaSkillRequest = z.infer<typeof AlexaSkillRequestSchema>;
