/**
 * Amazon S3 events: the classic bucket notification (`Records[].s3`) and the EventBridge form
 * S3 sends when EventBridge notifications are enabled on the bucket.
 *
 * @module
 */

import { z } from "zod";

/** One S3 notification record. `eventSource` must be `aws:s3`. */
export const S3RecordSchema = z.looseObject({
  eventVersion: z.string().optional(),
  eventSource: z.literal("aws:s3"),
  awsRegion: z.string().optional(),
  eventTime: z.string().optional(),
  eventName: z.string(),
  userIdentity: z.looseObject({ principalId: z.string() }).optional(),
  requestParameters: z.looseObject({ sourceIPAddress: z.string() }).optional(),
  responseElements: z.looseObject({
    "x-amz-request-id": z.string().optional(),
    "x-amz-id-2": z.string().optional(),
  }).optional(),
  s3: z.looseObject({
    s3SchemaVersion: z.string().optional(),
    configurationId: z.string().optional(),
    bucket: z.looseObject({
      name: z.string(),
      ownerIdentity: z.looseObject({ principalId: z.string() }).optional(),
      arn: z.string().optional(),
    }),
    object: z.looseObject({
      // URL-encoded, with spaces as `+`.
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      // Orders the events of one key; absent from some of AWS's own samples.
      sequencer: z.string().optional(),
    }),
  }),
  glacierEventData: z.looseObject({}).optional(),
});

/**
 * An S3 bucket notification.
 *
 * @example An object was created
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { S3EventSchema } from "./s3.ts";
 *
 * const event = S3EventSchema.parse({
 *   Records: [{
 *     eventVersion: "2.1", eventSource: "aws:s3", awsRegion: "eu-west-1",
 *     eventTime: "2024-01-01T00:00:00.000Z", eventName: "ObjectCreated:Put",
 *     userIdentity: { principalId: "p" }, requestParameters: { sourceIPAddress: "192.0.2.1" },
 *     responseElements: { "x-amz-request-id": "r", "x-amz-id-2": "i" },
 *     s3: {
 *       s3SchemaVersion: "1.0", configurationId: "c",
 *       bucket: { name: "b", ownerIdentity: { principalId: "p" }, arn: "arn:aws:s3:::b" },
 *       object: { key: "a+b.txt", size: 3, eTag: "e", sequencer: "0A" },
 *     },
 *   }],
 * });
 * equal(event.Records[0]?.s3.object.key, "a+b.txt");
 * ```
 */
export const S3EventSchema = z.looseObject({
  Records: z.array(S3RecordSchema).min(1),
});

/** The `detail` of an S3 event delivered through EventBridge. */
export const S3EventBridgeDetailSchema = z.looseObject({
  version: z.string().optional(),
  bucket: z.looseObject({ name: z.string() }),
  object: z.looseObject({
    key: z.string(),
    size: z.number().optional(),
    etag: z.string().optional(),
    "version-id": z.string().optional(),
    sequencer: z.string().optional(),
  }),
  "request-id": z.string().optional(),
  requester: z.string().optional(),
  "source-ip-address": z.string().optional(),
  reason: z.string().optional(),
  "deletion-type": z.string().optional(),
});

/** An S3 event delivered through EventBridge (`source` is `aws.s3`). */
export const S3EventBridgeEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string(),
  "detail-type": z.string(),
  source: z.literal("aws.s3"),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: S3EventBridgeDetailSchema,
});

/** One S3 notification record. */
export type S3Record = z.infer<typeof S3RecordSchema>;
/** An S3 bucket notification. */
export type S3Event = z.infer<typeof S3EventSchema>;
/** The `detail` of an S3 EventBridge event. */
export type S3EventBridgeDetail = z.infer<typeof S3EventBridgeDetailSchema>;
/** An S3 event delivered through EventBridge. */
export type S3EventBridgeEvent = z.infer<typeof S3EventBridgeEventSchema>;
