/**
 * The context object handed to a handler with each event: the invocation's identity, its
 * deadline, and an {@linkcode AbortSignal} that fires when the handler should give up.
 *
 * @module
 */

/** The Cognito identity of a mobile caller (`Lambda-Runtime-Cognito-Identity`). */
export interface CognitoIdentity {
  /** The caller's Amazon Cognito identity id. */
  readonly cognitoIdentityId: string;
  /** The Amazon Cognito identity pool that authorised the caller. */
  readonly cognitoIdentityPoolId: string;
}

/** The client context a mobile SDK caller sends (`Lambda-Runtime-Client-Context`). */
export interface ClientContext {
  /** The calling app, as the mobile SDK describes it. */
  readonly client?: {
    /** The app's installation id. */
    readonly installationId?: string;
    /** The app's title. */
    readonly appTitle?: string;
    /** The app's version name. */
    readonly appVersionName?: string;
    /** The app's version code. */
    readonly appVersionCode?: string;
    /** The app's package name. */
    readonly appPackageName?: string;
  };
  /** Values the caller chose to send. */
  readonly custom?: Record<string, unknown>;
  /** The caller's environment (platform, locale, …) as the SDK sends it. */
  readonly env?: Record<string, unknown>;
  /** Any other field the caller sent, kept as sent. */
  readonly [key: string]: unknown;
}

/** What the Runtime API says about one invocation, read from the `/next` headers. */
export interface Invocation {
  /** `Lambda-Runtime-Aws-Request-Id`. */
  readonly requestId: string;
  /** `Lambda-Runtime-Deadline-Ms`: the deadline in epoch milliseconds. */
  readonly deadlineMs: number;
  /** `Lambda-Runtime-Invoked-Function-Arn`. */
  readonly invokedFunctionArn: string;
  /** `Lambda-Runtime-Trace-Id`: the X-Ray trace header (`Root=…;Parent=…;Sampled=…`). */
  readonly traceId: string | undefined;
  /** `Lambda-Runtime-Client-Context`, as sent (JSON). */
  readonly clientContext: string | undefined;
  /** `Lambda-Runtime-Cognito-Identity`, as sent (JSON). */
  readonly cognitoIdentity: string | undefined;
  /** `Lambda-Runtime-Aws-Tenant-Id`, in tenant isolation mode. */
  readonly tenantId: string | undefined;
  /** `Lambda-Runtime-Invocation-Id`: the per-attempt id, echoed back with the answer. */
  readonly invocationId: string | undefined;
  /** The event, as the raw JSON text the Runtime API sent. */
  readonly body: string;
}

/** The function's static description, the same for every invocation. */
export interface FunctionInfo {
  /** `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly functionName: string;
  /** `AWS_LAMBDA_FUNCTION_VERSION`, such as `$LATEST`. */
  readonly functionVersion: string;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, as text, as in the Node.js runtime. */
  readonly memoryLimitInMB: string;
  /** `AWS_LAMBDA_LOG_GROUP_NAME`. */
  readonly logGroupName: string;
  /** `AWS_LAMBDA_LOG_STREAM_NAME`. */
  readonly logStreamName: string;
}

/**
 * What a handler receives besides its event. The fields of the Node.js runtime's context, plus
 * `deadlineMs`, `traceId`, `invocationId`, `tenantId` and a `signal`.
 */
export interface Context extends FunctionInfo {
  /** The invocation's request id, the one in the `START`/`END`/`REPORT` lines. */
  readonly awsRequestId: string;
  /** The ARN the caller invoked, with its version or alias when it named one. */
  readonly invokedFunctionArn: string;
  /** The Cognito identity of a mobile caller, if any. */
  readonly identity: CognitoIdentity | undefined;
  /** The client context of a mobile caller, if any. */
  readonly clientContext: ClientContext | undefined;
  /** The tenant this invocation runs for, in tenant isolation mode. */
  readonly tenantId: string | undefined;
  /** The deadline, in epoch milliseconds. */
  readonly deadlineMs: number;
  /** The X-Ray trace header of this invocation. */
  readonly traceId: string | undefined;
  /** The per-attempt invocation id, when the Runtime API sends one. */
  readonly invocationId: string | undefined;
  /** Aborts at the deadline and when the runtime shuts down; pass it to `fetch` and friends. */
  readonly signal: AbortSignal;
  /**
   * For callback handlers, as in Node.js: when `true` (the default), `callback(null, result)`
   * answers once the event loop has no work left; when `false`, at once.
   */
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds left before the deadline, never negative. Works detached from the context. */
  readonly getRemainingTimeInMillis: () => number;
  /** Answers the invocation with `result`, as Node's `context.succeed`. */
  readonly succeed: (result?: unknown) => void;
  /** Fails the invocation with `error` (the string `handled` when none), as Node's `context.fail`. */
  readonly fail: (error?: unknown) => void;
  /** `done(error)` fails the invocation, `done(null, result)` answers it, as in Node. */
  readonly done: (error?: unknown, result?: unknown) => void;
}

/** How an invocation ended: the value to answer, or the error to report. */
export type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * A Lambda handler: takes the event and the context, returns the result (or a promise of it).
 * The result is sent back as JSON; `undefined` becomes `null`.
 */
export type Handler<E = unknown, R = unknown> = (
  event: E,
  context: Context,
) => R | Promise<R>;

/** Options for {@linkcode InvocationContext}. */
export interface InvocationContextOptions {
  /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** How long before the deadline the signal aborts, in milliseconds. Defaults to 0. */
  readonly deadlineMarginMs?: number;
  /** Receives a warning when `succeed`, `fail` or `done` is called after the answer. */
  readonly warn?: (message: string) => void;
}

/**
 * The runtime's implementation of {@linkcode Context}. Its own enumerable properties are the
 * Node.js runtime's, in the same order, so that spreading it (`{ ...context }`), serialising it
 * or taking a method from it (`const { getRemainingTimeInMillis } = context`, as middy does)
 * works as on Node; `deadlineMs`, `traceId` and `invocationId` follow. The deadline timer is
 * started only when a handler first reads {@linkcode InvocationContext.signal}, so handlers that
 * never look at it pay nothing for it.
 *
 * The first of `succeed`, `fail`, `done`, the handler's result or the runtime's own
 * {@linkcode InvocationContext.settle} decides the invocation's {@linkcode Outcome}; later ones
 * are ignored.
 *
 * @example Remaining time follows the injected clock, detached from the context
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { InvocationContext } from "./context.ts";
 *
 * let now = 1_000;
 * const ctx = new InvocationContext(
 *   {
 *     requestId: "r1", deadlineMs: 4_000, invokedFunctionArn: "arn:aws:lambda:::function:f",
 *     traceId: undefined, clientContext: undefined, cognitoIdentity: undefined,
 *     tenantId: undefined, invocationId: undefined, body: "{}",
 *   },
 *   { functionName: "f", functionVersion: "$LATEST", memoryLimitInMB: "128",
 *     logGroupName: "/aws/lambda/f", logStreamName: "s" },
 *   { now: () => now },
 * );
 * const { getRemainingTimeInMillis } = ctx;
 * now = 2_500;
 * equal(getRemainingTimeInMillis(), 1_500);
 * ```
 */
export class InvocationContext implements Context {
  callbackWaitsForEmptyEventLoop = true;
  readonly succeed: (result?: unknown) => void;
  readonly fail: (error?: unknown) => void;
  readonly done: (error?: unknown, result?: unknown) => void;
  readonly functionVersion: string;
  readonly functionName: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly clientContext: ClientContext | undefined;
  readonly identity: CognitoIdentity | undefined;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  readonly tenantId: string | undefined;
  readonly getRemainingTimeInMillis: () => number;
  readonly deadlineMs: number;
  readonly traceId: string | undefined;
  readonly invocationId: string | undefined;
  #options: InvocationContextOptions;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #outcome: Outcome | undefined;
  #onSettle: ((outcome: Outcome) => void) | undefined;

  /**
   * @param invocation What the Runtime API sent.
   * @param info The function's static description.
   * @param options The clock, the deadline margin and where warnings go; pass the same object
   * for every invocation.
   */
  constructor(invocation: Invocation, info: FunctionInfo, options: InvocationContextOptions = {}) {
    // Closures, not shared methods that find their invocation: a detached call
    // (s3.getObject(params, context.done)) must reach this invocation even after another has
    // started. Made by a function outside the class (see _nodeCalls), never here.
    const calls = _nodeCalls(this, invocation.deadlineMs, options);
    this.succeed = calls.succeed;
    this.fail = calls.fail;
    this.done = calls.done;
    this.functionVersion = info.functionVersion;
    this.functionName = info.functionName;
    this.memoryLimitInMB = info.memoryLimitInMB;
    this.logGroupName = info.logGroupName;
    this.logStreamName = info.logStreamName;
    // Parsed here, not on first use: Node's are plain properties, and the headers are rare.
    this.clientContext = _parseObject(invocation.clientContext) as ClientContext | undefined;
    this.identity = _parseObject(invocation.cognitoIdentity) as CognitoIdentity | undefined;
    this.invokedFunctionArn = invocation.invokedFunctionArn;
    this.awsRequestId = invocation.requestId;
    this.tenantId = invocation.tenantId;
    this.getRemainingTimeInMillis = calls.getRemainingTimeInMillis;
    this.deadlineMs = invocation.deadlineMs;
    this.traceId = invocation.traceId;
    this.invocationId = invocation.invocationId;
    this.#options = options;
  }

  /** Aborts at the deadline (less the margin) or when {@linkcode abort} is called. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const now = this.#options.now ?? Date.now;
      // setTimeout takes at most 2^31 - 1 ms; a later deadline would fire at once.
      const delay = Math.min(
        this.deadlineMs - (this.#options.deadlineMarginMs ?? 0) - now(),
        0x7fffffff,
      );
      if (delay <= 0) {
        controller.abort(_deadlineReason(this.awsRequestId));
      } else {
        const timer = setTimeout(() => {
          this.#timer = undefined;
          controller.abort(_deadlineReason(this.awsRequestId));
        }, delay);
        this.#timer = timer;
      }
    }
    return this.#controller.signal;
  }

  /** How the invocation ended, once something has decided it; `undefined` until then. */
  get outcome(): Outcome | undefined {
    return this.#outcome;
  }

  /**
   * Decides the invocation's outcome, unless something already has.
   *
   * @param outcome The answer or the error.
   * @returns `true` if this decided it; `false` if it was already decided.
   */
  settle(outcome: Outcome): boolean {
    if (this.#outcome !== undefined) return false;
    this.#outcome = outcome;
    const listener = this.#onSettle;
    this.#onSettle = undefined;
    listener?.(outcome);
    return true;
  }

  /**
   * Waits for the outcome.
   *
   * @returns The outcome, at once if it is decided.
   */
  settled(): Promise<Outcome> {
    if (this.#outcome !== undefined) return Promise.resolve(this.#outcome);
    return new Promise((resolve) => this.#onSettle = resolve);
  }

  /**
   * Aborts the signal, for instance at shutdown.
   *
   * @param reason Why; becomes `signal.reason`.
   */
  abort(reason: unknown): void {
    // Create the signal if nobody has yet, so a late reader still sees it aborted.
    const signal = this.signal;
    if (!signal.aborted) this.#controller?.abort(reason);
    this.dispose();
  }

  /** Stops the deadline timer once the invocation has been answered. */
  dispose(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

function _deadlineReason(requestId: string): DOMException {
  return new DOMException(`Invocation ${requestId} reached its deadline`, "TimeoutError");
}

function _parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A context's closures: `succeed`, `fail`, `done` and `getRemainingTimeInMillis`, each bound to
 * one invocation. They are made here rather than in the constructor: arrow functions made in
 * the constructor that capture `this` led V8 to move every invocation's objects into its old
 * generation (the heap left after each young collection grew by about 2.4 KB per invocation,
 * and the young generation to its limit: 8 MiB more RSS for echo at 128 MB); closures made by a
 * plain function over the context do not.
 */
function _nodeCalls(
  ctx: InvocationContext,
  deadlineMs: number,
  options: InvocationContextOptions,
): Pick<Context, "succeed" | "fail" | "done" | "getRemainingTimeInMillis"> {
  const now = options.now ?? Date.now;
  const call = (name: string, outcome: Outcome) => {
    if (ctx.settle(outcome)) return;
    // deno-lint-ignore no-console
    (options.warn ?? ((message: string) => console.warn(message)))(
      `Ignored ${name}(): invocation ${ctx.awsRequestId} already has its answer; ` +
        "each invocation is answered once",
    );
  };
  return {
    succeed: (result) => call("context.succeed", { ok: true, value: result }),
    fail: (error) => call("context.fail", { ok: false, error: error ?? "handled" }),
    done: (error, result) =>
      call(
        "context.done",
        error === undefined || error === null ? { ok: true, value: result } : { ok: false, error },
      ),
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - now()),
  };
}
