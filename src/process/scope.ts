/**
 * The invocation each piece of async work belongs to. The runtime runs every handler call
 * inside {@linkcode invocationScope}, so code anywhere below it — a logger, an SDK, a helper
 * three awaits deep — can ask which request it is serving, even with many in flight.
 *
 * The storage is kept under a global symbol rather than in this module alone, so that every
 * copy of this module shares it: the shipped bootstrap is one bundled file, and a handler that
 * imports Lambdeno from source (or through another specifier) still sees its invocations.
 *
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";
import type { Context } from "../runtime/context.ts";

const SLOT = Symbol.for("lambdeno.invocationScope");

function _shared(): AsyncLocalStorage<Context> {
  const slots = globalThis as unknown as Record<symbol, AsyncLocalStorage<Context> | undefined>;
  return slots[SLOT] ??= new AsyncLocalStorage<Context>();
}

/** Carries the current invocation's context through async calls. */
export const invocationScope: AsyncLocalStorage<Context> = _shared();

/**
 * The context of the invocation the caller is running for.
 *
 * @returns The context, or `undefined` outside any invocation (at init, for instance).
 *
 * @example Inside a handler
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { currentContext, invocationScope } from "./scope.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const ctx = { awsRequestId: "r1" } as Context;
 * await invocationScope.run(ctx, async () => {
 *   await Promise.resolve();
 *   equal(currentContext()?.awsRequestId, "r1");
 * });
 * equal(currentContext(), undefined);
 * ```
 */
export function currentContext(): Context | undefined {
  return invocationScope.getStore();
}
