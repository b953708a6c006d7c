/**
 * AWS Config custom rule events: what Config sends the function that evaluates a rule, on a
 * configuration change or on a schedule. `invokingEvent` and `ruleParameters` are JSON
 * documents as strings; `resultToken` goes back with `PutEvaluations`.
 *
 * @module
 */

import { z } from "zod";

/**
 * A Config rule evaluation event.
 *
 * @example Read the message type of the invoking event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ConfigRuleEventSchema } from "./config_rule.ts";
 *
 * const event = ConfigRuleEventSchema.parse({
 *   version: "1.0",
 *   invokingEvent: JSON.stringify({ messageType: "ScheduledNotification" }),
 *   ruleParameters: "{}", resultToken: "token", eventLeftScope: false,
 *   executionRoleArn: "arn:aws:iam::123456789012:role/config",
 *   configRuleArn: "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-1",
 *   configRuleName: "rule", configRuleId: "config-rule-1", accountId: "123456789012",
 * });
 * equal(JSON.parse(event.invokingEvent).messageType, "ScheduledNotification");
 * ```
 */
export const ConfigRuleEventSchema = z.looseObject({
  version: z.string().optional(),
  invokingEvent: z.string(),
  ruleParameters: z.string().optional(),
  resultToken: z.string(),
  eventLeftScope: z.boolean().optional(),
  executionRoleArn: z.string().optional(),
  configRuleArn: z.string().optional(),
  configRuleName: z.string().optional(),
  configRuleId: z.string().optional(),
  accountId: z.string().optional(),
  evaluationMode: z.enum(["DETECTIVE", "PROACTIVE"]).optional(),
});

/** A Config rule evaluation event. */
export type ConfigRuleEvent = z.infer<typeof ConfigRuleEventSchema>;
