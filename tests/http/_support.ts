/**
 * Shared pieces of the HTTP adapter's tests: fixtures, a context, and a way to read a result
 * back as a `Response` so the same assertions apply to `Deno.serve` and to the adapter.
 *
 * @module
 */

import { InvocationContext } from "../../src/runtime/context.ts";
import { invocation } from "../runtime/_fake_runtime_api.ts";
import type { HttpResult } from "../../src/http/mod.ts";

/** The names of the event fixtures in `tests/fixtures/http/`. */
export type FixtureName =
  | "api_gateway_v1"
  | "api_gateway_v2"
  | "function_url"
  | "alb"
  | "alb_multi_value";

/** A mutable JSON object, for tests that edit a fixture. */
export type Json = Record<string, unknown>;

/**
 * Loads a fresh copy of an event fixture.
 *
 * @param name The fixture's file name, without `.json`.
 * @returns The parsed event, safe to modify.
 */
export function fixture(name: FixtureName): Json {
  const url = new URL(`../fixtures/http/${name}.json`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)) as Json;
}

/**
 * A context for one invocation, far from its deadline.
 *
 * @param requestId The Lambda request id.
 * @returns The context.
 */
export function context(requestId = "lambda-request-1"): InvocationContext {
  return new InvocationContext(
    invocation({
      requestId,
      deadlineMs: Date.now() + 60_000,
      invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:hello",
    }),
    {
      functionName: "hello",
      functionVersion: "$LATEST",
      memoryLimitInMB: "128",
      logGroupName: "/aws/lambda/hello",
      logStreamName: "stream",
    },
  );
}

/**
 * Reads a buffered HTTP result back as the `Response` a client would see: body decoded from
 * base64 when so marked, headers gathered from `headers`, `multiValueHeaders` and `cookies`.
 *
 * @param result The adapter's result.
 * @returns The equivalent response.
 */
export function asResponse(result: HttpResult): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.append(name, value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const value of values) headers.append(name, value);
  }
  for (const cookie of result.cookies ?? []) headers.append("set-cookie", cookie);
  const body = result.isBase64Encoded ? Uint8Array.fromBase64(result.body) : result.body;
  const nullBody = result.statusCode === 204 || result.statusCode === 304;
  return new Response(nullBody ? null : body, { status: result.statusCode, headers });
}

/**
 * Replaces `console.error` while `fn` runs and returns what was logged.
 *
 * @param fn The code whose errors to capture.
 * @returns The arguments of each `console.error` call.
 */
export async function captureErrors(fn: () => Promise<unknown>): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => calls.push(args);
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return calls;
}
