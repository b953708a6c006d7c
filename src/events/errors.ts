/**
 * The errors raised when an event or a handler's result does not match its schema, and the
 * formatting that turns zod's issues into one line a person can read in the Lambda console.
 *
 * @module
 */

import type { z } from "zod";

/** One failing path of a validation, already formatted. */
export interface ValidationIssue {
  /** Where the value failed, e.g. `Records[0].body`; `(root)` for the value itself. */
  readonly path: string;
  /** What was wrong, e.g. `expected string, received number`. */
  readonly message: string;
}

// Long batches can fail on every record; the console shows the first lines of the message only.
const _MAX_LISTED = 20;

/**
 * Thrown when an event does not match the handler's event schema. The runtime reports its
 * `name` as the `errorType`.
 *
 * @example Every failing path is listed
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { EventValidationError } from "./errors.ts";
 *
 * const result = z.object({ id: z.string(), n: z.number() }).safeParse({ id: 1, n: "2" });
 * const error = new EventValidationError(result.error!);
 * equal(error.name, "EventValidationError");
 * equal(error.message, "Invalid event: id: expected string, received number; n: expected number, received string");
 * ```
 */
export class EventValidationError extends Error {
  /** Always `"EventValidationError"`: the `errorType` Lambda reports. */
  override name = "EventValidationError";
  /** Each failing path with what was wrong there. */
  readonly issues: readonly ValidationIssue[];

  /**
   * Makes the error from zod's, its message listing every failing path of the event.
   *
   * @param error The zod error, kept as the `cause`.
   */
  constructor(error: z.ZodError) {
    const issues = flattenIssues(error.issues);
    super(`Invalid event: ${formatIssues(issues)}`, { cause: error });
    this.issues = issues;
  }
}

/**
 * Thrown when a handler returns a value that does not match its result schema.
 *
 * @example The message names the failing path
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { ResultValidationError } from "./errors.ts";
 *
 * const result = z.object({ statusCode: z.number() }).safeParse({});
 * equal(
 *   new ResultValidationError(result.error!).message,
 *   "Invalid result: statusCode: expected number, received undefined",
 * );
 * ```
 */
export class ResultValidationError extends Error {
  /** Always `"ResultValidationError"`: the `errorType` Lambda reports. */
  override name = "ResultValidationError";
  /** Each failing path with what was wrong there. */
  readonly issues: readonly ValidationIssue[];

  /**
   * Makes the error from zod's, its message listing every failing path of the result.
   *
   * @param error The zod error, kept as the `cause`.
   */
  constructor(error: z.ZodError) {
    const issues = flattenIssues(error.issues);
    super(`Invalid result: ${formatIssues(issues)}`, { cause: error });
    this.issues = issues;
  }
}

/**
 * Turns zod issues into formatted paths and messages. A failed union is replaced by the issues
 * of its closest branch (the fewest issues, then the fewest missing fields), so the reader sees
 * what to fix rather than "Invalid input".
 *
 * @param issues The issues of a `ZodError`.
 * @returns One entry per failing path.
 */
export function flattenIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  _flatten(issues, [], out);
  return out;
}

/**
 * Joins issues into one line: `path: message; path: message`, at most 20 listed.
 *
 * @param issues The formatted issues.
 * @returns The line.
 */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  const listed = issues.slice(0, _MAX_LISTED).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > _MAX_LISTED) listed.push(`and ${issues.length - _MAX_LISTED} more`);
  return listed.join("; ");
}

/**
 * Formats a path the way it would be written in JavaScript: `Records[0].body`,
 * `headers["content-type"]`.
 *
 * @param path The path segments.
 * @returns The path, or `(root)` when empty.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "symbol") out += `[${key.toString()}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === "" ? "(root)" : out;
}

function _flatten(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  out: ValidationIssue[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = issue.errors.reduce((a, b) => (_distance(b) < _distance(a) ? b : a));
      _flatten(closest, path, out);
      continue;
    }
    out.push({ path: formatPath(path), message: _message(issue.message) });
  }
}

function _distance(issues: readonly z.core.$ZodIssue[]): number {
  // A branch whose fields are present but mistyped is closer than one whose fields are missing.
  const missing = issues.filter((issue) => issue.message.endsWith("received undefined")).length;
  return issues.length * 2 + (missing > 0 ? 1 : 0);
}

function _message(message: string): string {
  // zod prefixes every message with the same words; the path already says the input is invalid.
  return message.replace(/^Invalid (input|option): /, "");
}
