/**
 * S3 Object Lambda events: a GetObject (or HeadObject, ListObjects) request routed through an
 * Object Lambda access point, which the function answers with `WriteGetObjectResponse`.
 *
 * @module
 */

import { z } from "zod";

/**
 * An S3 Object Lambda event. Exactly one of the `*Context` blocks is present, depending on the
 * operation.
 *
 * @example A GetObject request
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { S3ObjectLambdaEventSchema } from "./s3_object_lambda.ts";
 *
 * const event = S3ObjectLambdaEventSchema.parse({
 *   xAmzRequestId: "r1", protocolVersion: "1.00",
 *   getObjectContext: { inputS3Url: "https://presigned", outputRoute: "io-1", outputToken: "t" },
 *   configuration: {
 *     accessPointArn: "arn:aws:s3-object-lambda:eu-west-1:123456789012:accesspoint/olap",
 *     supportingAccessPointArn: "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap",
 *     payload: "",
 *   },
 *   userRequest: { url: "https://olap/key", headers: { Host: "olap" } },
 *   userIdentity: { type: "IAMUser", principalId: "p", arn: "arn", accountId: "123456789012" },
 * });
 * equal(event.getObjectContext?.outputRoute, "io-1");
 * ```
 */
export const S3ObjectLambdaEventSchema = z.looseObject({
  xAmzRequestId: z.string(),
  getObjectContext: z.looseObject({
    inputS3Url: z.string(),
    outputRoute: z.string(),
    outputToken: z.string(),
  }).optional(),
  headObjectContext: z.looseObject({ inputS3Url: z.string() }).optional(),
  listObjectsContext: z.looseObject({ inputS3Url: z.string() }).optional(),
  listObjectsV2Context: z.looseObject({ inputS3Url: z.string() }).optional(),
  configuration: z.looseObject({
    accessPointArn: z.string(),
    supportingAccessPointArn: z.string(),
    payload: z.string(),
  }),
  userRequest: z.looseObject({
    url: z.string(),
    headers: z.record(z.string(), z.string()),
  }),
  userIdentity: z.looseObject({
    type: z.string(),
    principalId: z.string(),
    arn: z.string(),
    accountId: z.string(),
    accessKeyId: z.string().optional(),
    sessionContext: z.looseObject({}).optional(),
  }),
  protocolVersion: z.string(),
});

/** An S3 Object Lambda event. */
export type S3ObjectLambdaEvent = z.infer<typeof S3ObjectLambdaEventSchema>;
