/**
 * The types a function's sandbox and its callers share: how to run a function, what an
 * invocation carries, and how it ends. Apart from `lambda_function.ts`, so that the modules it
 * uses can name them without importing it back.
 *
 * @module
 */

import type { LambdaErrorBody, StreamResult } from "../runtime_api_server/invocation_result.ts";

/** The time, and a timer, as the pool reads them: injected in tests. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /**
   * Calls `callback` once, in `ms` milliseconds.
   *
   * @returns Cancels the call.
   */
  schedule(callback: () => void, ms: number): () => void;
}

/** How to run one function. */
export interface LambdaFunctionOptions {
  /** The function's name. */
  readonly name: string;
  /** The bootstrap command, e.g. `[deno, "run", "-A", "/abs/src/main.ts"]`. */
  readonly command: readonly string[];
  /** The working directory of the runtime process (`LAMBDA_TASK_ROOT`). */
  readonly cwd: string;
  /** The runtime's whole environment, Lambda's variables included. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds each invocation may take. */
  readonly timeoutMs: number;
  /** The configured memory, for `REPORT` lines. */
  readonly memoryMb: number;
  /**
   * Managed Instances mode: how many invocations one process runs at once, in one environment
   * (more wait their turn); a timed-out invocation is reported but the process keeps running.
   * `undefined` is the classic mode: each environment runs one invocation at a time, a busy
   * function scales out to more, and a timed-out environment is killed and replaced.
   */
  readonly concurrency?: number | undefined;
  /**
   * Classic mode: the most environments at once, the emulator's limit per function (like an
   * account's); an invocation past it is throttled. Defaults to 10 (`DEFAULT_MAX_ENVIRONMENTS`).
   */
  readonly maxEnvironments?: number | undefined;
  /**
   * Classic mode: the function's reserved concurrency, its own limit within `maxEnvironments`;
   * `0` throttles every invocation.
   */
  readonly reservedConcurrency?: number | undefined;
  /**
   * Milliseconds an environment may stay idle before it is reclaimed (its process ends). Defaults
   * to 5 minutes (`DEFAULT_IDLE_TIMEOUT_MS`).
   */
  readonly idleTimeoutMs?: number | undefined;
  /** The clock and timers for idle environments; the system's by default. */
  readonly clock?: Clock;
  /**
   * How many `Event` invocations may wait to run before new ones are refused. Defaults to
   * 1,000, as `DEFAULT_MAX_QUEUED_EVENTS` in `event_queue.ts` says.
   */
  readonly maxQueuedEvents?: number | undefined;
  /** The longest init may take. Defaults to 10 seconds, Lambda's limit. */
  readonly initTimeoutMs?: number;
  /**
   * Where platform lines and the function's output go, one line per call, labelled `[name] `,
   * with the invocation the line belongs to when there is one (see `LogType: Tail`).
   */
  readonly log: (line: string, requestId?: string) => void;
  /** What `INIT_START` names as the runtime version. Defaults to `lambdeno`. */
  readonly runtimeVersion?: string;
}

/** The metadata an invocation carries besides its event. */
export interface InvokeMetadata {
  /** Defaults to a fresh UUID. */
  readonly requestId?: string;
  /** The X-Ray header, `Root=…;Parent=…;Sampled=…`. */
  readonly traceId?: string;
  /** JSON text, passed as `Lambda-Runtime-Client-Context`. */
  readonly clientContext?: string;
  /** JSON text, passed as `Lambda-Runtime-Cognito-Identity`. */
  readonly cognitoIdentity?: string;
  /** The tenant, passed as `Lambda-Runtime-Aws-Tenant-Id`. */
  readonly tenantId?: string;
}

/** A buffered answer. */
export interface ResponseOutcome {
  /** Tells the outcomes apart. */
  readonly kind: "response";
  /** The invocation's request id. */
  readonly requestId: string;
  /** The `Content-Type` the runtime sent its answer with, if any. */
  readonly contentType: string | undefined;
  /** The answer, as the runtime posted it. */
  readonly body: Uint8Array;
}

/** A streamed answer: its chunks as they come, and how it ended. */
export interface StreamOutcome extends StreamResult {
  /** The invocation's request id. */
  readonly requestId: string;
}

/** A failed invocation, as `X-Amz-Function-Error: Unhandled` reports it. */
export interface ErrorOutcome {
  /** Tells the outcomes apart. */
  readonly kind: "error";
  /** The invocation's request id. */
  readonly requestId: string;
  /** `Sandbox.Timedout`, `Runtime.ExitError`, an init error's type, or the function's own. */
  readonly errorType: string;
  /** The error as the caller receives it: `errorMessage`, `errorType`, `trace`. */
  readonly error: LambdaErrorBody;
}

/** How an invocation ended, as the caller sees it. */
export type Outcome = ResponseOutcome | StreamOutcome | ErrorOutcome;
