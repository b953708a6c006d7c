/** Tests for the backpressured channel that hands invocations from pollers to workers. */

import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { Channel, ChannelClosedError } from "../../src/runtime/channel.ts";

/** Lets every already-queued promise reaction run, so "still pending" can be observed. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { readonly done: boolean; readonly promise: Promise<T> } {
  const state = { done: false, promise };
  promise.then(() => state.done = true, () => state.done = true);
  return state;
}

async function collect<T>(channel: Channel<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const value of channel) seen.push(value);
  return seen;
}

Deno.test("Channel.send() on a rendezvous channel waits until the value is received", async () => {
  const channel = new Channel<string>();
  const sent = track(channel.send("a"));
  await settle();
  equal(sent.done, false);
  equal(channel.size, 1);
  equal(await channel.receive(), "a");
  await sent.promise;
  equal(sent.done, true);
  equal(channel.size, 0);
});

Deno.test("Channel.receive() waits until a value is sent", async () => {
  const channel = new Channel<number>(2);
  const received = track(channel.receive());
  await settle();
  equal(received.done, false);
  await channel.send(7);
  equal(await received.promise, 7);
});

Deno.test("Channel.send() completes at once while the buffer has room", async () => {
  const channel = new Channel<number>(3);
  const sends = [track(channel.send(1)), track(channel.send(2)), track(channel.send(3))];
  await settle();
  ok(sends.every((s) => s.done));
  equal(channel.size, 3);
  deepEqual([await channel.receive(), await channel.receive(), await channel.receive()], [1, 2, 3]);
});

Deno.test("Channel.send() waits while the buffer is full and resumes in FIFO order", async () => {
  const channel = new Channel<number>(1);
  await channel.send(1);
  const order: number[] = [];
  const second = channel.send(2).then(() => order.push(2));
  const third = channel.send(3).then(() => order.push(3));
  await settle();
  deepEqual(order, []);
  equal(channel.size, 3);

  equal(await channel.receive(), 1);
  await settle();
  // Only the first waiting sender got room; the buffer is full again.
  deepEqual(order, [2]);
  equal(await channel.receive(), 2);
  await Promise.all([second, third]);
  deepEqual(order, [2, 3]);
  equal(await channel.receive(), 3);
  equal(channel.size, 0);
});

Deno.test("Channel.receive() serves waiting receivers in FIFO order", async () => {
  const channel = new Channel<string>();
  const first = channel.receive();
  const second = channel.receive();
  await channel.send("x");
  await channel.send("y");
  deepEqual(await Promise.all([first, second]), ["x", "y"]);
});

Deno.test("Channel close() ends a for-await loop after the buffer is drained", async () => {
  const channel = new Channel<number>(3);
  await channel.send(1);
  await channel.send(2);
  channel.close();
  equal(channel.closed, true);
  deepEqual(await collect(channel), [1, 2]);
});

Deno.test("Channel close() ends a for-await loop that is waiting for a value", async () => {
  const channel = new Channel<number>();
  const seen = collect(channel);
  await channel.send(1);
  await settle();
  channel.close();
  deepEqual(await seen, [1]);
});

Deno.test("Channel close(reason) makes for-await throw the reason after draining", async () => {
  const channel = new Channel<number>(2);
  await channel.send(1);
  await channel.send(2);
  const reason = new Error("poller failed");
  channel.close(reason);
  const seen: number[] = [];
  await rejects(
    async () => {
      for await (const n of channel) seen.push(n);
    },
    (error) => error === reason,
  );
  deepEqual(seen, [1, 2]);
});

Deno.test("Channel close(reason) makes a waiting for-await throw the reason", async () => {
  const channel = new Channel<number>();
  const seen = collect(channel);
  await settle();
  const reason = new Error("shutting down");
  channel.close(reason);
  await rejects(seen, (error) => error === reason);
});

Deno.test("Channel.send() on a closed channel rejects with ChannelClosedError", async () => {
  const channel = new Channel<number>(1);
  const reason = new Error("why");
  channel.close(reason);
  await rejects(channel.send(1), (error) => {
    ok(error instanceof ChannelClosedError);
    equal(error.name, "ChannelClosedError");
    equal(error.message, "Cannot send: the channel is closed");
    equal(error.cause, reason);
    return true;
  });
});

Deno.test("Channel.receive() on a closed, drained channel rejects with ChannelClosedError", async () => {
  const channel = new Channel<number>(1);
  await channel.send(1);
  channel.close();
  equal(await channel.receive(), 1);
  await rejects(channel.receive(), (error) => {
    ok(error instanceof ChannelClosedError);
    ok(error.message.includes("closed and drained"), error.message);
    return true;
  });
});

Deno.test("Channel close() rejects the senders still waiting", async () => {
  const channel = new Channel<number>(1);
  await channel.send(1);
  const waiting = [channel.send(2), channel.send(3)];
  const reason = new Error("stop");
  channel.close(reason);
  for (const send of waiting) {
    await rejects(send, (error) => error instanceof ChannelClosedError && error.cause === reason);
  }
  // The buffered value is still delivered; the rejected ones are not.
  equal(await channel.receive(), 1);
  await rejects(channel.receive(), ChannelClosedError);
});

Deno.test("Channel close() rejects the receivers still waiting", async () => {
  const channel = new Channel<number>();
  const waiting = [channel.receive(), channel.receive()];
  const reason = new Error("stop");
  channel.close(reason);
  for (const receive of waiting) {
    await rejects(
      receive,
      (error) => error instanceof ChannelClosedError && error.cause === reason,
    );
  }
});

Deno.test("Channel close() twice keeps the first reason", async () => {
  const channel = new Channel<number>();
  const first = new Error("first");
  channel.close(first);
  channel.close(new Error("second"));
  await rejects(channel.send(1), (error) => error instanceof Error && error.cause === first);
});

Deno.test("Channel.send() gives up when its signal aborts and leaves the queue", async () => {
  const channel = new Channel<string>();
  const controller = new AbortController();
  const cancelled = channel.send("cancelled", { signal: controller.signal });
  const kept = channel.send("kept");
  equal(channel.size, 2);
  const reason = new Error("gave up");
  controller.abort(reason);
  await rejects(cancelled, (error) => error === reason);
  equal(channel.size, 1);
  equal(await channel.receive(), "kept");
  await kept;
});

Deno.test("Channel.receive() gives up when its signal aborts, and the next waiter gets the value", async () => {
  const channel = new Channel<string>();
  const controller = new AbortController();
  const cancelled = channel.receive({ signal: controller.signal });
  const next = channel.receive();
  controller.abort(new Error("gave up"));
  await rejects(cancelled, { message: "gave up" });
  await channel.send("v");
  equal(await next, "v");
});

Deno.test("Channel.receive() with an already aborted signal rejects without waiting", async () => {
  const channel = new Channel<string>();
  const controller = new AbortController();
  controller.abort(new Error("already"));
  await rejects(channel.receive({ signal: controller.signal }), { message: "already" });
  // Nothing was queued: a rendezvous send still waits for a real receiver.
  const sent = track(channel.send("v"));
  await settle();
  equal(sent.done, false);
  equal(await channel.receive(), "v");
});

Deno.test("Channel operations ignore an abort after they completed", async () => {
  const channel = new Channel<string>();
  const controller = new AbortController();
  const received = channel.receive({ signal: controller.signal });
  await channel.send("v");
  equal(await received, "v");
  controller.abort();
  await settle();
  equal(channel.size, 0);
});

Deno.test("Channel is closed at the end of a using block", () => {
  const channel = new Channel<number>();
  {
    using scoped = channel;
    equal(scoped.closed, false);
  }
  equal(channel.closed, true);
});

Deno.test("Channel is closed at the end of an await using block", async () => {
  const channel = new Channel<number>();
  {
    await using scoped = channel;
    equal(scoped.closed, false);
  }
  equal(channel.closed, true);
});

Deno.test("Channel constructor rejects a capacity that is not a non-negative integer", () => {
  for (const capacity of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    throws(() => new Channel(capacity), (error) => {
      ok(error instanceof RangeError);
      ok(error.message.startsWith("Cannot create channel:"), error.message);
      return true;
    });
  }
});

Deno.test("Channel delivers every value exactly once to many consumers from many producers", async () => {
  for (const capacity of [0, 1, 7]) {
    const channel = new Channel<number>(capacity);
    const producers = 6;
    const perProducer = 200;
    const produced = Array.from({ length: producers }, async (_, p) => {
      for (let i = 0; i < perProducer; i++) await channel.send(p * perProducer + i);
    });
    const consumed = Array.from({ length: 4 }, () => collect(channel));
    await Promise.all(produced);
    channel.close();
    const perConsumer = await Promise.all(consumed);
    const all = perConsumer.flat().sort((a, b) => a - b);
    deepEqual(all, Array.from({ length: producers * perProducer }, (_, i) => i));
    // Each producer's values arrive in the order it sent them.
    for (const values of perConsumer) {
      for (let p = 0; p < producers; p++) {
        const mine = values.filter((v) => Math.floor(v / perProducer) === p);
        deepEqual(mine, [...mine].sort((a, b) => a - b));
      }
    }
  }
});
