/**
 * Amazon SES email receiving events: the receipt rule's Lambda action.
 *
 * @module
 */

import { z } from "zod";

const _verdict = z.looseObject({ status: z.string() });

/** The message as SES received it: envelope, headers and the common headers parsed. */
export const SesMailSchema = z.looseObject({
  timestamp: z.string().optional(),
  source: z.string(),
  messageId: z.string(),
  destination: z.array(z.string()),
  headersTruncated: z.boolean().optional(),
  headers: z.array(z.looseObject({ name: z.string(), value: z.string() })),
  commonHeaders: z.looseObject({
    returnPath: z.string().optional(),
    from: z.array(z.string()).optional(),
    date: z.string().optional(),
    to: z.array(z.string()).optional(),
    cc: z.array(z.string()).optional(),
    bcc: z.array(z.string()).optional(),
    sender: z.array(z.string()).optional(),
    replyTo: z.array(z.string()).optional(),
    messageId: z.string().optional(),
    subject: z.string().optional(),
  }),
});

/**
 * What SES concluded about the message, and which action invoked the function. The DMARC
 * verdict is missing from older receipts (`sam local generate-event`'s sample has none).
 */
export const SesReceiptSchema = z.looseObject({
  timestamp: z.string().optional(),
  processingTimeMillis: z.number().optional(),
  recipients: z.array(z.string()),
  spamVerdict: _verdict,
  virusVerdict: _verdict,
  spfVerdict: _verdict,
  dkimVerdict: _verdict,
  dmarcVerdict: _verdict.optional(),
  dmarcPolicy: z.string().optional(),
  action: z.looseObject({
    type: z.literal("Lambda"),
    functionArn: z.string().optional(),
    invocationType: z.enum(["Event", "RequestResponse"]).optional(),
  }),
});

/** One SES record. `eventSource` must be `aws:ses`. */
export const SesRecordSchema = z.looseObject({
  eventSource: z.literal("aws:ses"),
  eventVersion: z.string().optional(),
  ses: z.looseObject({ mail: SesMailSchema, receipt: SesReceiptSchema }),
});

/**
 * An SES receipt event.
 *
 * @example Reject a record from another source, and an event with no record
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SesEventSchema } from "./ses.ts";
 *
 * equal(SesEventSchema.safeParse({ Records: [{ eventSource: "aws:sns" }] }).success, false);
 * equal(SesEventSchema.safeParse({ Records: [] }).success, false);
 * ```
 */
export const SesEventSchema = z.looseObject({
  Records: z.array(SesRecordSchema).min(1),
});

/** The received message. */
export type SesMail = z.infer<typeof SesMailSchema>;
/** The receipt verdicts and action. */
export type SesReceipt = z.infer<typeof SesReceiptSchema>;
/** One SES record. */
export type SesRecord = z.infer<typeof SesRecordSchema>;
/** An SES receipt event. */
export type SesEvent = z.infer<typeof SesEventSchema>;
