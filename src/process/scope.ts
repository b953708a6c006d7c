/**
 * The invocation each piece of async work belongs to. The runtime runs every handler call
 * inside {@linkcode invocationScope}, so code anywhere below it — a logger, an SDK, a helper
 * three awaits deep — can ask which request it is serving.
 *
 * With one invocation at a time (classic Lambda) the running invocation is simply the last one
 * started, and stays current until the next starts, as in Lambda's Node.js runtime: no
 * `AsyncLocalStorage`, so the cold start does not load Deno's Node.js layer (about 7 ms) for
 * it. With many at once (Managed Instances), {@linkcode useAsyncScope} switches to an
 * `AsyncLocalStorage` from `node:async_hooks`, which follows each invocation through its own
 * async calls; the runtime does so before its first concurrent invocation.
 *
 * The scope is kept under a global symbol rather than in this module alone, so that every copy
 * of this module shares it: the shipped bootstrap is one bundled file, and a handler that
 * imports Lambdeno from source (or through another specifier) still sees its invocations.
 *
 * @module
 */

import type { Context } from "../runtime/context.ts";

/** Where the current invocation is kept: the last one started, or an `AsyncLocalStorage`. */
export interface InvocationScope {
  /**
   * Calls `fn` as part of the invocation of `ctx`.
   *
   * @param ctx The invocation's context.
   * @param fn The work.
   * @param args Its arguments.
   * @returns What `fn` returns.
   */
  run<R, A extends unknown[]>(ctx: Context, fn: (...args: A) => R, ...args: A): R;
  /** @returns The context of the invocation the caller runs for, if any. */
  getStore(): Context | undefined;
}

/** The one scope of the process, shared by every copy of this module. */
interface _Shared {
  scope: InvocationScope;
  concurrent: boolean;
}

const SLOT = Symbol.for("lambdeno.invocationScope");

/** One invocation at a time: the current one is the last one started. */
class _LastStarted implements InvocationScope {
  #current: Context | undefined;
  run<R, A extends unknown[]>(ctx: Context, fn: (...args: A) => R, ...args: A): R {
    this.#current = ctx;
    return fn(...args);
  }
  getStore(): Context | undefined {
    return this.#current;
  }
}

function _shared(): _Shared {
  const slots = globalThis as unknown as Record<symbol, _Shared | undefined>;
  return slots[SLOT] ??= { scope: new _LastStarted(), concurrent: false };
}

/**
 * Carries the current invocation's context: delegates to the process's scope, whichever it is.
 */
export const invocationScope: InvocationScope = {
  run: (ctx, fn, ...args) => _shared().scope.run(ctx, fn, ...args),
  getStore: () => _shared().scope.getStore(),
};

/**
 * Switches the process to an `AsyncLocalStorage` scope, for invocations that run concurrently.
 * Loads `node:async_hooks` (and with it Deno's Node.js layer) on the first call only.
 *
 * @example Two invocations at once, each seeing its own context
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { currentContext, invocationScope, useAsyncScope } from "./scope.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * useAsyncScope();
 * const seen = await Promise.all(["r1", "r2"].map((id) =>
 *   invocationScope.run({ awsRequestId: id } as Context, async () => {
 *     await new Promise((resolve) => setTimeout(resolve, id === "r1" ? 2 : 1));
 *     return currentContext()?.awsRequestId;
 *   })
 * ));
 * deepEqual(seen, ["r1", "r2"]);
 * ```
 */
export function useAsyncScope(): void {
  const shared = _shared();
  if (shared.concurrent) return;
  const { AsyncLocalStorage } = process.getBuiltinModule("node:async_hooks");
  shared.scope = new AsyncLocalStorage<Context>();
  shared.concurrent = true;
}

/**
 * The context of the invocation the caller is running for.
 *
 * @returns The context, or `undefined` before the first invocation (at init, for instance).
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
 * ```
 */
export function currentContext(): Context | undefined {
  return _shared().scope.getStore();
}
