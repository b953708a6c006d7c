/**
 * The libraries Lambda users deploy on Node.js, each with the requests it is sent on API Gateway
 * REST (payload 1.0) and HTTP API (payload 2.0) events, and how an answer is reduced to what both
 * runtimes must agree on. `libraries_test.ts` runs them through Lambdeno's bootstrap;
 * `../differential.ts --libraries` runs them through AWS's Node.js runtime client too and keeps
 * its answers in `tests/fixtures/node_compat/library_answers.json`.
 *
 * @module
 */

import { sampleEvent } from "../../../src/events/samples/mod.ts";
import type { InvocationResult } from "../../../src/emulator/runtime_api_server/invocation_result.ts";

/** The handler modules, written as each library's documentation shows them. */
export const LIBRARY_HANDLERS: string =
  new URL("../../fixtures/node_compat/libraries/", import.meta.url).pathname;

/** Where the oracle's answers are kept. */
export const LIBRARY_FIXTURE: URL = new URL(
  "../../fixtures/node_compat/library_answers.json",
  import.meta.url,
);

/** One HTTP request, sent as an API Gateway event. */
export interface LibraryRequest {
  /** `v1` (a REST API's proxy event) or `v2` (an HTTP API's). */
  readonly format: "v1" | "v2";
  readonly method: "GET" | "POST";
  /** The path, with its query. */
  readonly path: string;
  /** A JSON body, sent as text with `Content-Type: application/json`. */
  readonly body?: string;
}

/** A library: its handler (`module.export`) and what it is sent. */
export interface Library {
  readonly name: string;
  readonly handler: string;
  readonly requests: readonly LibraryRequest[];
}

const ORDER = '{"item":"tea","quantity":2}';
const NO_QUANTITY = '{"item":"tea","quantity":0}';

/** What every HTTP framework is sent, in each format: a query, a body, its refusal, cookies, 404. */
const ROUTES: readonly LibraryRequest[] = (["v1", "v2"] as const).flatMap((format) => [
  { format, method: "GET", path: "/hello?name=deno" },
  { format, method: "POST", path: "/orders", body: ORDER },
  { format, method: "POST", path: "/orders", body: NO_QUANTITY },
  { format, method: "GET", path: "/cookies" },
  { format, method: "GET", path: "/missing" },
]);

/** Every library, in the order the check runs them. */
export const LIBRARIES: readonly Library[] = [
  {
    name: "middy",
    handler: "middy.handler",
    // middy has no routes: a body, its refusal (createError), malformed JSON, no JSON at all.
    requests: (["v1", "v2"] as const).flatMap((format) => [
      { format, method: "POST", path: "/orders", body: ORDER },
      { format, method: "POST", path: "/orders", body: NO_QUANTITY },
      { format, method: "POST", path: "/orders", body: "{not json" },
      { format, method: "GET", path: "/orders" },
    ]),
  },
  { name: "serverless-http + Express", handler: "serverless_http.handler", requests: ROUTES },
  {
    name: "@codegenie/serverless-express",
    handler: "serverless_express.handler",
    // Its 5.0.0 with Express 5 answers a route no handler matches with a 500 (ee.on is not a
    // function) on Node as here, a page with the library's stack in it: not sent.
    requests: ROUTES.filter((request) => request.path !== "/missing"),
  },
  { name: "@fastify/aws-lambda", handler: "fastify_lambda.handler", requests: ROUTES },
  { name: "hono/aws-lambda", handler: "hono_lambda.handler", requests: ROUTES },
];

/**
 * A request's name in the fixture, such as `v2 POST /orders {"item":"tea","quantity":2}`.
 *
 * @param request The request.
 * @returns Its name.
 */
export function requestName(request: LibraryRequest): string {
  const { format, method, path, body } = request;
  return `${format} ${method} ${path}${body === undefined ? "" : ` ${body}`}`;
}

/**
 * The event `deno task event` makes for a request.
 *
 * @param request The request.
 * @returns The API Gateway event.
 */
export function libraryEvent(request: LibraryRequest): Record<string, unknown> {
  const source = request.format === "v1" ? "api-gateway-rest" : "api-gateway-http";
  return sampleEvent(source, {
    method: [request.method],
    path: [request.path],
    ...(request.body === undefined
      ? {}
      : { body: [request.body], header: ["Content-Type: application/json"] }),
  });
}

/** The request id of the n-th invocation of a library, the same in both runtimes. */
export function requestId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** What an answer is reduced to. */
export type LibraryAnswer = Record<string, unknown>;

/**
 * Reduces a result to what both runtimes must agree on: the API Gateway response as JSON,
 * without the `Date` header Node's HTTP layer adds with the current time.
 *
 * @param result The invocation's result.
 * @returns The reduced answer.
 */
export function reduceLibraryAnswer(result: InvocationResult): LibraryAnswer {
  if (result.kind === "error") return { kind: "error", errorType: result.error.errorType };
  if (result.kind !== "response") return { kind: result.kind };
  const response = result.json() as Record<string, unknown>;
  for (const key of ["headers", "multiValueHeaders"]) {
    const headers = response[key];
    if (typeof headers !== "object" || headers === null) continue;
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === "date") delete (headers as Record<string, unknown>)[name];
    }
  }
  return { kind: "response", response };
}
