/**
 * The bootstrap's configuration, read from the environment as a plain record so that it is
 * tested without a process: Lambda's variables and Lambdeno's own `LAMBDENO_*` settings.
 *
 * @module
 */

import type { FunctionInfo } from "../runtime/context.ts";
import { RuntimeError } from "../runtime/errors.ts";
import { parseAddress, type RuntimeApiAddress } from "../runtime_api/contract.ts";
import { type LogFormat, type LogLevel, parseLogFormat, parseLogLevel } from "./logging.ts";

/** The environment, as `Deno.env.toObject()` gives it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How the runtime's lines are written. */
export interface LogConfig {
  readonly format: LogFormat;
  /** Lines below this level are dropped. */
  readonly minLevel: LogLevel;
}

/** When the runtime registers as an internal extension, which makes Lambda send SIGTERM. */
export type ExtensionMode = "auto" | "on" | "off";

/** Everything the bootstrap needs besides the log settings and the Runtime API's address. */
export interface RuntimeConfig {
  /** `_HANDLER`, unchecked (the handler loader explains what is wrong with it). */
  readonly handler: string | undefined;
  /** `LAMBDENO_HANDLERS_DIR`: where handler modules are; `undefined` for the bundled ones. */
  readonly handlersDir: string | undefined;
  /** `AWS_LAMBDA_MAX_CONCURRENCY`, else 1. */
  readonly concurrency: number;
  /** `LAMBDENO_DEADLINE_MARGIN_MS`, else {@linkcode DEFAULT_DEADLINE_MARGIN_MS}. */
  readonly deadlineMarginMs: number;
  /** `LAMBDENO_EXTENSION`, else `auto`. */
  readonly extension: ExtensionMode;
  /** Whether each `/next` is pipelined behind the answer (`LAMBDENO_PIPELINE` is not `off`). */
  readonly pipeline: boolean;
  /** The function's static description, for each context. */
  readonly info: FunctionInfo;
}

/**
 * How long before the deadline a context's signal aborts by default. On classic Lambda the
 * sandbox is frozen at the deadline, so a signal that fires exactly then leaves no time to
 * answer; 50 ms lets a handler that obeys it post a result.
 */
export const DEFAULT_DEADLINE_MARGIN_MS = 50;

/**
 * Reads the log settings. Lambda filters by level only in the JSON format (AWS docs, "Log-level
 * filtering") and only sets `AWS_LAMBDA_LOG_LEVEL` then; in TEXT every line is written.
 *
 * @param env The environment.
 * @returns The format and the minimum level.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readLogConfig } from "./config.ts";
 *
 * deepEqual(readLogConfig({ AWS_LAMBDA_LOG_FORMAT: "json", AWS_LAMBDA_LOG_LEVEL: "warn" }),
 *   { format: "JSON", minLevel: "WARN" });
 * ```
 */
export function readLogConfig(env: Environment): LogConfig {
  const format = parseLogFormat(env.AWS_LAMBDA_LOG_FORMAT);
  const minLevel = format === "JSON" ? parseLogLevel(env.AWS_LAMBDA_LOG_LEVEL) ?? "TRACE" : "TRACE";
  return { format, minLevel };
}

/**
 * Reads `AWS_LAMBDA_RUNTIME_API`. Without a valid address there is nowhere to report an init
 * failure, so the caller can only log and exit.
 *
 * @param env The environment.
 * @returns The address.
 * @throws {TypeError} If it is unset or not `host:port`, with a message that says what to do.
 */
export function readRuntimeApiAddress(env: Environment): RuntimeApiAddress {
  const value = env.AWS_LAMBDA_RUNTIME_API;
  if (value === undefined || value === "") {
    throw new TypeError(
      "Cannot start: AWS_LAMBDA_RUNTIME_API is not set. This program is a Lambda bootstrap " +
        "and Lambda sets it; to run functions on this machine, use `deno task dev`.",
    );
  }
  try {
    return parseAddress(value);
  } catch {
    throw new TypeError(
      "Cannot start: AWS_LAMBDA_RUNTIME_API must be host:port, such as 127.0.0.1:9001 (a port " +
        `from 1 to 65535), got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Reads the rest of the configuration.
 *
 * @param env The environment.
 * @returns The configuration.
 * @throws {RuntimeError} `Runtime.InvalidConfiguration`, naming the variable and its value.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { readRuntimeConfig } from "./config.ts";
 *
 * equal(readRuntimeConfig({ AWS_LAMBDA_MAX_CONCURRENCY: "4" }).concurrency, 4);
 * throws(() => readRuntimeConfig({ LAMBDENO_EXTENSION: "yes" }), /must be auto, on or off/);
 * ```
 */
export function readRuntimeConfig(env: Environment): RuntimeConfig {
  return {
    handler: env._HANDLER,
    handlersDir: env.LAMBDENO_HANDLERS_DIR || undefined,
    concurrency: _concurrency(env.AWS_LAMBDA_MAX_CONCURRENCY),
    deadlineMarginMs: _deadlineMargin(env.LAMBDENO_DEADLINE_MARGIN_MS),
    extension: _extensionMode(env.LAMBDENO_EXTENSION),
    pipeline: env.LAMBDENO_PIPELINE !== "off",
    info: {
      functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "function",
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "128",
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
    },
  };
}

function _invalid(message: string): RuntimeError {
  return new RuntimeError("Runtime.InvalidConfiguration", `Cannot start: ${message}`);
}

function _extensionMode(value: string | undefined): ExtensionMode {
  const mode = value === undefined || value === "" ? "auto" : value.toLowerCase();
  if (mode !== "auto" && mode !== "on" && mode !== "off") {
    throw _invalid(`LAMBDENO_EXTENSION must be auto, on or off, got "${value}"`);
  }
  return mode;
}

function _concurrency(value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  // Decimal digits only: Number() would also take "1e9" (a billion workers) or "0x10".
  const n = /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw _invalid(`AWS_LAMBDA_MAX_CONCURRENCY must be a positive integer, got "${value}"`);
  }
  return n;
}

function _deadlineMargin(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_DEADLINE_MARGIN_MS;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw _invalid(`LAMBDENO_DEADLINE_MARGIN_MS must be a non-negative number, got "${value}"`);
  }
  return n;
}
