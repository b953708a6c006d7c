/**
 * AWS CodeDeploy lifecycle hooks: the event a deployment sends the function behind a hook
 * (`BeforeAllowTraffic`, `AfterAllowTraffic`, …), which reports back with
 * `PutLifecycleEventHookExecutionStatus`.
 *
 * @module
 */

import { z } from "zod";

/**
 * A lifecycle hook event: the deployment, and the execution id to report the status of.
 *
 * @example Both ids are required
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CodeDeployLifecycleHookEventSchema } from "./codedeploy.ts";
 *
 * const event = { DeploymentId: "d-ABC123", LifecycleEventHookExecutionId: "eyJlbmNy" };
 * equal(CodeDeployLifecycleHookEventSchema.parse(event).DeploymentId, "d-ABC123");
 * equal(CodeDeployLifecycleHookEventSchema.safeParse({ DeploymentId: "d-ABC123" }).success, false);
 * ```
 */
export const CodeDeployLifecycleHookEventSchema = z.looseObject({
  DeploymentId: z.string(),
  LifecycleEventHookExecutionId: z.string(),
});

/** A lifecycle hook event. */
export type CodeDeployLifecycleHookEvent = z.infer<typeof CodeDeployLifecycleHookEventSchema>;
