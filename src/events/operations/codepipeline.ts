/**
 * AWS CodePipeline job events: a pipeline's Lambda invoke action. The function reports back with
 * `PutJobSuccessResult` or `PutJobFailureResult`.
 *
 * @module
 */

import { z } from "zod";

/** An input or output artifact, stored in S3. */
export const CodePipelineArtifactSchema = z.looseObject({
  name: z.string(),
  revision: z.string().nullish(),
  location: z.looseObject({
    type: z.literal("S3"),
    s3Location: z.looseObject({ bucketName: z.string(), objectKey: z.string() }),
  }),
});

/**
 * A CodePipeline job event.
 *
 * @example The job sits under the `CodePipeline.job` key
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CodePipelineJobEventSchema } from "./codepipeline.ts";
 *
 * const event = CodePipelineJobEventSchema.parse({
 *   "CodePipeline.job": {
 *     id: "j1", accountId: "123456789012",
 *     data: {
 *       actionConfiguration: { configuration: { FunctionName: "f", UserParameters: "x" } },
 *       inputArtifacts: [], outputArtifacts: [],
 *       artifactCredentials: { accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" },
 *     },
 *   },
 * });
 * equal(event["CodePipeline.job"].id, "j1");
 * ```
 */
export const CodePipelineJobEventSchema = z.looseObject({
  "CodePipeline.job": z.looseObject({
    id: z.string(),
    accountId: z.string().optional(),
    data: z.looseObject({
      actionConfiguration: z.looseObject({
        configuration: z.looseObject({
          FunctionName: z.string(),
          UserParameters: z.string().optional(),
        }),
      }),
      inputArtifacts: z.array(CodePipelineArtifactSchema),
      outputArtifacts: z.array(CodePipelineArtifactSchema),
      artifactCredentials: z.looseObject({
        accessKeyId: z.string(),
        secretAccessKey: z.string(),
        sessionToken: z.string(),
        expirationTime: z.number().optional(),
      }),
      continuationToken: z.string().optional(),
      encryptionKey: z.looseObject({ id: z.string(), type: z.string() }).optional(),
    }),
  }),
});

/** An artifact of a CodePipeline job. */
export type CodePipelineArtifact = z.infer<typeof CodePipelineArtifactSchema>;
/** A CodePipeline job event. */
export type CodePipelineJobEvent = z.infer<typeof CodePipelineJobEventSchema>;
