/**
 * Amazon Lex V2 code hook events: what a bot sends its Lambda function for dialog and
 * fulfillment code hooks, with the current session state and the intents it recognised; and the
 * response that sets the next dialog action.
 *
 * @module
 */

import { z } from "zod";

/** A slot: its value as spoken and as resolved; `values` holds a list slot's elements. */
export const LexV2SlotSchema = z.looseObject({
  shape: z.enum(["Scalar", "List", "Composite"]).optional(),
  value: z.looseObject({
    originalValue: z.string(),
    interpretedValue: z.string().nullish(),
    resolvedValues: z.array(z.string()).optional(),
  }).optional(),
  values: z.array(z.unknown()).optional(),
});

/** An intent, with its slots; a slot not yet filled is `null`. */
export const LexV2IntentSchema = z.looseObject({
  name: z.string(),
  slots: z.record(z.string(), LexV2SlotSchema.nullable()).optional(),
  state: z.string().optional(),
  confirmationState: z.string().optional(),
});

/** The session: its attributes, active contexts, the current intent and dialog action. */
export const LexV2SessionStateSchema = z.looseObject({
  sessionAttributes: z.record(z.string(), z.string()).optional(),
  activeContexts: z.array(z.unknown()).optional(),
  intent: LexV2IntentSchema.optional(),
  dialogAction: z.looseObject({ type: z.string() }).optional(),
  originatingRequestId: z.string().optional(),
});

/**
 * The event a Lex V2 bot sends its code hook.
 *
 * @example Read the slot of the intent to fulfil
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LexV2EventSchema } from "./lex_v2.ts";
 *
 * const intent = {
 *   name: "CheckBalance", state: "ReadyForFulfillment",
 *   slots: { account: { value: { originalValue: "checking", resolvedValues: ["CHECKING"] } } },
 * };
 * const event = LexV2EventSchema.parse({
 *   messageVersion: "1.0", invocationSource: "FulfillmentCodeHook", inputMode: "Text",
 *   responseContentType: "text/plain; charset=utf-8", sessionId: "s1",
 *   inputTranscript: "my checking balance",
 *   bot: { id: "B1", name: "Bank", aliasId: "A1", localeId: "en_US", version: "1" },
 *   interpretations: [{ intent }], sessionState: { intent },
 * });
 * equal(event.sessionState.intent?.slots?.account?.value?.resolvedValues?.[0], "CHECKING");
 * ```
 */
export const LexV2EventSchema = z.looseObject({
  messageVersion: z.string().optional(),
  invocationSource: z.enum(["DialogCodeHook", "FulfillmentCodeHook"]),
  inputMode: z.enum(["DTMF", "Speech", "Text"]).optional(),
  responseContentType: z.string().optional(),
  sessionId: z.string(),
  inputTranscript: z.string().optional(),
  bot: z.looseObject({
    id: z.string().optional(),
    name: z.string(),
    aliasId: z.string().optional(),
    aliasName: z.string().optional(),
    localeId: z.string().optional(),
    version: z.string().optional(),
  }),
  interpretations: z.array(z.looseObject({
    intent: LexV2IntentSchema,
    // The Lex V2 guide's input format gives a number; Lex's RecognizeText answer nests it as
    // { score }. Both are read.
    nluConfidence: z.union([z.number(), z.looseObject({ score: z.number() })]).optional(),
  })),
  requestAttributes: z.record(z.string(), z.string()).nullish(),
  sessionState: LexV2SessionStateSchema,
});

/**
 * What a Lex V2 code hook returns: the session state with the next dialog action (an
 * `ElicitSlot` names the slot), and the messages to say. A Lex V1 response (`dialogAction` at
 * the top) is refused.
 *
 * @example Ask for a slot
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LexV2ResultSchema } from "./lex_v2.ts";
 *
 * const result = {
 *   sessionState: {
 *     dialogAction: { type: "ElicitSlot", slotToElicit: "Nights" },
 *     intent: { name: "BookHotel", state: "InProgress", slots: { Nights: null } },
 *   },
 *   messages: [{ contentType: "PlainText", content: "How many nights?" }],
 * };
 * equal(LexV2ResultSchema.safeParse(result).success, true);
 * equal(LexV2ResultSchema.safeParse({ dialogAction: { type: "Close" } }).success, false);
 * ```
 */
export const LexV2ResultSchema = z.strictObject({
  sessionState: z.looseObject({
    activeContexts: z.array(z.looseObject({})).optional(),
    sessionAttributes: z.record(z.string(), z.string()).optional(),
    runtimeHints: z.looseObject({}).optional(),
    dialogAction: z.looseObject({
      type: z.enum(["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"]),
      slotToElicit: z.string().optional(),
      slotElicitationStyle: z.enum(["Default", "SpellByLetter", "SpellByWord"]).optional(),
    }).refine((action) => action.type !== "ElicitSlot" || action.slotToElicit !== undefined, {
      error: "an ElicitSlot action names its slotToElicit",
      path: ["slotToElicit"],
    }),
    intent: LexV2IntentSchema.optional(),
    originatingRequestId: z.string().optional(),
  }),
  messages: z.array(z.looseObject({
    contentType: z.enum(["CustomPayload", "ImageResponseCard", "PlainText", "SSML"]),
    content: z.string().optional(),
    imageResponseCard: z.looseObject({ title: z.string() }).optional(),
  })).optional(),
  requestAttributes: z.record(z.string(), z.string()).optional(),
});

/** A Lex V2 slot. */
export type LexV2Slot = z.infer<typeof LexV2SlotSchema>;
/** A Lex V2 intent. */
export type LexV2Intent = z.infer<typeof LexV2IntentSchema>;
/** A Lex V2 session state. */
export type LexV2SessionState = z.infer<typeof LexV2SessionStateSchema>;
/** A Lex V2 code hook event. */
export type LexV2Event = z.infer<typeof LexV2EventSchema>;
/** What a Lex V2 code hook returns. */
export type LexV2Result = z.input<typeof LexV2ResultSchema>;
