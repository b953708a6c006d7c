/**
 * The invocation loop: workers that take invocations from any `AsyncIterable` (the
 * {@linkcode Pollers} in production, a list in tests), run the handler and post its answer:
 *
 * ```
 * Runtime API ──▶ pollers ──▶ Channel<Invocation> ──▶ workers ──▶ handler(event, ctx)
 *    ▲  (one open /next per free worker)                  │
 *    └──────────────── /response | /error ◀───────────────┘
 * ```
 *
 * A handler's failure is reported and its worker goes on; only a failing Runtime API (or an
 * invocation source that fails) stops the loop.
 *
 * @module
 */

import {
  type Context,
  type FunctionInfo,
  type Handler,
  type Invocation,
  InvocationContext,
  type InvocationContextOptions,
} from "./context.ts";
import { describeError, RuntimeApiError, RuntimeError } from "./errors.ts";
import type { RuntimeAnswers } from "../runtime_api/requests.ts";
import type { LevelLogger } from "../process/logging.ts";
import { invocationScope, useAsyncScope } from "../process/scope.ts";
import { Answerer } from "./answerer.ts";

/**
 * What fault attribution needs from the loop: a fault raised by a handler's async work (an
 * unhandled rejection, a throw in a timer) fails the invocation that caused it, while it is open.
 */
export interface InvocationFaults {
  /**
   * Fails an invocation whose handler is still running.
   *
   * @returns `false` if it is not running, or its answer is already on the way.
   */
  failInvocation(context: Context, error: unknown): boolean;
  /** The one invocation running, when the loop runs one at a time; else `undefined`. */
  soleInvocation(): Context | undefined;
}

/** Everything the loop needs; the entry point builds it from the environment. */
export interface RuntimeOptions {
  /** Where answers go: the pollers' answers (or any Runtime API, such as a fake in tests). */
  readonly answers: RuntimeAnswers;
  /** The user's handler. */
  readonly handler: Handler;
  /** The function's static description, for the context. */
  readonly info: FunctionInfo;
  /** How many invocations may run at once (`AWS_LAMBDA_MAX_CONCURRENCY`). Defaults to 1. */
  readonly concurrency?: number;
  /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** How long before the deadline the context's signal aborts. Defaults to 0. */
  readonly deadlineMarginMs?: number;
  /**
   * Receives the runtime's warnings and errors, and an `Invoke Error` line for each failed
   * invocation, written in its scope. Defaults to `console.error`.
   */
  readonly log?: LevelLogger;
  /** Called with each invocation's trace id when one invocation runs at a time. */
  readonly onTraceId?: (traceId: string | undefined) => void;
}

/**
 * Runs the handler for each invocation it is given, answering each exactly once.
 *
 * @example Run a list of invocations, without any Runtime API
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Runtime } from "./runtime.ts";
 * import type { Invocation } from "./context.ts";
 *
 * const answers: string[] = [];
 * const invocation: Invocation = {
 *   requestId: "r1", deadlineMs: Date.now() + 1000, invokedFunctionArn: "arn", body: '{"n":2}',
 *   traceId: undefined, clientContext: undefined, cognitoIdentity: undefined,
 *   tenantId: undefined, invocationId: undefined,
 * };
 * const runtime = new Runtime({
 *   answers: {
 *     respond: (_inv, json) => (answers.push(json), Promise.resolve(202)),
 *     respondStream: () => Promise.reject(new Error("unused")),
 *     fail: () => Promise.resolve(202),
 *   },
 *   handler: (event) => ({ doubled: (event as { n: number }).n * 2 }),
 *   info: { functionName: "f", functionVersion: "$LATEST", memoryLimitInMB: "128",
 *     logGroupName: "g", logStreamName: "s" },
 * });
 * await runtime.run((async function* () {
 *   yield invocation;
 * })());
 * equal(answers[0], '{"doubled":4}');
 * ```
 */
export class Runtime implements InvocationFaults {
  readonly #answerer: Answerer;
  readonly #handler: Handler;
  readonly #info: FunctionInfo;
  readonly #concurrency: number;
  readonly #contextOptions: InvocationContextOptions;
  readonly #log: LevelLogger;
  readonly #onTraceId: ((traceId: string | undefined) => void) | undefined;
  readonly #inFlight = new Set<InvocationContext>();

  /**
   * @param options The Runtime API, the handler and the settings.
   * @throws {RangeError} If `concurrency` is not a positive integer.
   */
  constructor(options: RuntimeOptions) {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `Cannot run: concurrency must be a positive integer, got ${concurrency}`,
      );
    }

    // Concurrent invocations need AsyncLocalStorage to tell apart; one at a time needs none.
    if (concurrency > 1) useAsyncScope();
    this.#handler = options.handler;
    this.#info = options.info;
    this.#concurrency = concurrency;
    // deno-lint-ignore no-console
    const log: LevelLogger = options.log ?? ((level, ...args) => console.error(level, ...args));
    this.#log = log;
    // One options object for every context: the hot path allocates none.
    this.#contextOptions = {
      now: options.now ?? Date.now,
      deadlineMarginMs: options.deadlineMarginMs ?? 0,
      warn: (message) => log("WARN", message),
    };
    this.#answerer = new Answerer(options.answers, log);
    this.#onTraceId = concurrency === 1 ? options.onTraceId : undefined;
  }

  /** The invocations being handled right now. */
  get inFlight(): ReadonlySet<InvocationContext> {
    return this.#inFlight;
  }

  /**
   * Runs every invocation `invocations` yields, with `concurrency` workers each iterating it
   * (so each asks for an invocation only when it is free), until it ends.
   *
   * @param invocations Where invocations come from, such as {@linkcode Pollers.invocations}.
   * @returns A promise that resolves once `invocations` has ended and every invocation taken
   * has been answered.
   * @throws {RuntimeApiError} When an answer cannot be delivered; or whatever `invocations`
   * throws.
   */
  async run(invocations: AsyncIterable<Invocation>): Promise<void> {
    const workers: Promise<void>[] = [];
    for (let i = 0; i < this.#concurrency; i++) workers.push(this.#work(invocations));
    await Promise.all(workers);
  }

  async #work(invocations: AsyncIterable<Invocation>): Promise<void> {
    for await (const invocation of invocations) await this.#invoke(invocation);
  }

  /**
   * Aborts the signal of every running invocation, for instance at shutdown.
   *
   * @param reason Why; becomes each `signal.reason`.
   */
  abortAll(reason: unknown): void {
    for (const ctx of this.#inFlight) ctx.abort(reason);
  }

  /**
   * Fails an invocation whose handler is still running, for instance because its async work
   * rejected a promise nobody awaited. The error is posted in place of the handler's result,
   * which is ignored when it comes: each invocation gets exactly one answer.
   *
   * @param context The invocation's context (not its request id: a retry may reuse that while
   * the first attempt still runs).
   * @param error What to report (an `Error`, or a `RuntimeError` for a `Runtime.*` type).
   * @returns `true` if the invocation was still open and will be failed; `false` if it is not
   * running, or its handler has already returned and its answer is on the way.
   */
  failInvocation(context: Context, error: unknown): boolean {
    const ctx = context as InvocationContext;
    return this.#inFlight.has(ctx) && ctx.settle({ ok: false, error });
  }

  /**
   * Answers every open invocation that nothing has answered yet with `null`, as Node's runtime
   * does when its event loop has no work left (a callback handler that never called back, a
   * promise that can never settle). The entry point calls it when Deno's event loop is about to
   * run out of work.
   *
   * @returns How many invocations this answered.
   */
  answerIdle(): number {
    let answered = 0;
    for (const ctx of this.#inFlight) {
      if (ctx.settle({ ok: true, value: null })) answered++;
    }
    return answered;
  }

  /**
   * The one invocation running, when the loop runs one at a time: a fault that carries no
   * invocation of its own can only be this one's.
   *
   * @returns Its context, or `undefined` with several workers or none running.
   */
  soleInvocation(): Context | undefined {
    if (this.#concurrency !== 1 || this.#inFlight.size !== 1) return undefined;
    for (const ctx of this.#inFlight) return ctx;
  }

  async #invoke(invocation: Invocation): Promise<void> {
    const ctx = new InvocationContext(invocation, this.#info, this.#contextOptions);
    this.#inFlight.add(ctx);
    try {
      this.#onTraceId?.(invocation.traceId);
      this.#call(invocation, ctx);
      const outcome = ctx.outcome ?? await ctx.settled();
      try {
        if (outcome.ok) await this.#answerer.answer(invocation, outcome.value, ctx);
        else await this.#answerer.fail(invocation, outcome.error, ctx);
      } catch (error) {
        // Only a failing Runtime API ends the loop. Anything else thrown while answering (a
        // locked stream, say) is this invocation's error, and the worker goes on.
        if (error instanceof RuntimeApiError) throw error;
        await this.#answerer.fail(invocation, error, ctx);
      }
    } finally {
      ctx.dispose();
      this.#inFlight.delete(ctx);
    }
  }

  /**
   * Calls the handler; its result, its throw, `context.succeed/fail/done` or a fault decides the
   * outcome, whichever comes first.
   */
  #call(invocation: Invocation, ctx: InvocationContext): void {
    let event: unknown;
    try {
      event = JSON.parse(invocation.body);
    } catch (error) {
      ctx.settle({
        ok: false,
        error: new RuntimeError(
          "Runtime.MalformedEvent",
          `Cannot parse the event of invocation ${invocation.requestId} as JSON`,
          { cause: error },
        ),
      });
      return;
    }
    let result: unknown;
    try {
      result = invocationScope.run(ctx, this.#handler, event, ctx);
    } catch (error) {
      // After context.succeed(), Node ignores the handler's throw; so does this, but says so.
      if (!ctx.settle({ ok: false, error })) this.#ignoredThrow(ctx, error);
      return;
    }
    if (ctx.outcome !== undefined) return;
    let pending: PromiseLike<unknown> | undefined;
    try {
      // A Proxy result can throw from its traps here; that is this invocation's error.
      pending = result instanceof Promise ? result : _isThenable(result) ? result : undefined;
    } catch (error) {
      ctx.settle({ ok: false, error });
      return;
    }
    if (pending === undefined) {
      ctx.settle({ ok: true, value: result });
      return;
    }
    try {
      Promise.resolve(pending).then(
        (value) => void ctx.settle({ ok: true, value }),
        (error) => void ctx.settle({ ok: false, error: error ?? "handled" }),
      );
    } catch (error) {
      // A promise whose own then() throws: that is this invocation's error, not the worker's.
      ctx.settle({ ok: false, error });
    }
  }

  #ignoredThrow(ctx: Context, error: unknown): void {
    invocationScope.run(
      ctx,
      this.#log,
      "WARN",
      `Ignored an exception thrown by the handler of invocation ${ctx.awsRequestId} after it ` +
        `was answered: ${describeError(error)}`,
    );
  }
}

function _isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
