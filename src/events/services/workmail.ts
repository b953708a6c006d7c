/**
 * Amazon WorkMail email flow rules: the summary of a message that a `Run Lambda` action sends
 * (synchronously or not), and the actions a synchronous run returns.
 *
 * @module
 */

import { z } from "zod";

const _address = z.looseObject({ address: z.string() });

/**
 * The message as WorkMail summarises it. The full message is read with WorkMail's
 * `GetRawMessageContent` and `messageId`.
 *
 * @example An inbound message
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { WorkMailEventSchema } from "./workmail.ts";
 *
 * const event = WorkMailEventSchema.parse({
 *   summaryVersion: "2018-10-10",
 *   envelope: { mailFrom: { address: "a@example.com" }, recipients: [{ address: "b@example.com" }] },
 *   sender: { address: "a@example.com" }, subject: "Hello", messageId: "m1", invocationId: "i1",
 *   flowDirection: "INBOUND", truncated: false,
 * });
 * equal(event.envelope.recipients[0]?.address, "b@example.com");
 * ```
 */
export const WorkMailEventSchema = z.looseObject({
  summaryVersion: z.string().optional(),
  envelope: z.looseObject({
    mailFrom: _address,
    recipients: z.array(_address),
  }),
  sender: _address.optional(),
  subject: z.string().optional(),
  messageId: z.string(),
  invocationId: z.string(),
  flowDirection: z.enum(["INBOUND", "OUTBOUND"]),
  // Whether the recipients list was cut short.
  truncated: z.boolean().optional(),
});

/**
 * What a synchronous `Run Lambda` action returns: an action for some recipients, or for all.
 *
 * @example Bounce one recipient's copy
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { WorkMailResultSchema } from "./workmail.ts";
 *
 * const result = {
 *   actions: [{
 *     action: { type: "BOUNCE", parameters: { bounceMessage: "Not here." } },
 *     recipients: ["b@example.com"],
 *   }],
 * };
 * equal(WorkMailResultSchema.safeParse(result).success, true);
 * equal(WorkMailResultSchema.safeParse({ actions: [{ action: { type: "REJECT" } }] }).success, false);
 * ```
 */
export const WorkMailResultSchema = z.strictObject({
  actions: z.array(z.looseObject({
    action: z.looseObject({
      type: z.enum(["BOUNCE", "DROP", "DEFAULT", "BYPASS_SPAM_CHECK", "MOVE_TO_JUNK"]),
      parameters: z.record(z.string(), z.unknown()).optional(),
    }),
    recipients: z.array(z.string()).optional(),
    allRecipients: z.boolean().optional(),
  })),
});

/** What a WorkMail `Run Lambda` action sends. */
export type WorkMailEvent = z.infer<typeof WorkMailEventSchema>;
/** What a synchronous WorkMail `Run Lambda` action returns. */
export type WorkMailResult = z.input<typeof WorkMailResultSchema>;
