/**
 * AWS Secrets Manager rotation events: one invocation per rotation step.
 *
 * @module
 */

import { z } from "zod";

/**
 * A rotation step request.
 *
 * @example The step must be one of the four rotation steps
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SecretsManagerRotationEventSchema } from "./secrets_manager.ts";
 *
 * const event = {
 *   Step: "createSecret", ClientRequestToken: "t1",
 *   SecretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
 * };
 * equal(SecretsManagerRotationEventSchema.parse(event).Step, "createSecret");
 * equal(SecretsManagerRotationEventSchema.safeParse({ ...event, Step: "rotate" }).success, false);
 * ```
 */
export const SecretsManagerRotationEventSchema = z.looseObject({
  Step: z.enum(["createSecret", "setSecret", "testSecret", "finishSecret"]),
  SecretId: z.string(),
  ClientRequestToken: z.string(),
  // Sent when the rotation function must pass it back to GetSecretValue/PutSecretValue.
  RotationToken: z.string().optional(),
});

/** A rotation step request. */
export type SecretsManagerRotationEvent = z.infer<typeof SecretsManagerRotationEventSchema>;
