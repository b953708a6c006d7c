/**
 * Partial batch responses for SQS, Kinesis and DynamoDB Streams: each record is validated and
 * handled on its own, and only the records that failed are reported in `batchItemFailures`, so
 * only they are retried. The event source mapping must have `ReportBatchItemFailures` enabled.
 *
 * How records are scheduled:
 * - **SQS standard queues**: records are independent; up to `concurrency` run at once.
 * - **SQS FIFO queues** (the queue ARN ends in `.fifo`): records of one `MessageGroupId` run one
 *   at a time, in order; different groups run concurrently up to `concurrency`. When a record
 *   fails, the records after it in the same group are reported failed without being run, since
 *   AWS must redeliver them after it to keep the group's order.
 * - **Kinesis and DynamoDB Streams** (ordered shards): records run in order (one at a time by
 *   default). At the first failure no further record is started, and only the earliest failed
 *   record is reported: Lambda resumes the shard from the lowest reported sequence number, so
 *   everything after it is retried anyway.
 *
 * A record that fails the record schema is a failure of that record, not of the batch. An event
 * whose records cannot be identified (no `messageId` / sequence number) fails as a whole.
 *
 * @module
 */

import { z } from "zod";
import { DynamoDbStreamRecordSchema } from "./streams/dynamodb_stream.ts";
import { EventValidationError } from "./errors.ts";
import { KinesisStreamRecordSchema } from "./streams/kinesis.ts";
import { SqsRecordSchema } from "./streams/sqs.ts";

/** One record to retry. */
export interface BatchItemFailure {
  /** The SQS `messageId`, or the Kinesis / DynamoDB sequence number. */
  itemIdentifier: string;
}

/** What a handler returns to report a partial batch failure. */
export interface BatchResponse {
  /** The records to retry; empty when every record succeeded. */
  batchItemFailures: BatchItemFailure[];
}

/** Handles one record; a thrown error (or rejected promise) marks the record failed. */
export type RecordHandler<T> = (record: T, index: number) => unknown;

/** Options of the `process*Batch` functions. */
export interface BatchOptions<S extends z.ZodType> {
  /** The schema each record must match; the handler receives its output. */
  readonly schema?: S;
  /** How many records may be handled at once. Defaults to 1. */
  readonly concurrency?: number;
  /** Once aborted, no record is started; those not started are reported failed. */
  readonly signal?: AbortSignal;
  /** Told about each failure, for logging. Defaults to `console.error`. */
  readonly onError?: (error: unknown, itemIdentifier: string) => void;
}

/**
 * Handles the records of an SQS event, FIFO groups in order, and reports the failed ones.
 *
 * @param event The SQS event.
 * @param handler Handles one record (validated by `options.schema`, or the SQS record schema).
 * @param options Record schema, concurrency, abort signal, error callback.
 * @returns The failed `messageId`s, to return from the Lambda handler.
 * @throws {EventValidationError} When the event has no `Records` with a `messageId` each.
 * @throws {RangeError} When `concurrency` is not a positive integer.
 *
 * @example Report only the failed message
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { processSqsBatch } from "./batch.ts";
 *
 * const record = (messageId: string, body: string) => ({
 *   messageId, body, receiptHandle: "h", md5OfBody: "x", messageAttributes: {},
 *   attributes: {
 *     ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "s",
 *     ApproximateFirstReceiveTimestamp: "1",
 *   },
 *   eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:eu-west-1:1:q", awsRegion: "eu-west-1",
 * });
 * const event = { Records: [record("m1", "ok"), record("m2", "boom")] };
 * const result = await processSqsBatch(event, (r) => {
 *   if (r.body === "boom") throw new Error("cannot handle");
 * }, { onError: () => {} });
 * deepEqual(result, { batchItemFailures: [{ itemIdentifier: "m2" }] });
 * ```
 */
export async function processSqsBatch<S extends z.ZodType = typeof SqsRecordSchema>(
  event: unknown,
  handler: RecordHandler<z.output<S>>,
  options: BatchOptions<S> = {},
): Promise<BatchResponse> {
  const records = _records(event, _SqsIds);
  const fifo = records.some((r) => r.eventSourceARN?.endsWith(".fifo") === true);
  const items = records.map((r, index): _Item => ({
    id: r.messageId,
    index,
    group: fifo ? r.attributes?.MessageGroupId ?? "" : undefined,
  }));
  return await _process(
    event,
    items,
    fifo ? "grouped" : "unordered",
    SqsRecordSchema,
    handler,
    options,
  );
}

/**
 * Handles the records of a Kinesis event in order and reports the first failure.
 *
 * @param event The Kinesis event.
 * @param handler Handles one record (validated by `options.schema`, or the Kinesis record schema).
 * @param options Record schema, concurrency, abort signal, error callback.
 * @returns The earliest failed sequence number, if any.
 * @throws {EventValidationError} When the records have no `kinesis.sequenceNumber`.
 * @throws {RangeError} When `concurrency` is not a positive integer.
 */
export async function processKinesisBatch<S extends z.ZodType = typeof KinesisStreamRecordSchema>(
  event: unknown,
  handler: RecordHandler<z.output<S>>,
  options: BatchOptions<S> = {},
): Promise<BatchResponse> {
  const items = _records(event, _KinesisIds).map((r, index): _Item => ({
    id: r.kinesis.sequenceNumber,
    index,
    group: undefined,
  }));
  return await _process(event, items, "ordered", KinesisStreamRecordSchema, handler, options);
}

/**
 * Handles the records of a DynamoDB stream event in order and reports the first failure.
 *
 * @param event The DynamoDB Streams event.
 * @param handler Handles one record (validated by `options.schema`, or the stream record schema).
 * @param options Record schema, concurrency, abort signal, error callback.
 * @returns The earliest failed sequence number, if any.
 * @throws {EventValidationError} When the records have no `dynamodb.SequenceNumber`.
 * @throws {RangeError} When `concurrency` is not a positive integer.
 */
export async function processDynamoDbBatch<S extends z.ZodType = typeof DynamoDbStreamRecordSchema>(
  event: unknown,
  handler: RecordHandler<z.output<S>>,
  options: BatchOptions<S> = {},
): Promise<BatchResponse> {
  const items = _records(event, _DynamoDbIds).map((r, index): _Item => ({
    id: r.dynamodb.SequenceNumber,
    index,
    group: undefined,
  }));
  return await _process(event, items, "ordered", DynamoDbStreamRecordSchema, handler, options);
}

// Only what is needed to report a record; the rest is checked per record by the record schema.
const _SqsIds = z.object({
  messageId: z.string(),
  eventSourceARN: z.string().optional(),
  attributes: z.object({ MessageGroupId: z.string().optional() }).optional(),
});
const _KinesisIds = z.object({ kinesis: z.object({ sequenceNumber: z.string() }) });
const _DynamoDbIds = z.object({ dynamodb: z.object({ SequenceNumber: z.string() }) });

type _Mode = "unordered" | "grouped" | "ordered";

interface _Item {
  readonly id: string;
  readonly index: number;
  /** The FIFO message group, for grouped mode. */
  readonly group: string | undefined;
}

function _records<T extends z.ZodType>(event: unknown, ids: T): z.output<T>[] {
  const parsed = z.object({ Records: z.array(ids) }).safeParse(event);
  if (!parsed.success) throw new EventValidationError(parsed.error);
  return parsed.data.Records;
}

async function _process<S extends z.ZodType>(
  event: unknown,
  items: readonly _Item[],
  mode: _Mode,
  defaultSchema: z.ZodType,
  handler: RecordHandler<z.output<S>>,
  options: BatchOptions<S>,
): Promise<BatchResponse> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Cannot process batch: concurrency must be a positive integer`);
  }
  const schema: z.ZodType = options.schema ?? defaultSchema;
  const onError = options.onError ?? _logError;
  // `_records` has checked that `Records` is an array of the same length as `items`.
  const records = (event as { Records: unknown[] }).Records;

  const run = async (item: _Item): Promise<boolean> => {
    try {
      const parsed = await schema.safeParseAsync(records[item.index]);
      if (!parsed.success) throw new EventValidationError(parsed.error);
      // Without `options.schema`, S is the default record schema, which parsed the record.
      await handler(parsed.data as z.output<S>, item.index);
      return true;
    } catch (error) {
      onError(error, item.id);
      return false;
    }
  };
  const failed = mode === "ordered"
    ? await _ordered(items, concurrency, run, options.signal)
    : await _lanes(_toLanes(items, mode), concurrency, run, options.signal);
  return { batchItemFailures: failed.map((item) => ({ itemIdentifier: item.id })) };
}

function _toLanes(items: readonly _Item[], mode: _Mode): _Item[][] {
  if (mode === "unordered") return items.map((item) => [item]);
  const groups = new Map<string, _Item[]>();
  for (const item of items) {
    const key = item.group ?? "";
    const lane = groups.get(key);
    if (lane === undefined) groups.set(key, [item]);
    else lane.push(item);
  }
  return [...groups.values()];
}

/** Runs lanes on `concurrency` workers; a lane's items run in order, stopping at a failure. */
async function _lanes(
  lanes: readonly _Item[][],
  concurrency: number,
  run: (item: _Item) => Promise<boolean>,
  signal: AbortSignal | undefined,
): Promise<_Item[]> {
  const failed: _Item[] = [];
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++] ?? [];
      for (let i = 0; i < lane.length; i++) {
        const item = lane[i]!;
        if (signal?.aborted || !(await run(item))) {
          failed.push(...lane.slice(i));
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  return failed.sort((a, b) => a.index - b.index);
}

/** Runs items in order on `concurrency` workers, starting none after the first failure. */
async function _ordered(
  items: readonly _Item[],
  concurrency: number,
  run: (item: _Item) => Promise<boolean>,
  signal: AbortSignal | undefined,
): Promise<_Item[]> {
  let next = 0;
  const failed: _Item[] = [];
  const worker = async () => {
    while (failed.length === 0 && next < items.length) {
      const item = items[next++]!;
      if (signal?.aborted || !(await run(item))) failed.push(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  // With several workers a later record can fail first; the earliest is the checkpoint.
  failed.sort((a, b) => a.index - b.index);
  return failed.slice(0, 1);
}

function _logError(error: unknown, itemIdentifier: string): void {
  console.error(`Cannot process record ${itemIdentifier}:`, error);
}
