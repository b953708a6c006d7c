/**
 * Faults that once took the runtime down or left an invocation unanswered, run through the real
 * bootstrap against the strict Runtime API server: values thrown from microtasks that Deno's own
 * error reporting cannot read, and error reports larger than Lambda accepts.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  type InvocationResult,
  MAX_BUFFERED_RESPONSE_BYTES,
} from "../../src/emulator/runtime_api_server/server.ts";
import { type Bootstrap, startBootstrap } from "./_bootstrap_support.ts";

/** Throws the value `event.throw` names from a microtask, then answers "fine" unless failed. */
const MICROTASK_THROWS = `
const values = {
  proxy: () => new Proxy({}, {}),
  revoked: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  type: () => new TypeError("thrown in a microtask"),
};
let arrived = 0;
let allArrived;
const all = new Promise((resolve) => allArrived = resolve);

export async function handler(event) {
  // With event.together, wait until that many invocations are in flight at once.
  if (event.together !== undefined && ++arrived === event.together) allArrived();
  if (event.together !== undefined) await all;
  const value = values[event.throw];
  if (value !== undefined) queueMicrotask(() => { throw value(); });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return "fine";
}
`;

function answer(result: InvocationResult): string {
  if (result.kind === "response") return `response ${result.text()}`;
  if (result.kind === "error") {
    return `error ${result.error.errorType}: ${result.error.errorMessage}`;
  }
  return result.kind;
}

/** Every invocation's answers, in order; the bootstrap exiting instead fails the test. */
async function answers(b: Bootstrap, events: unknown[]): Promise<string[]> {
  return (await Promise.all(events.map((event) => b.invoke(event)))).map(answer);
}

const HANDLED = "error handled: callback called with Error argument, but there was a problem " +
  "while retrieving one or more of its message, name, and stack";

Deno.test("bootstrap fails only the invocation whose microtask throws a Proxy, and goes on", async () => {
  await using b = await startBootstrap({
    handlers: { "h.js": MICROTASK_THROWS },
    handler: "h.handler",
  });
  const results: string[] = [];
  for (const event of [{ throw: "proxy" }, { throw: "revoked" }, { throw: "type" }, {}]) {
    results.push(...await answers(b, [event]));
  }
  equal(results[0], "error object: [object Object]");
  equal(results[1], HANDLED);
  equal(results[2], "error TypeError: thrown in a microtask");
  equal(results[3], 'response "fine"');
});

Deno.test("bootstrap at concurrency 4 answers all four in flight when microtasks throw Proxies", async () => {
  await using b = await startBootstrap({
    handlers: { "h.js": MICROTASK_THROWS },
    handler: "h.handler",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "4" },
  });
  // Four at once: a revoked Proxy, then a plain TypeError, from microtasks, beside two that
  // throw nothing; then four more, all ordinary, to the same process.
  const first = await answers(b, [
    { together: 4, throw: "revoked" },
    { together: 4, throw: "type" },
    { together: 4 },
    { together: 4 },
  ]);
  equal(first[0], HANDLED);
  equal(first[1], "error TypeError: thrown in a microtask");
  equal(first[2], 'response "fine"');
  equal(first[3], 'response "fine"');
  const second = await answers(b, [{}, { throw: "proxy" }, {}, {}]);
  equal(
    second.join("\n"),
    ['response "fine"', "error object: [object Object]", 'response "fine"', 'response "fine"'].join(
      "\n",
    ),
  );
});

Deno.test("bootstrap answers a 14 MB error cut to Lambda's limit, the trace first", async () => {
  await using b = await startBootstrap({
    handlers: {
      // A 7 MiB message, and the same again as the trace's first line.
      "h.js": `export function handler() { throw new Error("m".repeat(7 * 1024 * 1024)); }`,
    },
    handler: "h.handler",
  });
  const result = await b.invoke({});
  if (result.kind !== "error") throw new Error(`expected an error, got ${answer(result)}`);
  equal(result.error.errorType, "Error");
  ok(result.error.errorMessage.startsWith("mmmm"));
  ok(result.error.errorMessage.endsWith("…"));
  deepEqual(result.error.trace, []);
  const [posted] = b.server.requests.filter((r) => r.route === "error").map((r) => r.bodyBytes);
  ok(posted! <= MAX_BUFFERED_RESPONSE_BYTES && posted! > MAX_BUFFERED_RESPONSE_BYTES - 100);
});

Deno.test("bootstrap still answers an invocation whose error report the Runtime API refuses as too large", async () => {
  await using b = await startBootstrap({
    handlers: { "h.js": `export function handler() { throw new RangeError("no such order"); }` },
    handler: "h.handler",
  });
  b.server.failNext(413, { route: "error" });
  const refused = await b.invoke({});
  equal(answer(refused), "error RangeError: no such order");
  match(b.output(), /The error report for \S+ was refused as too large/);
  // The function goes on.
  equal(answer(await b.invoke({})), "error RangeError: no such order");
});
