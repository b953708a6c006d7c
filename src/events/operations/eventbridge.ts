/**
 * Amazon EventBridge events: the generic envelope with any `detail`, a builder for a typed
 * `detail`, and the scheduled-rule event.
 *
 * @module
 */

import { z } from "zod";

// What identifies and routes an event is required; the rest, which some of AWS's own samples
// leave out (`sam local generate-event`'s scheduled event has no `version`), is optional.
const _envelope = {
  version: z.string().optional(),
  id: z.string(),
  "detail-type": z.string(),
  source: z.string(),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  "replay-name": z.string().optional(),
};

/**
 * An EventBridge event with an unchecked `detail`.
 *
 * @example A custom event
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { EventBridgeEventSchema } from "./eventbridge.ts";
 *
 * const event = EventBridgeEventSchema.parse({
 *   version: "0", id: "1", "detail-type": "OrderPlaced", source: "shop", account: "123456789012",
 *   time: "2024-01-01T00:00:00Z", region: "eu-west-1", resources: [], detail: { id: 7 },
 * });
 * equal(event["detail-type"], "OrderPlaced");
 * ```
 */
export const EventBridgeEventSchema = z.looseObject({ ..._envelope, detail: z.unknown() });

/**
 * Builds the schema of an EventBridge event whose `detail` matches `detail`.
 *
 * @param detail The schema of `detail`.
 * @returns The event schema.
 *
 * @example Type the detail
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { eventBridgeEventSchema } from "./eventbridge.ts";
 *
 * const OrderPlaced = eventBridgeEventSchema(z.object({ id: z.number() }));
 * const event = OrderPlaced.parse({
 *   version: "0", id: "1", "detail-type": "OrderPlaced", source: "shop", account: "1",
 *   time: "2024-01-01T00:00:00Z", region: "eu-west-1", resources: [], detail: { id: 7 },
 * });
 * equal(event.detail.id, 7);
 * ```
 */
export function eventBridgeEventSchema<D extends z.ZodType>(
  detail: D,
): z.ZodObject<typeof _envelope & { detail: D }, z.core.$loose> {
  return z.looseObject({ ..._envelope, detail });
}

/** The event a scheduled EventBridge rule sends: `source` `aws.events`, an empty `detail`. */
export const ScheduledEventSchema = z.looseObject({
  ..._envelope,
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
  detail: z.looseObject({}),
});

/** An EventBridge event with an unchecked `detail`. */
export type EventBridgeEvent = z.infer<typeof EventBridgeEventSchema>;
/** A scheduled-rule event. */
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;
