/**
 * AWS AppSync Events: what a channel namespace's Lambda handler receives when events are
 * published to a channel (`events`) or a client subscribes (`events` is `null`).
 *
 * @module
 */

import { z } from "zod";

/** One published event: its id and payload. */
export const AppSyncEventsItemSchema = z.looseObject({
  id: z.string(),
  payload: z.unknown(),
});

/**
 * An AppSync Events handler event.
 *
 * @example Read the channel and the published payloads
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { AppSyncEventsEventSchema } from "./appsync_events.ts";
 *
 * const event = AppSyncEventsEventSchema.parse({
 *   identity: null, result: null, error: null, prev: null, stash: {}, outErrors: [],
 *   request: { headers: {}, domainName: null },
 *   info: {
 *     channel: { path: "/default/orders", segments: ["default", "orders"] },
 *     channelNamespace: { name: "default" }, operation: "PUBLISH",
 *   },
 *   events: [{ id: "e1", payload: { total: 3 } }],
 * });
 * equal(event.info.channel.path, "/default/orders");
 * deepEqual(event.events?.[0]?.payload, { total: 3 });
 * ```
 */
export const AppSyncEventsEventSchema = z.looseObject({
  identity: z.unknown(),
  result: z.unknown(),
  request: z.looseObject({
    headers: z.record(z.string(), z.string()),
    domainName: z.string().nullable(),
  }),
  info: z.looseObject({
    channel: z.looseObject({ path: z.string(), segments: z.array(z.string()) }),
    channelNamespace: z.looseObject({ name: z.string() }),
    operation: z.enum(["PUBLISH", "SUBSCRIBE"]),
  }),
  error: z.unknown(),
  prev: z.unknown(),
  stash: z.record(z.string(), z.unknown()),
  outErrors: z.array(z.unknown()),
  events: z.array(AppSyncEventsItemSchema).nullable(),
});

/** One published event. */
export type AppSyncEventsItem = z.infer<typeof AppSyncEventsItemSchema>;
/** An AppSync Events handler event. */
export type AppSyncEventsEvent = z.infer<typeof AppSyncEventsEventSchema>;
