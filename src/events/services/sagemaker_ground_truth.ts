/**
 * Amazon SageMaker Ground Truth custom labeling workflows: the pre-annotation function's event
 * (one data object, before workers see it) and result, and the annotation consolidation
 * function's event (the workers' answers, in S3) and result.
 *
 * @module
 */

import { z } from "zod";

/**
 * The event of a pre-annotation function: the data object to label, by S3 URI (`source-ref`)
 * or inline (`source`).
 *
 * @example An image in S3
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SageMakerGroundTruthPreHumanTaskEventSchema } from "./sagemaker_ground_truth.ts";
 *
 * const event = SageMakerGroundTruthPreHumanTaskEventSchema.parse({
 *   version: "2018-10-16",
 *   labelingJobArn: "arn:aws:sagemaker:eu-west-1:123456789012:labeling-job/cats",
 *   dataObject: { "source-ref": "s3://photos/cat-1.jpg" },
 * });
 * equal(event.dataObject["source-ref"], "s3://photos/cat-1.jpg");
 * ```
 */
export const SageMakerGroundTruthPreHumanTaskEventSchema = z.looseObject({
  version: z.string().optional(),
  labelingJobArn: z.string(),
  dataObject: z.looseObject({
    "source-ref": z.string().optional(),
    source: z.unknown().optional(),
  }),
});

/**
 * What a pre-annotation function returns: the task input the worker template reads, and whether
 * a person needs to label the object at all.
 */
export const SageMakerGroundTruthPreHumanTaskResultSchema = z.strictObject({
  taskInput: z.record(z.string(), z.unknown()),
  isHumanAnnotationRequired: z.enum(["true", "false"]).optional(),
});

/**
 * The event of an annotation consolidation function: where the workers' answers are
 * (`payload.s3Uri`), and the label attribute to write them under.
 */
export const SageMakerGroundTruthAnnotationConsolidationEventSchema = z.looseObject({
  version: z.string().optional(),
  labelingJobArn: z.string(),
  labelCategories: z.array(z.string()).nullish(),
  labelAttributeName: z.string(),
  roleArn: z.string().optional(),
  payload: z.looseObject({ s3Uri: z.string() }),
  outputConfig: z.string().optional(),
});

/**
 * What an annotation consolidation function returns: one consolidated annotation per data
 * object, under the job's label attribute name.
 *
 * @example One object's label
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SageMakerGroundTruthAnnotationConsolidationResultSchema } from "./sagemaker_ground_truth.ts";
 *
 * const result = [{
 *   datasetObjectId: "0",
 *   consolidatedAnnotation: { content: { "cat-or-dog": { label: "cat" } } },
 * }];
 * equal(SageMakerGroundTruthAnnotationConsolidationResultSchema.safeParse(result).success, true);
 * equal(SageMakerGroundTruthAnnotationConsolidationResultSchema.safeParse([{ datasetObjectId: "0" }]).success, false);
 * ```
 */
export const SageMakerGroundTruthAnnotationConsolidationResultSchema = z.array(z.looseObject({
  datasetObjectId: z.string(),
  consolidatedAnnotation: z.looseObject({ content: z.record(z.string(), z.unknown()) }),
}));

/** A pre-annotation function's event. */
export type SageMakerGroundTruthPreHumanTaskEvent = z.infer<
  typeof SageMakerGroundTruthPreHumanTaskEventSchema
>;
/** What a pre-annotation function returns. */
export type SageMakerGroundTruthPreHumanTaskResult = z.input<
  typeof SageMakerGroundTruthPreHumanTaskResultSchema
>;
/** An annotation consolidation function's event. */
export type SageMakerGroundTruthAnnotationConsolidationEvent = z.infer<
  typeof SageMakerGroundTruthAnnotationConsolidationEventSchema
>;
/** What an annotation consolidation function returns. */
export type SageMakerGroundTruthAnnotationConsolidationResult = z.input<
  typeof SageMakerGroundTruthAnnotationConsolidationResultSchema
>;
