/**
 * Amazon DocumentDB change stream events: the batch of change events Lambda reads from a
 * cluster's change stream, each in MongoDB's change event format.
 *
 * @module
 */

import { z } from "zod";

/**
 * One change: what happened (`operationType`), to which collection (`ns`) and document
 * (`documentKey`), with the document itself (`fullDocument`) where the stream carries it.
 * Collection and database events (`drop`, `rename`, `dropDatabase`, `invalidate`) have no
 * document.
 */
export const DocumentDbChangeEventSchema = z.looseObject({
  // The resume token.
  _id: z.looseObject({ _data: z.string() }).optional(),
  operationType: z.enum([
    "insert",
    "update",
    "replace",
    "delete",
    "drop",
    "rename",
    "dropDatabase",
    "invalidate",
  ]),
  clusterTime: z.looseObject({
    $timestamp: z.looseObject({ t: z.number(), i: z.number() }),
  }).optional(),
  ns: z.looseObject({ db: z.string(), coll: z.string().optional() }).optional(),
  documentKey: z.looseObject({ _id: z.unknown() }).optional(),
  fullDocument: z.record(z.string(), z.unknown()).nullish(),
  updateDescription: z.looseObject({
    updatedFields: z.record(z.string(), z.unknown()),
    removedFields: z.array(z.string()),
    truncatedArrays: z.array(z.looseObject({ field: z.string(), newSize: z.number() }))
      .optional(),
  }).optional(),
  // Where a `rename` moved the collection.
  to: z.looseObject({ db: z.string(), coll: z.string() }).optional(),
});

/**
 * The event Lambda sends for a DocumentDB event source mapping: at least one change, in order.
 *
 * @example An insert
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DocumentDbEventSchema } from "./documentdb.ts";
 *
 * const event = DocumentDbEventSchema.parse({
 *   eventSource: "aws:docdb",
 *   eventSourceArn: "arn:aws:rds:eu-west-1:123456789012:cluster:orders",
 *   events: [{
 *     event: {
 *       operationType: "insert", ns: { db: "shop", coll: "orders" },
 *       documentKey: { _id: { $oid: "65937c25a1b2c3d4e5f60718" } },
 *       fullDocument: { _id: { $oid: "65937c25a1b2c3d4e5f60718" }, total: 42 },
 *     },
 *   }],
 * });
 * equal(event.events[0]?.event.fullDocument?.total, 42);
 * equal(DocumentDbEventSchema.safeParse({ ...event, events: [] }).success, false);
 * ```
 */
export const DocumentDbEventSchema = z.looseObject({
  eventSource: z.literal("aws:docdb"),
  eventSourceArn: z.string(),
  events: z.array(z.looseObject({ event: DocumentDbChangeEventSchema })).min(1),
});

/** One DocumentDB change event. */
export type DocumentDbChangeEvent = z.infer<typeof DocumentDbChangeEventSchema>;
/** A DocumentDB change stream event. */
export type DocumentDbEvent = z.infer<typeof DocumentDbEventSchema>;
