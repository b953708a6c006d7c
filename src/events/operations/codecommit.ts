/**
 * AWS CodeCommit repository triggers: the event a trigger sends when references change (pushes,
 * new branches or tags, deletions).
 *
 * @module
 */

import { z } from "zod";

/** One reference that changed, and the commit it points to now. */
export const CodeCommitReferenceSchema = z.looseObject({
  commit: z.string(),
  ref: z.string(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
});

/** One trigger record. `eventSource` must be `aws:codecommit`. */
export const CodeCommitRecordSchema = z.looseObject({
  eventId: z.string(),
  eventVersion: z.string().optional(),
  eventTime: z.string().optional(),
  eventTriggerName: z.string().optional(),
  eventPartNumber: z.number().optional(),
  eventTotalParts: z.number().optional(),
  codecommit: z.looseObject({ references: z.array(CodeCommitReferenceSchema) }),
  eventName: z.string(),
  eventTriggerConfigId: z.string().optional(),
  eventSourceARN: z.string(),
  userIdentityARN: z.string().optional(),
  eventSource: z.literal("aws:codecommit"),
  awsRegion: z.string().optional(),
  // The trigger's custom data, when it has some.
  customData: z.string().optional(),
});

/**
 * A CodeCommit trigger event. A big push is split over several events
 * (`eventPartNumber` of `eventTotalParts`).
 *
 * @example The pushed branch
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CodeCommitEventSchema } from "./codecommit.ts";
 *
 * const event = CodeCommitEventSchema.parse({
 *   Records: [{
 *     eventId: "e1", eventName: "ReferenceChanges", eventSource: "aws:codecommit",
 *     eventSourceARN: "arn:aws:codecommit:eu-west-1:123456789012:shop",
 *     codecommit: { references: [{ commit: "9f2c1e", ref: "refs/heads/main" }] },
 *   }],
 * });
 * equal(event.Records[0]?.codecommit.references[0]?.ref, "refs/heads/main");
 * ```
 */
export const CodeCommitEventSchema = z.looseObject({
  Records: z.array(CodeCommitRecordSchema).min(1),
});

/** A reference that changed. */
export type CodeCommitReference = z.infer<typeof CodeCommitReferenceSchema>;
/** One CodeCommit trigger record. */
export type CodeCommitRecord = z.infer<typeof CodeCommitRecordSchema>;
/** A CodeCommit trigger event. */
export type CodeCommitEvent = z.infer<typeof CodeCommitEventSchema>;
