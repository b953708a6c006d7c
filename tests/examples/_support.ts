/**
 * Shared pieces of the example functions' tests: Function URL events made from a fixture, and
 * contexts whose deadline signal the test controls.
 *
 * @module
 */

import type { Context } from "../../src/runtime/context.ts";

/** A mutable JSON object. */
export type Json = Record<string, unknown>;

/**
 * Loads a fixture from `tests/fixtures/examples/`.
 *
 * @param name The file name.
 * @returns Its text.
 */
export function fixtureText(name: string): string {
  return Deno.readTextFileSync(new URL(`../fixtures/examples/${name}`, import.meta.url));
}

/**
 * Loads a JSON fixture from `tests/fixtures/examples/`, a fresh copy each time.
 *
 * @param name The file name.
 * @returns The parsed value.
 */
export function fixtureJson(name: string): Json {
  return JSON.parse(fixtureText(name)) as Json;
}

/** The parts of a request that go into a Function URL event. */
export interface UrlRequest {
  readonly method?: string;
  /** The path as the client sent it, percent-encoding kept. */
  readonly path: string;
  readonly query?: string;
  /** Header names in lower case, as Function URLs send them. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Send the body base64-encoded, as Function URLs do for form posts. */
  readonly base64?: boolean;
}

/**
 * A Function URL event for a request, made from a recorded event so every other field is real.
 *
 * @param base The fixture's file name.
 * @param request The request.
 * @returns The event.
 */
export function functionUrlEvent(base: string, request: UrlRequest): Json {
  const event = fixtureJson(base);
  const context = event.requestContext as Json;
  const http = context.http as Json;
  const method = request.method ?? "GET";
  event.rawPath = request.path;
  event.rawQueryString = request.query ?? "";
  http.method = method;
  http.path = request.path;
  event.headers = { ...(event.headers as Json), ...request.headers };
  if (request.body === undefined) {
    delete event.body;
    event.isBase64Encoded = false;
  } else if (request.base64 === true) {
    event.body = new TextEncoder().encode(request.body).toBase64();
    event.isBase64Encoded = true;
  } else {
    event.body = request.body;
    event.isBase64Encoded = false;
  }
  return event;
}

/** A context for tests that drive the deadline by hand. */
export interface FakeContext extends Context {
  /** Aborts `signal`, as the runtime does at the deadline. */
  expire(): void;
}

/**
 * A context whose signal aborts only when the test says so.
 *
 * @param remainingMs What `getRemainingTimeInMillis()` answers.
 * @returns The context.
 */
export function fakeContext(remainingMs = 60_000): FakeContext {
  const controller = new AbortController();
  return {
    awsRequestId: "c0ffee00-1234-4abc-8def-0123456789ab",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:example",
    functionName: "example",
    functionVersion: "$LATEST",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/example",
    logStreamName: "2024/11/26/[$LATEST]0123456789abcdef",
    identity: undefined,
    clientContext: undefined,
    tenantId: undefined,
    deadlineMs: Date.now() + remainingMs,
    traceId: undefined,
    invocationId: undefined,
    signal: controller.signal,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => remainingMs,
    // The examples answer by returning; Node's answer-through-the-context calls are refused.
    succeed: () => _refuse("context.succeed"),
    fail: () => _refuse("context.fail"),
    done: () => _refuse("context.done"),
    expire: () =>
      controller.abort(new DOMException("The invocation reached its deadline", "TimeoutError")),
  };
}

/**
 * Runs `fn` with one console method silenced, for tests of requests a handler refuses or
 * reports and logs.
 *
 * @param fn What to run.
 * @param method Which console method to silence.
 * @returns What `fn` returns.
 */
export async function quietly<T>(
  fn: () => Promise<T>,
  method: "log" | "warn" = "warn",
): Promise<T> {
  const original = console[method];
  console[method] = () => {};
  try {
    return await fn();
  } finally {
    console[method] = original;
  }
}

function _refuse(name: string): never {
  throw new Error(`Cannot call ${name}() in this test: the examples answer by returning`);
}
