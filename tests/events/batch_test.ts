// Partial batch responses: scheduling, FIFO groups, ordered shards, invalid records.
import { deepEqual, equal, rejects } from "node:assert/strict";
import { z } from "zod";
import {
  processDynamoDbBatch,
  processKinesisBatch,
  processSqsBatch,
} from "../../src/events/batch.ts";
import { EventValidationError } from "../../src/events/errors.ts";
import { SqsRecordSchema } from "../../src/events/streams/sqs.ts";

const quiet = { onError: () => {} };

function sqsRecord(id: string, body: string, group?: string, queue = "q"): Record<string, unknown> {
  return {
    messageId: id,
    receiptHandle: "h",
    body,
    md5OfBody: "x",
    messageAttributes: {},
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1",
      SenderId: "s",
      ApproximateFirstReceiveTimestamp: "1",
      ...(group === undefined ? {} : { MessageGroupId: group }),
    },
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${queue}`,
    awsRegion: "eu-west-1",
  };
}

/** Lets other tasks run, so concurrent handlers overlap without any timer. */
async function yieldTurns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

function ids(result: { batchItemFailures: { itemIdentifier: string }[] }): string[] {
  return result.batchItemFailures.map((f) => f.itemIdentifier);
}

Deno.test("processSqsBatch() reports nothing when every record succeeds", async () => {
  const seen: string[] = [];
  const result = await processSqsBatch(
    { Records: [sqsRecord("a", "1"), sqsRecord("b", "2")] },
    (r) => void seen.push(r.body),
  );
  deepEqual(result, { batchItemFailures: [] });
  deepEqual(seen, ["1", "2"]);
});

Deno.test("processSqsBatch() reports only the records whose handler failed", async () => {
  const errors: string[] = [];
  const records = ["a", "b", "c", "d"].map((id) => sqsRecord(id, id));
  const result = await processSqsBatch({ Records: records }, async (r) => {
    await yieldTurns(1);
    if (r.body === "b" || r.body === "d") throw new Error(`bad ${r.body}`);
  }, { concurrency: 2, onError: (_e, id) => errors.push(id) });
  deepEqual(ids(result), ["b", "d"]);
  deepEqual(errors.sort(), ["b", "d"]);
});

Deno.test("processSqsBatch() fails a record that does not match the record schema, not the batch", async () => {
  const Order = SqsRecordSchema.extend({
    body: z.string().transform((s) => JSON.parse(s)).pipe(z.object({ id: z.number() })),
  });
  const got: number[] = [];
  const failures: unknown[] = [];
  const result = await processSqsBatch(
    {
      Records: [
        sqsRecord("a", '{"id":1}'),
        sqsRecord("b", '{"id":"x"}'),
        sqsRecord("c", '{"id":3}'),
      ],
    },
    (r) => void got.push(r.body.id),
    { schema: Order, onError: (e) => failures.push(e) },
  );
  deepEqual(ids(result), ["b"]);
  deepEqual(got, [1, 3]);
  equal(failures[0] instanceof EventValidationError, true);
  equal((failures[0] as Error).message, "Invalid event: body.id: expected number, received string");
});

Deno.test("processSqsBatch() fails the whole batch when a record has no messageId", async () => {
  const record = sqsRecord("a", "x");
  delete record.messageId;
  await rejects(processSqsBatch({ Records: [record] }, () => {}), {
    name: "EventValidationError",
    message: "Invalid event: Records[0].messageId: expected string, received undefined",
  });
});

Deno.test("processSqsBatch() never has more records in flight than the concurrency limit", async () => {
  for (const concurrency of [1, 3, 20]) {
    let inFlight = 0;
    let max = 0;
    const records = Array.from({ length: 10 }, (_, i) => sqsRecord(`m${i}`, "x"));
    await processSqsBatch({ Records: records }, async () => {
      max = Math.max(max, ++inFlight);
      await yieldTurns();
      inFlight--;
    }, { concurrency });
    equal(max, Math.min(concurrency, 10), `concurrency ${concurrency}`);
  }
});

Deno.test("processSqsBatch() rejects a concurrency that is not a positive integer", async () => {
  await rejects(processSqsBatch({ Records: [] }, () => {}, { concurrency: 0 }), RangeError);
});

Deno.test("processSqsBatch() runs a FIFO group in order, one record at a time, groups in parallel", async () => {
  const records = [
    sqsRecord("a1", "a1", "A", "q.fifo"),
    sqsRecord("b1", "b1", "B", "q.fifo"),
    sqsRecord("a2", "a2", "A", "q.fifo"),
    sqsRecord("b2", "b2", "B", "q.fifo"),
    sqsRecord("a3", "a3", "A", "q.fifo"),
  ];
  const order: string[] = [];
  const perGroup = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  let maxPerGroup = 0;
  const result = await processSqsBatch({ Records: records }, async (r) => {
    const group = r.attributes.MessageGroupId ?? "";
    const n = (perGroup.get(group) ?? 0) + 1;
    perGroup.set(group, n);
    maxPerGroup = Math.max(maxPerGroup, n);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await yieldTurns();
    order.push(r.body);
    perGroup.set(group, n - 1);
    inFlight--;
  }, { concurrency: 5 });
  deepEqual(result.batchItemFailures, []);
  equal(maxPerGroup, 1);
  equal(maxInFlight, 2);
  deepEqual(order.filter((b) => b.startsWith("a")), ["a1", "a2", "a3"]);
  deepEqual(order.filter((b) => b.startsWith("b")), ["b1", "b2"]);
});

Deno.test("processSqsBatch() fails the rest of a FIFO group after a failure, other groups go on", async () => {
  const records = [
    sqsRecord("a1", "a1", "A", "q.fifo"),
    sqsRecord("a2", "fail", "A", "q.fifo"),
    sqsRecord("b1", "b1", "B", "q.fifo"),
    sqsRecord("a3", "a3", "A", "q.fifo"),
    sqsRecord("b2", "b2", "B", "q.fifo"),
  ];
  const ran: string[] = [];
  const result = await processSqsBatch({ Records: records }, (r) => {
    ran.push(r.messageId);
    if (r.body === "fail") throw new Error("fail");
  }, { concurrency: 2, ...quiet });
  deepEqual(ids(result), ["a2", "a3"]);
  deepEqual(ran.sort(), ["a1", "a2", "b1", "b2"]);
});

Deno.test("processSqsBatch() treats group ids on a standard queue as unordered", async () => {
  const records = [sqsRecord("a1", "fail", "A"), sqsRecord("a2", "ok", "A")];
  const result = await processSqsBatch({ Records: records }, (r) => {
    if (r.body === "fail") throw new Error("fail");
  }, quiet);
  deepEqual(ids(result), ["a1"]);
});

Deno.test("processSqsBatch() reports records not started once the signal aborts", async () => {
  const controller = new AbortController();
  const records = ["a", "b", "c"].map((id) => sqsRecord(id, id));
  const result = await processSqsBatch({ Records: records }, (r) => {
    if (r.body === "a") controller.abort();
  }, { signal: controller.signal });
  deepEqual(ids(result), ["b", "c"]);
});

function kinesisRecord(seq: string, data: string): Record<string, unknown> {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: "p",
      sequenceNumber: seq,
      data: btoa(data),
      approximateArrivalTimestamp: 1,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::1:role/r",
    awsRegion: "eu-west-1",
    eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream/s",
  };
}

Deno.test("processKinesisBatch() stops at the first failure and reports only it", async () => {
  const ran: string[] = [];
  const records = ["1", "2", "3", "4"].map((s) => kinesisRecord(s, s === "2" ? "fail" : "ok"));
  const result = await processKinesisBatch({ Records: records }, (r) => {
    ran.push(r.kinesis.sequenceNumber);
    if (atob(r.kinesis.data) === "fail") throw new Error("fail");
  }, quiet);
  deepEqual(ids(result), ["2"]);
  deepEqual(ran, ["1", "2"]);
});

Deno.test("processKinesisBatch() with concurrency reports the earliest failure", async () => {
  let inFlight = 0;
  let max = 0;
  const records = ["1", "2", "3", "4", "5"].map((s) => kinesisRecord(s, s));
  const result = await processKinesisBatch({ Records: records }, async (r) => {
    max = Math.max(max, ++inFlight);
    const seq = r.kinesis.sequenceNumber;
    // "3" fails at once, "2" fails later: "2" is still the checkpoint.
    await yieldTurns(seq === "2" ? 10 : 1);
    inFlight--;
    if (seq === "2" || seq === "3") throw new Error("fail");
  }, { concurrency: 3, ...quiet });
  deepEqual(ids(result), ["2"]);
  equal(max, 3);
});

Deno.test("processKinesisBatch() fails an invalid record and stops there", async () => {
  const records = [kinesisRecord("1", "a"), { ...kinesisRecord("2", "b"), eventSource: "aws:sqs" }];
  const ran: string[] = [];
  const result = await processKinesisBatch({ Records: records }, (r) => {
    ran.push(r.kinesis.sequenceNumber);
  }, quiet);
  deepEqual(ids(result), ["2"]);
  deepEqual(ran, ["1"]);
});

Deno.test("processDynamoDbBatch() reports the sequence number of the first failure", async () => {
  const url = new URL("../fixtures/events/dynamodb_stream.json", import.meta.url);
  const event = JSON.parse(await Deno.readTextFile(url));
  const result = await processDynamoDbBatch(event, (r) => {
    if (r.eventName === "MODIFY") throw new Error("fail");
  }, quiet);
  deepEqual(ids(result), ["222"]);
  deepEqual(await processDynamoDbBatch(event, () => {}), { batchItemFailures: [] });
});
