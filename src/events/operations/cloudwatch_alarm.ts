/**
 * CloudWatch alarm events: what an alarm whose action is a Lambda function sends when its state
 * changes, for metric alarms (with their metrics or metric math) and composite alarms.
 *
 * @module
 */

import { z } from "zod";

/** A state of the alarm. `reasonData` is a JSON document, as a string. */
export const CloudWatchAlarmStateSchema = z.looseObject({
  value: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]),
  reason: z.string().optional(),
  reasonData: z.string().optional(),
  timestamp: z.string().optional(),
  actionsSuppressedBy: z.string().optional(),
  actionsSuppressedReason: z.string().optional(),
});

/** One metric, or metric math expression, of a metric alarm. */
export const CloudWatchAlarmMetricSchema = z.looseObject({
  id: z.string(),
  expression: z.string().optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
  metricStat: z.looseObject({
    metric: z.looseObject({
      namespace: z.string().optional(),
      name: z.string(),
      dimensions: z.record(z.string(), z.string()).optional(),
    }),
    period: z.number(),
    stat: z.string(),
    unit: z.string().optional(),
  }).optional(),
});

/** How the alarm is configured: `metrics` for a metric alarm, `alarmRule` for a composite. */
export const CloudWatchAlarmConfigurationSchema = z.looseObject({
  description: z.string().nullish(),
  metrics: z.array(CloudWatchAlarmMetricSchema).optional(),
  alarmRule: z.string().optional(),
  actionsSuppressor: z.string().optional(),
  actionsSuppressorWaitPeriod: z.number().optional(),
  actionsSuppressorExtensionPeriod: z.number().optional(),
});

/**
 * The event an alarm sends to the function it invokes.
 *
 * @example Tell a new ALARM from the state before
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CloudWatchAlarmEventSchema } from "./cloudwatch_alarm.ts";
 *
 * const state = (value: string) => ({ value, reason: "r", timestamp: "2024-02-17T11:53:08.431+0000" });
 * const event = CloudWatchAlarmEventSchema.parse({
 *   source: "aws.cloudwatch", alarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a",
 *   accountId: "123456789012", time: "2024-02-17T11:53:08.431+0000", region: "eu-west-1",
 *   alarmData: {
 *     alarmName: "a", state: state("ALARM"), previousState: state("OK"),
 *     configuration: { metrics: [] },
 *   },
 * });
 * equal(event.alarmData.previousState.value, "OK");
 * ```
 */
export const CloudWatchAlarmEventSchema = z.looseObject({
  source: z.literal("aws.cloudwatch"),
  alarmArn: z.string(),
  accountId: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  alarmData: z.looseObject({
    alarmName: z.string(),
    state: CloudWatchAlarmStateSchema,
    previousState: CloudWatchAlarmStateSchema,
    configuration: CloudWatchAlarmConfigurationSchema.optional(),
  }),
});

/** A state of the alarm. */
export type CloudWatchAlarmState = z.infer<typeof CloudWatchAlarmStateSchema>;
/** One metric of a metric alarm. */
export type CloudWatchAlarmMetric = z.infer<typeof CloudWatchAlarmMetricSchema>;
/** How the alarm is configured. */
export type CloudWatchAlarmConfiguration = z.infer<typeof CloudWatchAlarmConfigurationSchema>;
/** A CloudWatch alarm event. */
export type CloudWatchAlarmEvent = z.infer<typeof CloudWatchAlarmEventSchema>;
