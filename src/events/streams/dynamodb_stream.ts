/**
 * Amazon DynamoDB Streams events: item-level changes, with keys and images in DynamoDB's
 * attribute-value JSON (`unmarshall` in `../unmarshall.ts` turns images into plain objects); the
 * tumbling-window form of the event; and what the function returns to report failed records or
 * carry a window's state.
 *
 * @module
 */

import { z } from "zod";
import { batchItemFailures, tumblingWindowFields, windowState } from "../stream_windows.ts";

/** A DynamoDB attribute value: one key naming the type. Numbers travel as strings. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: { [key: string]: AttributeValue } }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

/** The schema of an {@linkcode AttributeValue}, recursive through `M` and `L`. */
export const AttributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([
    z.object({ S: z.string() }),
    z.object({ N: z.string() }),
    z.object({ B: z.string() }),
    z.object({ BOOL: z.boolean() }),
    z.object({ NULL: z.literal(true) }),
    z.object({ M: z.record(z.string(), AttributeValueSchema) }),
    z.object({ L: z.array(AttributeValueSchema) }),
    z.object({ SS: z.array(z.string()) }),
    z.object({ NS: z.array(z.string()) }),
    z.object({ BS: z.array(z.string()) }),
  ])
);

/** An item or key: attribute names to attribute values. */
export const AttributeMapSchema = z.record(z.string(), AttributeValueSchema);

/** One change record. `eventSource` must be `aws:dynamodb`. */
export const DynamoDbStreamRecordSchema = z.looseObject({
  eventID: z.string(),
  eventName: z.enum(["INSERT", "MODIFY", "REMOVE"]),
  eventVersion: z.string().optional(),
  eventSource: z.literal("aws:dynamodb"),
  awsRegion: z.string().optional(),
  eventSourceARN: z.string(),
  dynamodb: z.looseObject({
    ApproximateCreationDateTime: z.number().optional(),
    Keys: AttributeMapSchema,
    NewImage: AttributeMapSchema.optional(),
    OldImage: AttributeMapSchema.optional(),
    SequenceNumber: z.string(),
    SizeBytes: z.number().optional(),
    StreamViewType: z.enum(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])
      .optional(),
  }),
  // Present for deletions made by TTL.
  userIdentity: z.looseObject({ type: z.string(), principalId: z.string() }).optional(),
});

/**
 * The event Lambda sends for a DynamoDB stream.
 *
 * @example An insert
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DynamoDbStreamEventSchema } from "./dynamodb_stream.ts";
 *
 * const event = DynamoDbStreamEventSchema.parse({
 *   Records: [{
 *     eventID: "1", eventName: "INSERT", eventVersion: "1.1", eventSource: "aws:dynamodb",
 *     awsRegion: "eu-west-1", eventSourceARN: "arn:aws:dynamodb:eu-west-1:1:table/t/stream/s",
 *     dynamodb: {
 *       Keys: { id: { S: "a" } }, NewImage: { id: { S: "a" }, n: { N: "1" } },
 *       SequenceNumber: "100", SizeBytes: 20, StreamViewType: "NEW_IMAGE",
 *     },
 *   }],
 * });
 * equal(event.Records[0]?.dynamodb.SequenceNumber, "100");
 * ```
 */
export const DynamoDbStreamEventSchema = z.looseObject({
  Records: z.array(DynamoDbStreamRecordSchema).min(1),
});

/**
 * An event of a stream whose event source mapping has a tumbling window: the records, the
 * window, and the state the function returned last for it. The window's last invocation
 * (`isFinalInvokeForWindow`) may carry no records.
 *
 * @example The state travels from one invocation to the next
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DynamoDbStreamTumblingWindowEventSchema } from "./dynamodb_stream.ts";
 *
 * const event = DynamoDbStreamTumblingWindowEventSchema.parse({
 *   Records: [], window: { start: "2024-01-02T03:00:00Z", end: "2024-01-02T03:05:00Z" },
 *   state: { total: "12" }, shardId: "shardId-00000001",
 *   eventSourceARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
 *   isFinalInvokeForWindow: true, isWindowTerminatedEarly: false,
 * });
 * equal(event.state.total, "12");
 * ```
 */
export const DynamoDbStreamTumblingWindowEventSchema = z.looseObject({
  Records: z.array(DynamoDbStreamRecordSchema),
  ...tumblingWindowFields,
});

/**
 * What a function returns to have only some records retried (`ReportBatchItemFailures` on the
 * event source mapping): the `SequenceNumber` of the first failed record. An empty or `null`
 * list means every record succeeded; Lambda fails the whole batch on an empty identifier or a
 * misspelled key, so both are refused here.
 */
export const DynamoDbStreamBatchResponseSchema = z.strictObject({
  batchItemFailures: batchItemFailures.nullish(),
});

/**
 * What a function with a tumbling window returns: the window's state so far (a missing `state`
 * fails the invocation), and optionally the failed records.
 *
 * @example `state` is required
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DynamoDbStreamTumblingWindowResultSchema } from "./dynamodb_stream.ts";
 *
 * equal(DynamoDbStreamTumblingWindowResultSchema.safeParse({ state: { total: 3 } }).success, true);
 * equal(DynamoDbStreamTumblingWindowResultSchema.safeParse({ batchItemFailures: [] }).success, false);
 * ```
 */
export const DynamoDbStreamTumblingWindowResultSchema = z.strictObject({
  state: windowState,
  batchItemFailures: batchItemFailures.nullish(),
});

/** An item or key in attribute-value JSON. */
export type AttributeMap = z.infer<typeof AttributeMapSchema>;
/** One DynamoDB stream record. */
export type DynamoDbStreamRecord = z.infer<typeof DynamoDbStreamRecordSchema>;
/** A DynamoDB stream event. */
export type DynamoDbStreamEvent = z.infer<typeof DynamoDbStreamEventSchema>;
/** A DynamoDB stream event with a tumbling window. */
export type DynamoDbStreamTumblingWindowEvent = z.infer<
  typeof DynamoDbStreamTumblingWindowEventSchema
>;
/** The partial batch response of a DynamoDB stream function. */
export type DynamoDbStreamBatchResponse = z.input<typeof DynamoDbStreamBatchResponseSchema>;
/** What a DynamoDB stream function with a tumbling window returns. */
export type DynamoDbStreamTumblingWindowResult = z.input<
  typeof DynamoDbStreamTumblingWindowResultSchema
>;
