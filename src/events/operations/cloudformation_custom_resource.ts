/**
 * AWS CloudFormation custom resource requests, and the response the function sends to the
 * pre-signed `ResponseURL`.
 *
 * @module
 */

import { z } from "zod";

// What the response must echo is required. CloudFormation also sends `ServiceToken`, at the top
// and in `ResourceProperties`, but `sam local generate-event`'s sample has neither.
const _common = {
  ServiceToken: z.string().optional(),
  ResponseURL: z.string(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  ResourceType: z.string().optional(),
  ResourceProperties: z.looseObject({ ServiceToken: z.string().optional() }),
};

/** A Create request: no physical id yet. */
export const CloudFormationCustomResourceCreateEventSchema = z.looseObject({
  ..._common,
  RequestType: z.literal("Create"),
});

/** An Update request: the physical id and the old properties. */
export const CloudFormationCustomResourceUpdateEventSchema = z.looseObject({
  ..._common,
  RequestType: z.literal("Update"),
  PhysicalResourceId: z.string(),
  OldResourceProperties: z.looseObject({}),
});

/** A Delete request. */
export const CloudFormationCustomResourceDeleteEventSchema = z.looseObject({
  ..._common,
  RequestType: z.literal("Delete"),
  PhysicalResourceId: z.string(),
});

/**
 * Any custom resource request, told apart by `RequestType`.
 *
 * @example An update must carry the old properties
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CloudFormationCustomResourceEventSchema } from "./cloudformation_custom_resource.ts";
 *
 * const create = {
 *   RequestType: "Create", ServiceToken: "arn:aws:lambda:eu-west-1:1:function:f",
 *   ResponseURL: "https://cfn-response", StackId: "arn:aws:cloudformation:eu-west-1:1:stack/s/1",
 *   RequestId: "r1", LogicalResourceId: "Thing", ResourceType: "Custom::Thing",
 *   ResourceProperties: { ServiceToken: "arn:aws:lambda:eu-west-1:1:function:f", Size: "3" },
 * };
 * equal(CloudFormationCustomResourceEventSchema.parse(create).RequestType, "Create");
 * equal(
 *   CloudFormationCustomResourceEventSchema.safeParse({ ...create, RequestType: "Update" }).success,
 *   false,
 * );
 * ```
 */
export const CloudFormationCustomResourceEventSchema = z.discriminatedUnion("RequestType", [
  CloudFormationCustomResourceCreateEventSchema,
  CloudFormationCustomResourceUpdateEventSchema,
  CloudFormationCustomResourceDeleteEventSchema,
]);

/** The body PUT to `ResponseURL`. */
export const CloudFormationCustomResourceResponseSchema = z.looseObject({
  Status: z.enum(["SUCCESS", "FAILED"]),
  Reason: z.string().optional(),
  PhysicalResourceId: z.string(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  NoEcho: z.boolean().optional(),
  Data: z.record(z.string(), z.unknown()).optional(),
});

/** A Create request. */
export type CloudFormationCustomResourceCreateEvent = z.infer<
  typeof CloudFormationCustomResourceCreateEventSchema
>;
/** An Update request. */
export type CloudFormationCustomResourceUpdateEvent = z.infer<
  typeof CloudFormationCustomResourceUpdateEventSchema
>;
/** A Delete request. */
export type CloudFormationCustomResourceDeleteEvent = z.infer<
  typeof CloudFormationCustomResourceDeleteEventSchema
>;
/** Any custom resource request. */
export type CloudFormationCustomResourceEvent = z.infer<
  typeof CloudFormationCustomResourceEventSchema
>;
/** The response to a custom resource request. */
export type CloudFormationCustomResourceResponse = z.input<
  typeof CloudFormationCustomResourceResponseSchema
>;
