/**
 * AWS AppSync Lambda authorizers: the event an API with `AWS_LAMBDA` authorization sends for a
 * request, and the result that allows or denies it.
 *
 * @module
 */

import { z } from "zod";

/**
 * The event an AppSync Lambda authorizer receives: the token from the `Authorization` header,
 * the GraphQL operation, and (in recent events) the request's headers.
 *
 * @example Read the token
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AppSyncAuthorizerEventSchema } from "./appsync_authorizer.ts";
 *
 * const event = AppSyncAuthorizerEventSchema.parse({
 *   authorizationToken: "Bearer t",
 *   requestContext: {
 *     apiId: "a1", accountId: "123456789012", requestId: "r1",
 *     queryString: "query { me { id } }", operationName: null, variables: {},
 *   },
 * });
 * equal(event.authorizationToken, "Bearer t");
 * ```
 */
export const AppSyncAuthorizerEventSchema = z.looseObject({
  authorizationToken: z.string(),
  requestContext: z.looseObject({
    apiId: z.string(),
    accountId: z.string().optional(),
    requestId: z.string(),
    // aws-lambda-java-events names it `queryDocument`.
    queryString: z.string().optional(),
    operationName: z.string().nullish(),
    variables: z.record(z.string(), z.unknown()).nullish(),
  }),
  requestHeaders: z.record(z.string(), z.string()).optional(),
});

/**
 * What an AppSync Lambda authorizer returns. `resolverContext` reaches the resolvers as
 * `$ctx.identity.resolverContext`; an HTTP API authorizer's `context` is refused, as AppSync
 * would drop it.
 *
 * @example Allow, hiding one field
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AppSyncAuthorizerResultSchema } from "./appsync_authorizer.ts";
 *
 * const ok = (result: object) => AppSyncAuthorizerResultSchema.safeParse(result).success;
 * equal(ok({ isAuthorized: true, resolverContext: { user: "ada" }, deniedFields: ["Query.secret"], ttlOverride: 60 }), true);
 * equal(ok({ isAuthorized: true, context: { user: "ada" } }), false);
 * ```
 */
export const AppSyncAuthorizerResultSchema = z.strictObject({
  isAuthorized: z.boolean(),
  resolverContext: z.record(z.string(), z.unknown()).optional(),
  // Field names (`Type.field`) or field ARNs.
  deniedFields: z.array(z.string()).optional(),
  // Seconds the result is cached; 0 turns caching off.
  ttlOverride: z.number().int().min(0).optional(),
});

/** An AppSync Lambda authorizer event. */
export type AppSyncAuthorizerEvent = z.infer<typeof AppSyncAuthorizerEventSchema>;
/** What an AppSync Lambda authorizer returns. */
export type AppSyncAuthorizerResult = z.input<typeof AppSyncAuthorizerResultSchema>;
