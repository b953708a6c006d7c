import { equal, ok } from "node:assert/strict";
import { EventQueue } from "../../src/emulator/sandbox/event_queue.ts";

Deno.test("EventQueue keeps its storage bounded under a backlog that never drains", async () => {
  const queue = new EventQueue(4, 1);
  const total = 20_000;
  let ran = 0;
  let most = 0;
  const done = Promise.withResolvers<void>();
  // Each event queues the next, so the queue never empties while the events keep running.
  const job = () => {
    ran++;
    most = Math.max(most, queue.slots);
    if (ran < total) ok(queue.offer(job));
    else done.resolve();
    return Promise.resolve();
  };
  for (let i = 0; i < 4; i++) ok(queue.offer(job));
  await done.promise;
  equal(ran, total);
  ok(most <= 100, `the queue held ${most} slots for at most 4 waiting events`);
  await queue.close();
});
