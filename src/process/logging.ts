/**
 * Console logging in the shape Lambda expects: each `console.*` call becomes one line on stdout,
 * attributed to the invocation that made it (even with many in flight), in the `TEXT` format
 * (`timestamp<TAB>requestId<TAB>LEVEL<TAB>message`) or the `JSON` format of the Node.js runtime.
 *
 * The console is patched once at start-up; a handler that never logs pays nothing for it.
 *
 * @module
 */

import { format } from "./format.ts";
import { RuntimeError, toErrorBody } from "../runtime/errors.ts";

/** Log levels, least severe first (`AWS_LAMBDA_LOG_LEVEL`). */
export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

/** `AWS_LAMBDA_LOG_FORMAT`. */
export type LogFormat = "TEXT" | "JSON";

const SEVERITY: Readonly<Record<LogLevel, number>> = {
  TRACE: 1,
  DEBUG: 2,
  INFO: 3,
  WARN: 4,
  ERROR: 5,
  FATAL: 6,
};

/** What a log line says about the invocation that wrote it. */
export interface LogScope {
  readonly awsRequestId: string;
  readonly tenantId?: string | undefined;
}

/** Options for {@linkcode installConsoleLogging}. */
export interface ConsoleLoggingOptions {
  /** `TEXT` or `JSON`. */
  readonly format: LogFormat;
  /** Lines below this level are dropped. Defaults to `TRACE` (everything). */
  readonly minLevel?: LogLevel;
  /** The invocation the caller runs for, or `undefined` outside one. */
  readonly scope: () => LogScope | undefined;
  /** Writes one whole line (ending in `\n`). Defaults to one synchronous write to stdout. */
  readonly write?: (line: string) => void;
  /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Writes a line at a level, attributed like `console.*` calls: the one logger type of the
 * runtime's own messages. An {@linkcode ErrorRecord} among the arguments is written as Lambda's
 * runtimes write a failed invocation's error.
 */
export type LevelLogger = (level: LogLevel, ...args: unknown[]) => void;

/**
 * A failed invocation's error, logged as Lambda's Node.js runtime logs it. In `TEXT`, after the
 * label and a tab, as JSON: `errorType` (the error's `name`), `errorMessage`, `code`, the error's
 * own enumerable properties (`statusCode`, an own `name`…) and `stack` as lines. In `JSON`, as the
 * line's `message`: `errorType` (the constructor's name), `errorMessage`, `stackTrace` and the own
 * properties. A thrown value that is not an `Error` is logged as `new Error(value)`, as in Node.
 */
export class ErrorRecord {
  /** What was thrown, as an `Error`. */
  readonly error: Error;

  /**
   * @param thrown What the handler threw, or what the runtime reports.
   */
  constructor(thrown: unknown) {
    this.error = _intoError(thrown);
  }

  /** @returns The TEXT form: a tab, then the JSON. */
  toText(): string {
    try {
      return `\t${JSON.stringify(this.error, _textErrorReplacer)}`;
    } catch {
      return `\t${JSON.stringify(toErrorBody(this.error))}`;
    }
  }
}

/**
 * Reads `AWS_LAMBDA_LOG_FORMAT`: `JSON` (any case) or else `TEXT`, like the Node.js runtime.
 *
 * @param value The variable's value.
 * @returns The format.
 */
export function parseLogFormat(value: string | undefined): LogFormat {
  return value?.toUpperCase() === "JSON" ? "JSON" : "TEXT";
}

/**
 * Reads `AWS_LAMBDA_LOG_LEVEL` (any case).
 *
 * @param value The variable's value.
 * @returns The level, or `undefined` when absent or unknown.
 */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in SEVERITY ? upper as LogLevel : undefined;
}

/**
 * Formats a `TEXT` line: `timestamp<TAB>requestId<TAB>LEVEL<TAB>message`, the arguments joined
 * as `console.log` would (`util.format`), every `\n` inside replaced by `\r` so the message stays
 * one CloudWatch event.
 *
 * @param timestamp ISO 8601 time.
 * @param requestId The invocation, or `undefined` outside one (written as `undefined`).
 * @param level The level.
 * @param args What was passed to `console.*`.
 * @returns The line, ending in `\n`.
 *
 * @example A multi-line message stays one line
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatTextLine } from "./logging.ts";
 *
 * const line = formatTextLine("2026-01-01T00:00:00.000Z", "r1", "INFO", ["a\nb %d", 7]);
 * equal(line, "2026-01-01T00:00:00.000Z\tr1\tINFO\ta\rb 7\n");
 * ```
 */
export function formatTextLine(
  timestamp: string,
  requestId: string | undefined,
  level: LogLevel,
  args: readonly unknown[],
): string {
  const message = args.length === 1 && typeof args[0] === "string"
    ? args[0]
    : format(...args.map((arg) => arg instanceof ErrorRecord ? arg.toText() : arg));
  const line = `${timestamp}\t${requestId}\t${level}\t${message}`;
  return `${line.includes("\n") ? line.replace(/\n/g, "\r") : line}\n`;
}

/**
 * Formats a `JSON` line the way the Node.js runtime does: `timestamp`, `level`, `requestId`,
 * `tenantId` when present, and `message`. A lone argument is kept as a value (an object stays an
 * object, an `Error` becomes `{errorType, errorMessage, stackTrace}`); several arguments are
 * formatted into a string, and the first `Error` among them adds top-level `errorType`,
 * `errorMessage` and `stackTrace`.
 *
 * @param timestamp ISO 8601 time.
 * @param requestId The invocation, or `undefined` outside one (then omitted).
 * @param tenantId The tenant, in tenant isolation mode.
 * @param level The level.
 * @param args What was passed to `console.*`.
 * @returns The line, ending in `\n`.
 *
 * @example An object is logged as structured data
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { formatJsonLine } from "./logging.ts";
 *
 * const line = formatJsonLine("2026-01-01T00:00:00.000Z", "r1", undefined, "WARN", [{ n: 1 }]);
 * deepEqual(JSON.parse(line), {
 *   timestamp: "2026-01-01T00:00:00.000Z", level: "WARN", requestId: "r1", message: { n: 1 },
 * });
 * ```
 */
export function formatJsonLine(
  timestamp: string,
  requestId: string | undefined,
  tenantId: string | undefined,
  level: LogLevel,
  args: readonly unknown[],
): string {
  const record: Record<string, unknown> = { timestamp, level, requestId };
  if (tenantId) record.tenantId = tenantId;
  // Node logs a failed invocation's error alone, as the message: the label is the TEXT form's.
  const errorRecord = args.find((arg) => arg instanceof ErrorRecord);
  let json: string;
  if (args.length <= 1 || errorRecord !== undefined) {
    const message = errorRecord?.error ?? args[0];
    record.message = message;
    try {
      json = JSON.stringify(record, _errorReplacer);
    } catch {
      record.message = format(message);
      json = JSON.stringify(record);
    }
  } else {
    record.message = format(...args);
    for (const arg of args) {
      if (arg instanceof Error) {
        record.errorType = _constructorName(arg);
        record.errorMessage = arg.message;
        record.stackTrace = typeof arg.stack === "string" ? arg.stack.split("\n") : [];
        break;
      }
    }
    json = JSON.stringify(record);
  }
  // JSON.stringify escapes newlines inside strings; only a raw one could split the line.
  return `${json.includes("\n") ? json.replace(/\n/g, "\r") : json}\n`;
}

/**
 * Replaces `console.log/info/warn/error/debug/trace` with functions that write one line per
 * call to stdout, at the level Lambda knows (`log` and `info` INFO, `debug` DEBUG, `trace`
 * TRACE, `warn` WARN, `error` ERROR), tagged with the caller's invocation. A level below
 * `minLevel` becomes a function that does nothing.
 *
 * @param target The console to patch (`globalThis.console`).
 * @param options The format, the minimum level, and where the invocation comes from.
 * @returns A logger for the runtime's own messages, in the same format.
 *
 * @example Lines go to the writer, tagged with the invocation
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { installConsoleLogging } from "./logging.ts";
 *
 * const lines: string[] = [];
 * const fake = {} as Console;
 * const log = installConsoleLogging(fake, {
 *   format: "TEXT", scope: () => ({ awsRequestId: "r1" }), write: (l) => lines.push(l), now: () => 0,
 * });
 * fake.warn("careful");
 * log("ERROR", "broken");
 * equal(lines[0], "1970-01-01T00:00:00.000Z\tr1\tWARN\tcareful\n");
 * equal(lines[1], "1970-01-01T00:00:00.000Z\tr1\tERROR\tbroken\n");
 * ```
 */
export function installConsoleLogging(
  target: Console,
  options: ConsoleLoggingOptions,
): LevelLogger {
  const minimum = SEVERITY[options.minLevel ?? "TRACE"];
  const write = options.write ?? _writeStdout;
  const now = options.now ?? Date.now;
  const scope = options.scope;
  const json = options.format === "JSON";
  const emit: LevelLogger = (level, ...args) => {
    if (SEVERITY[level] < minimum) return;
    const timestamp = new Date(now()).toISOString();
    const current = scope();
    write(
      json
        ? formatJsonLine(timestamp, current?.awsRequestId, current?.tenantId, level, args)
        : formatTextLine(timestamp, current?.awsRequestId, level, args),
    );
  };
  const at = (level: LogLevel) =>
    SEVERITY[level] < minimum ? _ignore : (...args: unknown[]) => emit(level, ...args);
  target.trace = at("TRACE");
  target.debug = at("DEBUG");
  target.info = at("INFO");
  target.log = target.info;
  target.warn = at("WARN");
  target.error = at("ERROR");
  return emit;
}

const encoder = new TextEncoder();

function _writeStdout(line: string): void {
  // One write per line, so lines from concurrent invocations never interleave.
  let bytes = encoder.encode(line);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
}

function _ignore(): void {}

function _constructorName(error: Error): string {
  if (error instanceof RuntimeError) return error.errorType;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "UnknownError";
}

/** Node's JSON log form of an error (`jsonErrorReplacer`). */
function _errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return {
    errorType: _constructorName(value),
    errorMessage: value.message,
    stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
    ...value,
  };
}

/** Node's TEXT `Invoke Error` form of an error (`_withEnumerableProperties`). */
function _textErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const fields: Record<string, unknown> = Object.assign<Record<string, unknown>, Error>({
    errorType: value instanceof RuntimeError ? value.errorType : value.name,
    errorMessage: value.message,
    code: (value as { code?: unknown }).code,
  }, value);
  if (typeof value.stack === "string") fields.stack = value.stack.split("\n");
  return fields;
}

/** Node's `intoError`: an `Error` as it is, anything else as `new Error(value)`. */
function _intoError(value: unknown): Error {
  try {
    // instanceof itself throws for a revoked Proxy.
    if (value instanceof Error) return value;
    return new Error(value as string);
  } catch {
    // A symbol, or a value whose toString() throws.
    return new Error(toErrorBody(value).errorMessage);
  }
}
