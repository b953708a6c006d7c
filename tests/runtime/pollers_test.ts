/** Tests for the pollers: the one owner of polling, pipelined polls included. */

import { deepEqual, equal, rejects } from "node:assert/strict";
import type { Invocation } from "../../src/runtime/context.ts";
import type { ErrorBody } from "../../src/runtime/errors.ts";
import { Pollers } from "../../src/runtime/pollers.ts";
import type { AnsweredAndPolled, PipeliningRuntimeApi } from "../../src/runtime_api/requests.ts";
import { FakeRuntimeApi, FakeStopped } from "./_fake_runtime_api.ts";

/** The fake Runtime API, able to send a poll behind an answer as the real client does. */
class PipeliningFake extends FakeRuntimeApi implements PipeliningRuntimeApi {
  pipelined = 0;
  async respondAndPoll(invocation: Invocation, json: string): Promise<AnsweredAndPolled> {
    const status = await this.respond(invocation, json);
    this.pipelined++;
    return { status, next: this.next() };
  }
  async failAndPoll(invocation: Invocation, error: ErrorBody): Promise<AnsweredAndPolled> {
    const status = await this.fail(invocation, error);
    this.pipelined++;
    return { status, next: this.next() };
  }
}

Deno.test("Pollers open a poll only for a worker that asks for an invocation", async () => {
  const api = new FakeRuntimeApi();
  const pollers = new Pollers(api, { slots: 3 });
  const workers = [0, 1].map(() => pollers.invocations[Symbol.asyncIterator]());
  equal(api.openPolls, 0);
  const first = workers[0]!.next();
  await api.waitForPolls(1);
  equal(api.openPolls, 1);
  const second = workers[1]!.next();
  await api.waitForPolls(2);
  equal(api.openPolls, 2);
  api.push(1);
  api.push(2);
  deepEqual([(await first).value?.body, (await second).value?.body], ["1", "2"]);
  equal(api.openPolls, 0);
  api.stop();
});

Deno.test("Pollers send a worker's next poll behind its first answer only", async () => {
  const api = new PipeliningFake();
  const stop = new AbortController();
  const pollers = new Pollers(api, { slots: 1, pipeline: true, signal: stop.signal });
  const worker = pollers.invocations[Symbol.asyncIterator]();
  const taking = worker.next();
  api.push("a");
  const a = (await taking).value!;
  equal(await pollers.answers.respond(a, '"a"'), 202);
  equal(await pollers.answers.fail(a, { errorType: "E", errorMessage: "", trace: [] }), 202);
  equal(api.pipelined, 1);
  equal(api.openPolls, 1);
  // The worker asks again: it gets what the pipelined poll brings, and no other poll opens.
  const next = worker.next();
  api.push("b");
  equal((await next).value?.body, '"b"');
  equal(api.openPolls, 0);
  stop.abort();
});

Deno.test("Pollers stop polling when aborted, but hand out what an open pipelined poll brings", async () => {
  const api = new PipeliningFake();
  const stop = new AbortController();
  const pollers = new Pollers(api, { slots: 1, pipeline: true, signal: stop.signal });
  const worker = pollers.invocations[Symbol.asyncIterator]();
  const taking = worker.next();
  api.push("a");
  const a = (await taking).value!;
  await pollers.answers.respond(a, '"a"');
  equal(api.openPolls, 1);
  stop.abort();
  const next = worker.next();
  api.push("b");
  const b = (await next).value!;
  equal(b.body, '"b"');
  // Answered after the abort, so no poll goes behind it, and the invocations end.
  await pollers.answers.respond(b, '"b"');
  equal(api.pipelined, 1);
  deepEqual(await worker.next(), { value: undefined, done: true });
  equal(api.openPolls, 0);
});

Deno.test("Pollers end every worker's iteration with the Runtime API's failure", async () => {
  const api = new FakeRuntimeApi();
  const pollers = new Pollers(api, { slots: 2 });
  const workers = [0, 1].map(() => pollers.invocations[Symbol.asyncIterator]());
  const taking = workers.map((worker) => worker.next());
  await api.waitForPolls(2);
  api.stop();
  for (const take of taking) await rejects(take, FakeStopped);
});
