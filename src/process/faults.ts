/**
 * Faults raised by a handler's async work after it stopped watching: a promise nobody awaited
 * that rejects, a throw inside a timer callback. Each is reported as the error of the
 * invocation that caused it while that invocation is still open, and logged otherwise; none of
 * them takes the runtime down.
 *
 * How the invocation is found, in Deno: an `unhandledrejection` event is dispatched in the async
 * context of the code that rejected the promise, so the invocation scope is right there. An
 * `error` event (an uncaught throw) is not; so timer callbacks scheduled inside an invocation
 * are wrapped to catch their throw in their own context. Other uncaught throws are attributed
 * only when there is no doubt: one invocation at a time, and one running.
 *
 * @module
 */

import type { LevelLogger } from "./logging.ts";
import type { Context } from "../runtime/context.ts";
import type { InvocationFaults } from "../runtime/runtime.ts";
import { describeError, RuntimeError } from "../runtime/errors.ts";

/** What {@linkcode installFaultHandlers} needs. */
export interface FaultHandlerOptions {
  /** The invocation the caller runs for (`currentContext`). */
  readonly current: () => Context | undefined;
  /** Where faults that fail no invocation are reported. */
  readonly log: LevelLogger;
}

/** Installed fault handlers, which log every fault until a loop is attached. */
export interface FaultHandlers {
  /**
   * Attributes faults to the invocations of a loop from now on.
   *
   * @param invocations The loop (a `Runtime`).
   */
  attach(invocations: InvocationFaults): void;
}

/** The global functions {@linkcode installFaultHandlers} patches and listens on. */
export interface FaultTarget {
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  queueMicrotask: typeof queueMicrotask;
  addEventListener(type: "unhandledrejection", listener: (e: PromiseRejectionEvent) => void): void;
  addEventListener(type: "error", listener: (e: ErrorEvent) => void): void;
}

/**
 * Listens for unhandled rejections and uncaught exceptions, and wraps `setTimeout`,
 * `setInterval` and `queueMicrotask` so that a callback's throw is tied to the invocation that
 * scheduled it.
 *
 * @param options How to find the current invocation, and where to log.
 * @param target The global object. Defaults to `globalThis`.
 * @returns The handlers, to attach the loop to once it exists.
 */
export function installFaultHandlers(
  options: FaultHandlerOptions,
  target: FaultTarget = globalThis,
): FaultHandlers {
  let invocations: InvocationFaults | undefined;
  const report = (ctx: Context | undefined, error: unknown, what: string): void => {
    if (ctx !== undefined && invocations?.failInvocation(ctx, error)) return;
    const where = ctx === undefined ? "" : ` in invocation ${ctx.awsRequestId}, already answered`;
    options.log("ERROR", `${what}${where}: ${describeError(error)}`);
  };
  const owner = (): Context | undefined => options.current() ?? invocations?.soleInvocation();
  target.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const error = faultError("Runtime.UnhandledPromiseRejection", event.reason);
    report(owner(), error, "Unhandled promise rejection");
  });
  // Node posts an uncaught exception as it was thrown (its type is the error's name).
  target.addEventListener("error", (event) => {
    event.preventDefault();
    report(owner(), event.error, "Uncaught exception");
  });
  const guard = (callback: (...args: unknown[]) => void, ctx: Context | undefined) =>
    function (this: unknown, ...args: unknown[]): void {
      try {
        callback.apply(this, args);
      } catch (thrown) {
        report(ctx ?? invocations?.soleInvocation(), thrown, "Uncaught exception");
      }
    };
  // Outside an invocation (the runtime's own timers) the callback is passed through untouched.
  const wrap = <T extends typeof setTimeout | typeof setInterval>(original: () => T): T =>
    ((callback: unknown, delay?: number, ...args: unknown[]) => {
      const ctx = options.current();
      const run = ctx !== undefined && typeof callback === "function"
        ? guard(callback as (...args: unknown[]) => void, ctx)
        : callback;
      return original()(run as (...args: unknown[]) => void, delay, ...args);
    }) as T;
  // A microtask's throw is caught here, never by Deno: Deno's own report of an uncaught
  // exception reads the value, and a (revoked) Proxy thrown there broke every later report.
  const queue = target.queueMicrotask;
  target.queueMicrotask = (callback: VoidFunction) =>
    queue(
      typeof callback === "function"
        ? guard(callback as (...args: unknown[]) => void, options.current())
        : callback,
    );
  _replace(target, "setTimeout", wrap);
  _replace(target, "setInterval", wrap);
  return { attach: (attached) => void (invocations = attached) };
}

/**
 * Puts `wrap(original)` at `target[name]`, where `original` reads the function there on first
 * use. Deno defines its timer globals as getters that load the timers module when first read,
 * about a millisecond of start-up that a function which never sets a timer need not pay; the
 * getter is kept aside, and the property becomes a plain one.
 */
function _replace<K extends "setTimeout" | "setInterval">(
  target: FaultTarget,
  name: K,
  wrap: (original: () => FaultTarget[K]) => FaultTarget[K],
): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  const get = descriptor?.get;
  if (get === undefined) {
    const value = target[name];
    target[name] = wrap(() => value);
    return;
  }
  let value: FaultTarget[K] | undefined;
  Object.defineProperty(target, name, {
    value: wrap(() => value ??= get.call(target)),
    writable: true,
    enumerable: descriptor?.enumerable ?? true,
    configurable: true,
  });
}

/**
 * Describes a fault as a `Runtime.*` error that keeps the original's name, message and stack.
 *
 * @param errorType `Runtime.UnhandledPromiseRejection` or `Runtime.UncaughtException`.
 * @param reason What was thrown or rejected.
 * @returns The error to report.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { faultError } from "./faults.ts";
 *
 * const error = faultError("Runtime.UnhandledPromiseRejection", new TypeError("no"));
 * equal(error.errorType, "Runtime.UnhandledPromiseRejection");
 * equal(error.message, "TypeError: no");
 * ```
 */
export function faultError(errorType: string, reason: unknown): RuntimeError {
  const error = new RuntimeError(errorType, describeError(reason));
  // The original's frames say where it happened; this error's would point here.
  try {
    if (reason instanceof Error && typeof reason.stack === "string") error.stack = reason.stack;
  } catch {
    // A stack that cannot be read leaves this error's own.
  }
  return error;
}
