/**
 * Handlers written for Lambda's Node.js runtime, run unchanged. The Node runtime decides how to
 * call a handler from the function itself, once, when it loads it: a function marked by
 * `awslambda.streamifyResponse` gets a response stream, one that declares three or more
 * parameters (`handler.length >= 3`) gets a callback, and any other is called with the event and
 * the context and its result (or promise) is the answer. {@linkcode adaptHandler} makes the same
 * decision at load time, so an async handler is called as it is, with nothing in between.
 *
 * A callback handler's invocation ends, as on Node 22, with whichever comes first:
 * `callback(error)` (at once), `callback(null, result)` (once the event loop has no work left
 * while `context.callbackWaitsForEmptyEventLoop` is `true`, the default; at once when it is
 * `false`), `context.succeed/fail/done` (at once), the settling of a promise it returns, or
 * `null` when the event loop runs out of work before any of them. Later calls are ignored with
 * a warning. A plain function that returns `undefined` (`function (event, context) {
 * context.succeed(x) }`) is answered the same way: by the context, or `null` once the loop is
 * empty. Without an {@linkcode EventLoop} (many invocations at once, where the loop is never
 * empty) `callback(null, result)` answers at once.
 *
 * @module
 */

import type { Context, Handler, Outcome } from "../runtime/context.ts";
import { describeError, RuntimeError } from "../runtime/errors.ts";

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

/** What the Node.js runtime gives the context of a callback handler (every context has it). */
export type CallbackContext = Pick<
  Context,
  "callbackWaitsForEmptyEventLoop" | "done" | "succeed" | "fail"
>;

/** Tells when the event loop has no work left, as Node's `beforeExit` does. */
export interface EventLoop {
  /**
   * Calls `listener` once, synchronously, the next time the event loop has no work left.
   *
   * @param listener What to run then; the work it starts keeps the loop going.
   */
  onEmpty(listener: () => void): void;
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
  /**
   * Tells when the event loop is empty; without it (many invocations at once)
   * `callback(null, result)` answers at once and a plain function's `undefined` is its answer.
   */
  readonly eventLoop?: EventLoop | undefined;
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
  if (fn.length >= 3) {
    return callbackHandler(fn as unknown as CallbackHandler, warn, options.eventLoop);
  }
  // An async function's promise is its answer: it is called as it is. A plain one that returns
  // nothing is answered by its context, or null when the event loop is empty, as on Node.
  if (options.eventLoop === undefined || _isAsyncFunction(fn)) {
    return fn as Handler;
  }
  const plain = fn as Handler;
  return (event, context) => {
    const result = plain(event, context);
    return result === undefined ? _never() : result;
  };
}

/**
 * Calls a Node.js callback-style handler. Its outcome is settled on the context (when it can be:
 * the runtime's own), and the returned promise settles with the same outcome.
 *
 * @param fn The handler.
 * @param warn Receives a warning for each outcome after the first.
 * @param eventLoop Tells when the event loop is empty; without it callbacks answer at once.
 * @returns A handler whose promise settles with the handler's first outcome.
 */
export function callbackHandler(
  fn: CallbackHandler,
  warn: (message: string) => void,
  eventLoop?: EventLoop,
): Handler {
  return (event, context) =>
    new Promise((resolve, reject) => {
      const settle = _settler(context);
      let finished = false;
      const end = (outcome: Outcome): void => {
        settle(outcome);
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      };
      const once =
        <A extends unknown[]>(name: string, call: (...args: A) => void) => (...args: A): void => {
          if (!finished) {
            finished = true;
            return call(...args);
          }
          warn(
            `Ignored ${name}(): invocation ${context.awsRequestId} already has its answer; ` +
              `each invocation is answered once`,
          );
        };
      const done = (error?: unknown, result?: unknown): void =>
        end(
          error === undefined || error === null ? { ok: true, value: result } : {
            ok: false,
            error,
          },
        );
      const callback = once("callback", (error?: unknown, result?: unknown) => {
        if ((error !== undefined && error !== null) || eventLoop === undefined) {
          return done(error, result);
        }
        // Read when called, as Node does: the handler may change it until then.
        if (!context.callbackWaitsForEmptyEventLoop) return done(null, result);
        eventLoop.onEmpty(() => done(null, result));
      });
      // This invocation's own context: the first of these and the callback wins.
      const own = context as { -readonly [K in keyof CallbackContext]: CallbackContext[K] };
      own.done = once("context.done", done);
      own.succeed = once("context.succeed", (result?: unknown) => done(null, result));
      own.fail = once("context.fail", (error?: unknown) => done(error ?? "handled"));
      let returned: unknown;
      try {
        returned = fn(event, context as Context & CallbackContext, callback);
      } catch (error) {
        if (!finished) {
          finished = true;
          return done(error ?? "handled");
        }
        // Node ignores a throw once the callback has been called; this says what was ignored.
        return warn(
          `Ignored an exception thrown by the handler of invocation ${context.awsRequestId} ` +
            `after its callback was called: ${describeError(error)}`,
        );
      }
      if (_isThenable(returned)) {
        // The promise settling after an explicit callback is the usual async style, not a misuse.
        returned.then(
          (value) => finished || ((finished = true), done(null, value)),
          (error) => finished || ((finished = true), done(error ?? "handled")),
        );
      }
    });
}

/** The runtime's context settles the invocation itself; a plain object in a test does not. */
function _settler(context: Context): (outcome: Outcome) => void {
  const settle = (context as { settle?: unknown }).settle;
  return typeof settle === "function" ? (outcome) => void settle.call(context, outcome) : () => {};
}

/** A promise that never settles: the answer comes through the context. */
function _never(): Promise<never> {
  return new Promise<never>(() => {});
}

function _isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

function _isAsyncFunction(fn: (...args: never[]) => unknown): boolean {
  try {
    return fn.constructor?.name === "AsyncFunction";
  } catch {
    return false;
  }
}
