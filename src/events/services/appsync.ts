/**
 * AWS AppSync direct Lambda resolver events, single and batched.
 *
 * @module
 */

import { z } from "zod";

/**
 * The event a direct Lambda resolver receives for one field.
 *
 * @example Resolve `Query.getPost`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AppSyncResolverEventSchema } from "./appsync.ts";
 *
 * const event = AppSyncResolverEventSchema.parse({
 *   arguments: { id: "1" }, identity: null, source: null, prev: null, stash: {},
 *   request: { headers: { host: "example.com" }, domainName: null },
 *   info: {
 *     fieldName: "getPost", parentTypeName: "Query", variables: {},
 *     selectionSetList: ["id"], selectionSetGraphQL: "{ id }",
 *   },
 * });
 * equal(event.info.fieldName, "getPost");
 * ```
 */
export const AppSyncResolverEventSchema = z.looseObject({
  arguments: z.record(z.string(), z.unknown()),
  // Depends on the authorization mode: IAM, Cognito, OIDC, Lambda, or null for API keys.
  identity: z.looseObject({}).nullish(),
  source: z.record(z.string(), z.unknown()).nullish(),
  request: z.looseObject({
    headers: z.record(z.string(), z.string()).optional(),
    domainName: z.string().nullish(),
  }).optional(),
  prev: z.looseObject({ result: z.unknown() }).nullish(),
  info: z.looseObject({
    fieldName: z.string(),
    parentTypeName: z.string(),
    variables: z.record(z.string(), z.unknown()).optional(),
    selectionSetList: z.array(z.string()).optional(),
    selectionSetGraphQL: z.string().optional(),
  }),
  stash: z.record(z.string(), z.unknown()).optional(),
});

/** The event of a batching resolver: one entry per field to resolve. */
export const AppSyncBatchResolverEventSchema = z.array(AppSyncResolverEventSchema);

/** A direct Lambda resolver event. */
export type AppSyncResolverEvent = z.infer<typeof AppSyncResolverEventSchema>;
/** A batched direct Lambda resolver event. */
export type AppSyncBatchResolverEvent = z.infer<typeof AppSyncBatchResolverEventSchema>;
