/**
 * `globalThis.awslambda.InvokeStore`: the per-invocation store that the AWS SDK for JavaScript
 * v3 and Powertools read the request id and X-Ray trace id from (the contract of npm
 * `@aws/lambda-invoke-store`). The SDK's `InvokeStore.getInstanceAsync()` returns whatever the
 * runtime has put at that global, so it sees this one.
 *
 * It reads the invocation from {@linkcode invocationScope}, which the runtime already enters for
 * every handler call, so it costs nothing per invocation and, with one invocation at a time,
 * needs no `AsyncLocalStorage`; values a handler `set`s are kept per context, created on first
 * use. Only an explicit `run()` loads `node:async_hooks`.
 *
 * @module
 */

import type { AsyncLocalStorage } from "node:async_hooks";
import type { Context } from "../runtime/context.ts";
import { invocationScope } from "./scope.ts";

/** The protected keys of `@aws/lambda-invoke-store`, shared through the global symbol registry. */
export const PROTECTED_KEYS = {
  REQUEST_ID: Symbol.for("_AWS_LAMBDA_REQUEST_ID"),
  X_RAY_TRACE_ID: Symbol.for("_AWS_LAMBDA_X_RAY_TRACE_ID"),
  TENANT_ID: Symbol.for("_AWS_LAMBDA_TENANT_ID"),
  TRACEPARENT: Symbol.for("_AWS_LAMBDA_TRACEPARENT"),
  TRACESTATE: Symbol.for("_AWS_LAMBDA_TRACESTATE"),
  BAGGAGE: Symbol.for("_AWS_LAMBDA_BAGGAGE"),
} as const;

/** An invoke store context: protected symbol keys plus whatever the function sets. */
export type InvokeStoreContext = Record<string | symbol, unknown>;

const PROTECTED = new Set<string | symbol>(Object.values(PROTECTED_KEYS));

/**
 * The invoke store, backed by the runtime's invocation scope. Same methods as
 * `InvokeStoreBase` in `@aws/lambda-invoke-store`.
 *
 * @example The SDK's view of the current invocation
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { InvokeStore } from "./invoke_store.ts";
 * import { invocationScope } from "./scope.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const store = new InvokeStore();
 * const ctx = { awsRequestId: "r1", traceId: "Root=1-a-b" } as Context;
 * invocationScope.run(ctx, () => {
 *   equal(store.getRequestId(), "r1");
 *   equal(store.getXRayTraceId(), "Root=1-a-b");
 * });
 * // As in Node.js, an invocation stays current until the next starts.
 * equal(store.getRequestId(), "r1");
 * ```
 */
export class InvokeStore {
  /** The protected keys, as on `InvokeStoreBase`. */
  static readonly PROTECTED_KEYS: typeof PROTECTED_KEYS = PROTECTED_KEYS;
  readonly #contexts = new WeakMap<Context, InvokeStoreContext>();
  /** Only for explicit `run()` calls, which the runtime itself never makes. */
  #explicit: AsyncLocalStorage<InvokeStoreContext> | undefined;

  /** @returns The current context, or `undefined` outside an invocation. */
  getContext(): InvokeStoreContext | undefined {
    const explicit = this.#explicit?.getStore();
    if (explicit !== undefined) return explicit;
    const ctx = invocationScope.getStore();
    return ctx === undefined ? undefined : this.#contextOf(ctx);
  }

  /** @returns Whether the caller runs inside an invocation. */
  hasContext(): boolean {
    return this.getContext() !== undefined;
  }

  /**
   * @param key A protected key or a key the function set.
   * @returns The value, or `undefined`.
   */
  get<T = unknown>(key: string | symbol): T | undefined {
    const explicit = this.#explicit?.getStore();
    if (explicit !== undefined) return explicit[key] as T | undefined;
    const ctx = invocationScope.getStore();
    if (ctx === undefined) return undefined;
    // The common reads need no per-invocation object.
    if (key === PROTECTED_KEYS.REQUEST_ID) return ctx.awsRequestId as T;
    if (key === PROTECTED_KEYS.X_RAY_TRACE_ID) return ctx.traceId as T | undefined;
    if (key === PROTECTED_KEYS.TENANT_ID) return ctx.tenantId as T | undefined;
    return this.#contexts.get(ctx)?.[key] as T | undefined;
  }

  /**
   * Sets a value for the current invocation.
   *
   * @param key Any key but a protected one.
   * @param value The value.
   * @throws {Error} If the key is protected, or there is no current invocation.
   */
  set<T = unknown>(key: string | symbol, value: T): void {
    if (PROTECTED.has(key)) {
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    }
    const context = this.getContext();
    if (context === undefined) throw new Error("No context available");
    context[key] = value;
  }

  /**
   * Runs `fn` with `context` as the current context.
   *
   * @param context The context.
   * @param fn The function.
   * @returns What `fn` returns.
   */
  run<T>(context: InvokeStoreContext, fn: () => T): T {
    // Loaded on first use only: the runtime itself never calls this.
    this.#explicit ??= new (process.getBuiltinModule("node:async_hooks").AsyncLocalStorage)();
    return this.#explicit.run(context, fn);
  }

  /** @returns The request id, or `"-"` outside an invocation. */
  getRequestId(): string {
    return this.get<string>(PROTECTED_KEYS.REQUEST_ID) ?? "-";
  }

  /** @returns The X-Ray trace header of the current invocation. */
  getXRayTraceId(): string | undefined {
    return this.get<string>(PROTECTED_KEYS.X_RAY_TRACE_ID);
  }

  /** @returns The tenant id of the current invocation. */
  getTenantId(): string | undefined {
    return this.get<string>(PROTECTED_KEYS.TENANT_ID);
  }

  /** @returns The W3C `traceparent`, when set. */
  getTraceparent(): string | undefined {
    return this.get<string>(PROTECTED_KEYS.TRACEPARENT);
  }

  /** @returns The W3C `tracestate`, when set. */
  getTracestate(): string | undefined {
    return this.get<string>(PROTECTED_KEYS.TRACESTATE);
  }

  /** @returns The W3C `baggage`, when set. */
  getBaggage(): string | undefined {
    return this.get<string>(PROTECTED_KEYS.BAGGAGE);
  }

  #contextOf(ctx: Context): InvokeStoreContext {
    let context = this.#contexts.get(ctx);
    if (context === undefined) {
      context = {
        [PROTECTED_KEYS.REQUEST_ID]: ctx.awsRequestId,
        [PROTECTED_KEYS.X_RAY_TRACE_ID]: ctx.traceId,
        [PROTECTED_KEYS.TENANT_ID]: ctx.tenantId,
      };
      this.#contexts.set(ctx, context);
    }
    return context;
  }
}

/**
 * Puts `store` at `globalThis.awslambda.InvokeStore`, unless something is already there.
 *
 * @param store The store.
 * @param target The global object. Defaults to `globalThis`.
 * @returns The store that is installed.
 */
export function installInvokeStore(
  store: InvokeStore,
  target: { awslambda?: unknown } = globalThis as { awslambda?: unknown },
): unknown {
  const existing = target.awslambda;
  const awslambda = (typeof existing === "object" && existing !== null ? existing : {}) as {
    InvokeStore?: unknown;
  };
  target.awslambda = awslambda;
  awslambda.InvokeStore ??= store;
  return awslambda.InvokeStore;
}
