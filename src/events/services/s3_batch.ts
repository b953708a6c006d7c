/**
 * Amazon S3 Batch Operations: the event a "Invoke AWS Lambda function" job sends for each task,
 * and the result the function returns. Schema version 1.0 names the bucket by ARN; 2.0 by name
 * and adds the job's user arguments.
 *
 * @module
 */

import { z } from "zod";

/** One object to process, as schema version 1.0 describes it. */
export const S3BatchTaskV1Schema = z.looseObject({
  taskId: z.string(),
  s3Key: z.string(),
  s3VersionId: z.string().nullish(),
  s3BucketArn: z.string(),
});

/** One object to process, as schema version 2.0 describes it. */
export const S3BatchTaskV2Schema = z.looseObject({
  taskId: z.string(),
  s3Key: z.string(),
  s3VersionId: z.string().nullish(),
  s3Bucket: z.string(),
});

/**
 * A Batch Operations invocation, either schema version. `s3Key` is URL-encoded.
 *
 * @example Read a 2.0 task and its user arguments
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { S3BatchEventSchema } from "./s3_batch.ts";
 *
 * const event = S3BatchEventSchema.parse({
 *   invocationSchemaVersion: "2.0", invocationId: "i1",
 *   job: { id: "j1", userArguments: { mode: "resize" } },
 *   tasks: [{ taskId: "t1", s3Key: "photo.jpg", s3VersionId: null, s3Bucket: "photos" }],
 * });
 * if (event.invocationSchemaVersion === "2.0") equal(event.tasks[0]?.s3Bucket, "photos");
 * equal(S3BatchEventSchema.safeParse({ ...event, invocationSchemaVersion: "3.0" }).success, false);
 * ```
 */
export const S3BatchEventSchema = z.discriminatedUnion("invocationSchemaVersion", [
  z.looseObject({
    invocationSchemaVersion: z.literal("1.0"),
    invocationId: z.string(),
    job: z.looseObject({ id: z.string() }),
    tasks: z.array(S3BatchTaskV1Schema),
  }),
  z.looseObject({
    invocationSchemaVersion: z.literal("2.0"),
    invocationId: z.string(),
    job: z.looseObject({
      id: z.string(),
      userArguments: z.record(z.string(), z.string()).nullish(),
    }),
    tasks: z.array(S3BatchTaskV2Schema),
  }),
]);

/**
 * What the function returns: one result per task. `TemporaryFailure` asks for a retry.
 *
 * @example A successful result
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { S3BatchResultSchema } from "./s3_batch.ts";
 *
 * const result = S3BatchResultSchema.parse({
 *   invocationSchemaVersion: "1.0", treatMissingKeysAs: "PermanentFailure", invocationId: "i1",
 *   results: [{ taskId: "t1", resultCode: "Succeeded", resultString: "done" }],
 * });
 * equal(result.results[0]?.resultCode, "Succeeded");
 * ```
 */
export const S3BatchResultSchema = z.looseObject({
  invocationSchemaVersion: z.enum(["1.0", "2.0"]),
  treatMissingKeysAs: z.enum(["Succeeded", "TemporaryFailure", "PermanentFailure"]).optional(),
  invocationId: z.string(),
  results: z.array(z.looseObject({
    taskId: z.string(),
    resultCode: z.enum(["Succeeded", "TemporaryFailure", "PermanentFailure"]),
    resultString: z.string().optional(),
  })),
});

/** A task of schema version 1.0. */
export type S3BatchTaskV1 = z.infer<typeof S3BatchTaskV1Schema>;
/** A task of schema version 2.0. */
export type S3BatchTaskV2 = z.infer<typeof S3BatchTaskV2Schema>;
/** A Batch Operations invocation. */
export type S3BatchEvent = z.infer<typeof S3BatchEventSchema>;
/** What a Batch Operations function returns. */
export type S3BatchResult = z.input<typeof S3BatchResultSchema>;
