/**
 * Lambda's records of asynchronous invocations, as a function configured as an on-success or
 * on-failure destination receives them (an EventBridge destination carries the same record as
 * its `detail`: see `eventBridgeEventSchema` in `./eventbridge.ts`).
 *
 * @module
 */

import { z } from "zod";

const _requestContext = {
  requestId: z.string(),
  functionArn: z.string(),
  approximateInvokeCount: z.number().optional(),
};

/**
 * The record of an invocation that succeeded: the event it was given and what it returned.
 *
 * @example The returned value is in `responsePayload`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LambdaDestinationSuccessRecordSchema } from "./lambda_destination.ts";
 *
 * const record = LambdaDestinationSuccessRecordSchema.parse({
 *   version: "1.0", timestamp: "2024-01-02T03:04:05.000Z",
 *   requestContext: {
 *     requestId: "r1", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST",
 *     condition: "Success", approximateInvokeCount: 1,
 *   },
 *   requestPayload: { orderId: "o-1" },
 *   responseContext: { statusCode: 200, executedVersion: "$LATEST" },
 *   responsePayload: { shipped: true },
 * });
 * equal(record.requestContext.condition, "Success");
 * ```
 */
export const LambdaDestinationSuccessRecordSchema = z.looseObject({
  version: z.string().optional(),
  timestamp: z.string().optional(),
  requestContext: z.looseObject({ ..._requestContext, condition: z.literal("Success") }),
  requestPayload: z.unknown(),
  responseContext: z.looseObject({
    statusCode: z.number().optional(),
    executedVersion: z.string().optional(),
  }).optional(),
  responsePayload: z.unknown(),
});

/**
 * The record of an invocation that failed every attempt (`RetriesExhausted`) or waited too long
 * (`EventAgeExceeded`): the event, and the error when the function ran (`functionError`
 * `Unhandled`, or `Handled` for an error it returned).
 *
 * @example A success is not a failure
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LambdaDestinationFailureRecordSchema } from "./lambda_destination.ts";
 *
 * const record = {
 *   requestContext: {
 *     requestId: "r1", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST",
 *     condition: "RetriesExhausted", approximateInvokeCount: 3,
 *   },
 *   requestPayload: { orderId: "o-1" },
 *   responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
 *   responsePayload: { errorType: "Error", errorMessage: "boom" },
 * };
 * equal(LambdaDestinationFailureRecordSchema.parse(record).responseContext?.functionError, "Unhandled");
 * const success = { ...record, requestContext: { ...record.requestContext, condition: "Success" } };
 * equal(LambdaDestinationFailureRecordSchema.safeParse(success).success, false);
 * ```
 */
export const LambdaDestinationFailureRecordSchema = z.looseObject({
  version: z.string().optional(),
  timestamp: z.string().optional(),
  requestContext: z.looseObject({
    ..._requestContext,
    condition: z.string().refine((condition) => condition !== "Success", {
      error: "expected a failure's condition: a success's record is a " +
        "LambdaDestinationSuccessRecordSchema record",
    }),
  }),
  requestPayload: z.unknown(),
  responseContext: z.looseObject({
    statusCode: z.number().optional(),
    executedVersion: z.string().optional(),
    functionError: z.string().optional(),
  }).optional(),
  // The function's error (`errorType`, `errorMessage`, `stackTrace` or `trace`), when it ran.
  responsePayload: z.unknown(),
});

/** Either record, told apart by `requestContext.condition`. */
export const LambdaDestinationRecordSchema = z.union([
  LambdaDestinationSuccessRecordSchema,
  LambdaDestinationFailureRecordSchema,
]);

/** The record of an asynchronous invocation that succeeded. */
export type LambdaDestinationSuccessRecord = z.infer<typeof LambdaDestinationSuccessRecordSchema>;
/** The record of an asynchronous invocation that failed. */
export type LambdaDestinationFailureRecord = z.infer<typeof LambdaDestinationFailureRecordSchema>;
/** Either record of an asynchronous invocation. */
export type LambdaDestinationRecord = z.infer<typeof LambdaDestinationRecordSchema>;
