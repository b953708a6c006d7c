/**
 * Handlers written for Lambda's Node.js runtime, run unchanged. The Node runtime decides how to
 * call a handler from the function itself, once, when it loads it: a function marked by
 * `awslambda.streamifyResponse` gets a response stream, one that declares three or more
 * parameters (`handler.length >= 3`) gets a callback, and any other is called with the event and
 * the context and its result (or promise) is the answer. {@linkcode adaptHandler} makes the same
 * decision at load time, so an ordinary handler is called as it is, with nothing in between.
 *
 * A callback handler's invocation ends with whichever comes first: `callback(error)` or
 * `callback(null, result)`, `context.done`, `context.succeed`, `context.fail`, or the settling
 * of a promise it returns. Later calls are ignored with a warning.
 *
 * `context.callbackWaitsForEmptyEventLoop` is kept but has no effect: the answer is sent as soon
 * as the callback is called, as Node does when it is `false`. Node's `true` waits until the
 * event loop is empty, which Deno cannot observe from inside a runtime whose own poll for the
 * next event keeps the loop busy; and in Lambda, timers left pending only run when the sandbox
 * is thawed for a later invocation either way.
 *
 * @module
 */

import type { Context, Handler } from "../runtime/context.ts";
import { RuntimeError } from "../runtime/errors.ts";

/** The symbol `awslambda.streamifyResponse` marks a streaming handler with (Node's own). */
export const HANDLER_STREAMING: unique symbol = Symbol.for(
  "aws.lambda.runtime.handler.streaming",
);
/** The symbol that carries a streaming handler's `highWaterMark` (Node's own). */
export const HANDLER_HIGH_WATER_MARK: unique symbol = Symbol.for(
  "aws.lambda.runtime.handler.streaming.highWaterMark",
);

/** The Node.js callback: `callback(error)` fails the invocation, `callback(null, r)` answers. */
export type NodeCallback = (error?: unknown, result?: unknown) => void;

/** What the Node.js runtime adds to the context of a callback handler. */
export interface CallbackContext {
  /** Accepted for compatibility; the answer never waits for the event loop. */
  callbackWaitsForEmptyEventLoop: boolean;
  /** `done(error)` fails the invocation, `done(null, result)` answers it. */
  done(error?: unknown, result?: unknown): void;
  /** Answers the invocation with `result`. */
  succeed(result?: unknown): void;
  /** Fails the invocation with `error` (`"handled"` when none is given, as in Node). */
  fail(error?: unknown): void;
}

/** A handler in the Node.js callback style. */
export type CallbackHandler = (
  event: unknown,
  context: Context & CallbackContext,
  callback: NodeCallback,
) => unknown;

/** Options for {@linkcode adaptHandler}. */
export interface AdaptHandlerOptions {
  /** Receives warnings, such as a callback called twice. Defaults to `console.warn`. */
  readonly warn?: (message: string) => void;
  /** Builds the handler of a streaming function; without it such a function cannot load. */
  readonly streaming?: StreamingAdapter;
}

/** Builds the handler for a function marked by `awslambda.streamifyResponse`. */
export type StreamingAdapter = (
  fn: (...args: never[]) => unknown,
  options: { readonly highWaterMark: number | undefined; readonly warn: (m: string) => void },
) => Promise<Handler>;

/**
 * Decides once, at load time, how a loaded handler is called, as the Node.js runtime does.
 *
 * @param fn The exported function.
 * @param options Where warnings go, and how to build a streaming handler.
 * @returns `fn` itself for an ordinary handler, or a handler that calls it the Node.js way.
 * @throws {RuntimeError} `Runtime.MalformedStreamingHandler` for a streaming mark other than
 * response streaming, or when `options.streaming` is not given.
 *
 * @example A callback handler answers through its callback
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { adaptHandler } from "./handlers.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const handler = await adaptHandler(
 *   (event: unknown, _ctx: unknown, callback: (e: unknown, r: unknown) => void) =>
 *     setTimeout(() => callback(null, { got: event }), 1),
 * );
 * const ctx = { awsRequestId: "r1" } as Context;
 * equal(JSON.stringify(await handler(1, ctx)), '{"got":1}');
 * ```
 */
export async function adaptHandler(
  fn: (...args: never[]) => unknown,
  options: AdaptHandlerOptions = {},
): Promise<Handler> {
  // deno-lint-ignore no-console
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const marks = fn as unknown as Record<symbol, unknown>;
  const mark = marks[HANDLER_STREAMING];
  if (mark !== undefined && mark !== false) {
    if (mark !== "response") {
      throw new RuntimeError(
        "Runtime.MalformedStreamingHandler",
        `Cannot load the handler: it is marked for "${String(mark)}" streaming, ` +
          `and only response streaming is supported`,
      );
    }
    const streaming = options.streaming;
    if (streaming === undefined) {
      throw new RuntimeError(
        "Runtime.MalformedStreamingHandler",
        "Cannot load the handler: it is a response-streaming handler and no stream is provided",
      );
    }
    const hwm = Number(marks[HANDLER_HIGH_WATER_MARK]);
    return await streaming(fn, { highWaterMark: hwm > 0 ? hwm : undefined, warn });
  }
  if (fn.length >= 3) return callbackHandler(fn as unknown as CallbackHandler, warn);
  return fn as Handler;
}

/**
 * Calls a Node.js callback-style handler and settles with its first outcome.
 *
 * @param fn The handler.
 * @param warn Receives a warning for each outcome after the first.
 * @returns A handler whose promise settles with the first outcome.
 */
export function callbackHandler(fn: CallbackHandler, warn: (message: string) => void): Handler {
  return (event, context) =>
    new Promise((resolve, reject) => {
      let finished = false;
      const settle = (error: unknown, result: unknown): void => {
        finished = true;
        if (error === undefined || error === null) resolve(result);
        else reject(error);
      };
      const once =
        <A extends unknown[]>(name: string, call: (...args: A) => void) => (...args: A): void => {
          if (!finished) return call(...args);
          warn(
            `Ignored ${name}(): invocation ${context.awsRequestId} already has its answer; ` +
              `each invocation is answered once`,
          );
        };
      const callback = once(
        "callback",
        (error?: unknown, result?: unknown) => settle(error, result),
      );
      // Own properties on this invocation's context only: ordinary handlers never see them.
      Object.defineProperties(context, {
        done: { value: once("context.done", settle) },
        succeed: { value: once("context.succeed", (r?: unknown) => settle(null, r)) },
        fail: { value: once("context.fail", (e?: unknown) => settle(e ?? "handled", undefined)) },
      });
      let returned: unknown;
      try {
        returned = fn(event, context as Context & CallbackContext, callback);
      } catch (error) {
        // Node reports a throw through the callback, so a throw after it is ignored the same way.
        return callback(error ?? new Error(`Cannot run the handler: it threw ${String(error)}`));
      }
      if (_isThenable(returned)) {
        // The promise settling after an explicit callback is the usual async style, not a misuse.
        returned.then(
          (value) => finished || settle(null, value),
          (error) => finished || settle(error ?? "handled", undefined),
        );
      }
    });
}

function _isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
