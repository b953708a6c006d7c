/**
 * Runs a handler written with Powertools for AWS Lambda (TypeScript) in the real bootstrap, with
 * the variables Lambda sets for an on-demand function. The handler modules import Powertools by
 * the names in deno.json's import map, which the bootstrap resolves from the project root.
 *
 * @module
 */

import { type Bootstrap, startBootstrap } from "../../runtime/_bootstrap_support.ts";
import type {
  InvocationResult,
  InvokeOptions,
} from "../../../src/emulator/runtime_api_server/server.ts";

/** A trace header as Lambda sends it. */
export const TRACE_ID =
  "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

/**
 * Starts the bootstrap with `source` as `handlers/fn.js`, selected as `fn.handler`.
 *
 * @param source The handler module.
 * @param env More variables.
 * @returns The running bootstrap.
 */
export async function powertoolsFunction(
  source: string,
  env: Record<string, string> = {},
): Promise<Bootstrap> {
  return await startBootstrap({
    handler: "fn.handler",
    handlers: { "fn.js": source },
    env: {
      AWS_REGION: "us-east-1",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      LAMBDA_TASK_ROOT: "/var/task",
      ...env,
    },
  });
}

/**
 * The JSON answer of an invocation.
 *
 * @param result How the invocation ended.
 * @returns The parsed response.
 * @throws {Error} If it was not a buffered response.
 */
export function json(result: InvocationResult): unknown {
  if (result.kind !== "response") {
    throw new Error(`expected a response, got ${result.kind}: ${JSON.stringify(result)}`);
  }
  return result.json();
}

/**
 * The stdout lines that are JSON objects, parsed.
 *
 * @param b The bootstrap.
 * @returns The objects, in order.
 */
export function jsonLines(b: Bootstrap): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of b.lines) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // Not JSON after all.
    }
  }
  return out;
}

/**
 * Invokes the function, failing at once with its output if the bootstrap exits instead of
 * answering (a module that cannot load, say).
 *
 * @param b The bootstrap.
 * @param event The event.
 * @param options The request id, trace header and so on.
 * @returns How the invocation ended.
 */
export async function invoke(
  b: Bootstrap,
  event: unknown,
  options: InvokeOptions = {},
): Promise<InvocationResult> {
  return await b.invoke(event, options);
}
