/**
 * What Kinesis and DynamoDB Streams events share: the fields of a tumbling window and the
 * partial batch response. Each source's schemas are built from these, so that the two stay
 * alike; a source module imports this, never the other source.
 *
 * @module
 */

import { z } from "zod";

/**
 * The records to retry (`ReportBatchItemFailures`): Lambda fails the whole batch on an empty
 * identifier or a misspelled key, so both are refused.
 */
export const batchItemFailures = z.array(z.strictObject({ itemIdentifier: z.string().min(1) }));

/** The state a function with a tumbling window returns, and gets back in the next event. */
export const windowState = z.record(z.string(), z.unknown());

/**
 * A tumbling-window event's fields beside its `Records`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { tumblingWindowFields } from "./stream_windows.ts";
 *
 * const Event = z.looseObject({ Records: z.array(z.unknown()), ...tumblingWindowFields });
 * equal(Event.safeParse({ Records: [], state: {} }).success, false);
 * ```
 */
export const tumblingWindowFields = {
  window: z.looseObject({ start: z.string(), end: z.string() }),
  state: windowState,
  shardId: z.string(),
  eventSourceARN: z.string(),
  isFinalInvokeForWindow: z.boolean(),
  isWindowTerminatedEarly: z.boolean(),
};
