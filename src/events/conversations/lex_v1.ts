/**
 * Amazon Lex V1 bots: the event a code hook (dialog or fulfillment) receives, and the response
 * that tells Lex what to do next.
 *
 * @module
 */

import { z } from "zod";

// Lex sends slot values as strings, or null when unfilled; some of AWS's own samples give a
// number, which is read as Lex would send it.
const _slots = z.record(
  z.string(),
  z.union([z.string(), z.number().transform(String)]).nullable(),
);

const _intent = {
  name: z.string(),
  slots: _slots.optional(),
  slotDetails: z.record(
    z.string(),
    z.looseObject({
      resolutions: z.array(z.record(z.string(), z.string())).optional(),
      originalValue: z.string().nullish(),
    }).nullable(),
  ).nullish(),
  confirmationStatus: z.enum(["None", "Confirmed", "Denied"]).optional(),
  nluIntentConfidenceScore: z.number().nullish(),
};

/**
 * The event a Lex V1 code hook receives.
 *
 * @example Slots are strings
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LexV1EventSchema } from "./lex_v1.ts";
 *
 * const event = LexV1EventSchema.parse({
 *   messageVersion: "1.0", invocationSource: "DialogCodeHook", userId: "u1",
 *   sessionAttributes: {}, outputDialogMode: "Text",
 *   bot: { name: "Hotel", alias: "$LATEST", version: "$LATEST" },
 *   currentIntent: { name: "Book", slots: { Nights: 3, City: null }, confirmationStatus: "None" },
 * });
 * equal(event.currentIntent.slots?.Nights, "3");
 * ```
 */
export const LexV1EventSchema = z.looseObject({
  messageVersion: z.string().optional(),
  invocationSource: z.enum(["DialogCodeHook", "FulfillmentCodeHook"]),
  userId: z.string(),
  inputTranscript: z.string().optional(),
  sessionAttributes: z.record(z.string(), z.string()).nullish(),
  requestAttributes: z.record(z.string(), z.string()).nullish(),
  bot: z.looseObject({
    name: z.string(),
    alias: z.string().nullish(),
    version: z.string().optional(),
  }),
  outputDialogMode: z.enum(["Text", "Voice"]).optional(),
  currentIntent: z.looseObject(_intent),
  alternativeIntents: z.array(z.looseObject(_intent)).optional(),
});

const _message = z.looseObject({
  contentType: z.enum(["PlainText", "SSML", "CustomPayload"]),
  content: z.string(),
});

const _dialogAction = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("ElicitIntent"), message: _message.optional() }),
  z.looseObject({
    type: z.literal("ElicitSlot"),
    intentName: z.string(),
    slots: _slots,
    slotToElicit: z.string(),
    message: _message.optional(),
  }),
  z.looseObject({
    type: z.literal("ConfirmIntent"),
    intentName: z.string(),
    slots: _slots,
    message: _message.optional(),
  }),
  z.looseObject({ type: z.literal("Delegate"), slots: _slots }),
  z.looseObject({
    type: z.literal("Close"),
    fulfillmentState: z.enum(["Fulfilled", "Failed"]),
    message: _message.optional(),
  }),
]);

/**
 * What a Lex V1 code hook returns: the next `dialogAction`, with what its type needs (`Close`
 * a `fulfillmentState`, `ElicitSlot` the intent, slots and slot to elicit). A Lex V2 response
 * (`sessionState`) is refused.
 *
 * @example Close the conversation
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LexV1ResultSchema } from "./lex_v1.ts";
 *
 * const close = { type: "Close", fulfillmentState: "Fulfilled", message: { contentType: "PlainText", content: "Booked." } };
 * equal(LexV1ResultSchema.safeParse({ dialogAction: close }).success, true);
 * equal(LexV1ResultSchema.safeParse({ dialogAction: { type: "Close" } }).success, false);
 * ```
 */
export const LexV1ResultSchema = z.strictObject({
  sessionAttributes: z.record(z.string(), z.string()).optional(),
  recentIntentSummaryView: z.array(z.looseObject({})).optional(),
  activeContexts: z.array(z.looseObject({})).optional(),
  dialogAction: _dialogAction,
});

/** A Lex V1 code hook event. */
export type LexV1Event = z.infer<typeof LexV1EventSchema>;
/** What a Lex V1 code hook returns. */
export type LexV1Result = z.input<typeof LexV1ResultSchema>;
