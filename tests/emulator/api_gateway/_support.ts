/**
 * An API on a free port whose functions are fakes that record each event and answer as told,
 * so that what API Gateway sends and does can be checked without starting runtimes.
 */

import type { ApiKind, ApiRoute } from "../../../src/builder/functions/api_routes.ts";
import { ApiGateway, type Invocable } from "../../../src/emulator/api_gateway/api_gateway.ts";
import type { Outcome } from "../../../src/emulator/sandbox/function_types.ts";

/** What a fake function does with an event: an answer to send as JSON, or an error to throw. */
export type FakeBehaviour = (event: Record<string, unknown>) => unknown;

/** A function's failure, as a fake's behaviour returns it. */
export class FakeError {
  constructor(readonly message: string) {}
}

/** A fake function: its events, in order. */
export interface Fake extends Invocable {
  readonly events: Record<string, unknown>[];
}

const encoder = new TextEncoder();

/**
 * A fake function.
 *
 * @param behaviour What it answers.
 * @returns It, recording events.
 */
export function fake(behaviour: FakeBehaviour): Fake {
  const events: Record<string, unknown>[] = [];
  return {
    events,
    invoke(text: string): Promise<Outcome> {
      const event = JSON.parse(text) as Record<string, unknown>;
      events.push(event);
      const answer = behaviour(event);
      if (answer instanceof FakeError) {
        return Promise.resolve({
          kind: "error",
          requestId: "fake",
          // As the runtime reports a thrown Error: its header's type, and the body's.
          errorType: "Function.Error",
          error: { errorType: "Error", errorMessage: answer.message, trace: [] },
        });
      }
      if (answer instanceof Promise) return answer as Promise<Outcome>;
      return Promise.resolve({
        kind: "response",
        requestId: "fake",
        contentType: "application/json",
        body: encoder.encode(JSON.stringify(answer)),
      });
    },
  };
}

/** A route, with the defaults filled in. */
export function route(
  api: ApiKind,
  method: string,
  path: string,
  extra: Partial<ApiRoute> = {},
): ApiRoute {
  return {
    api,
    event: "E",
    method,
    path,
    payloadFormatVersion: api === "rest" ? "1.0" : "2.0",
    ...extra,
  };
}

/**
 * Starts an API on a free port with fake functions.
 *
 * @param api The API kind.
 * @param routes Each route's function name and route.
 * @param functions The fakes by name.
 * @param options A clock and an integration timeout.
 * @returns The API and its log.
 */
export function startApi(
  api: ApiKind,
  routes: readonly [string, ApiRoute][],
  functions: Record<string, Fake>,
  options: { now?: () => number; integrationTimeoutMs?: number } = {},
): { gateway: ApiGateway; log: string[] } {
  const log: string[] = [];
  const gateway = ApiGateway.listen({
    api,
    hostname: "127.0.0.1",
    port: 0,
    region: "eu-west-1",
    resolve: (name) =>
      Promise.resolve(
        functions[name] ?? Response.json({ message: `no function ${name}` }, { status: 404 }),
      ),
    log: (line) => log.push(line),
    ...options,
  }, routes.map(([fn, r]) => ({ function: fn, route: r })));
  return { gateway, log };
}

/** An answer any HTTP route takes: the event back as JSON. */
export const echoEvent: FakeBehaviour = (event: Record<string, unknown>): unknown => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(event),
});
