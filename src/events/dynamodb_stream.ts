/**
 * Amazon DynamoDB Streams events: item-level changes, with keys and images in DynamoDB's
 * attribute-value JSON. `unmarshall` in `./unmarshall.ts` turns images into plain objects.
 *
 * @module
 */

import { z } from "zod";

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
  eventVersion: z.string(),
  eventSource: z.literal("aws:dynamodb"),
  awsRegion: z.string(),
  eventSourceARN: z.string(),
  dynamodb: z.looseObject({
    ApproximateCreationDateTime: z.number().optional(),
    Keys: AttributeMapSchema,
    NewImage: AttributeMapSchema.optional(),
    OldImage: AttributeMapSchema.optional(),
    SequenceNumber: z.string(),
    SizeBytes: z.number(),
    StreamViewType: z.enum(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]),
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
  Records: z.array(DynamoDbStreamRecordSchema),
});

/** An item or key in attribute-value JSON. */
export type AttributeMap = z.infer<typeof AttributeMapSchema>;
/** One DynamoDB stream record. */
export type DynamoDbStreamRecord = z.infer<typeof DynamoDbStreamRecordSchema>;
/** A DynamoDB stream event. */
export type DynamoDbStreamEvent = z.infer<typeof DynamoDbStreamEventSchema>;
