/**
 * The `Lambda-Runtime-Function-XRay-Error-Cause` header sent with `/error`: an error body as
 * X-Ray's exception record, kept within the size Lambda accepts.
 *
 * @module
 */

import { type ErrorBody, MAX_XRAY_CAUSE_BYTES } from "./contract.ts";

/** One frame of an X-Ray exception. */
export interface XRayFrame {
  readonly path: string;
  readonly line: number;
  readonly label: string;
}

/**
 * Builds the `Lambda-Runtime-Function-XRay-Error-Cause` value from an error body:
 * `{working_directory, exceptions: [{type, message, stack: [{path, line, label}]}], paths}`,
 * as ASCII JSON. Frames are dropped from the end until it fits in
 * {@linkcode MAX_XRAY_CAUSE_BYTES}; if even no frames do not fit, there is no cause.
 *
 * @param error The error body, whose `trace` holds V8 frames (`    at label (path:line:col)`).
 * @param workingDirectory The function's working directory.
 * @param maxBytes The size limit. Defaults to {@linkcode MAX_XRAY_CAUSE_BYTES}.
 * @returns The header value, or `undefined` when it cannot be made small enough.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { xrayErrorCause } from "./xray.ts";
 *
 * const cause = xrayErrorCause({
 *   errorType: "Error", errorMessage: "boom", trace: ["Error: boom", "    at handler (file:///var/task/h.ts:4:11)"],
 * }, "/var/task");
 * deepEqual(JSON.parse(cause!), {
 *   working_directory: "/var/task",
 *   exceptions: [{ type: "Error", message: "boom",
 *     stack: [{ path: "file:///var/task/h.ts", line: 4, label: "handler" }] }],
 *   paths: ["file:///var/task/h.ts"],
 * });
 * ```
 */
export function xrayErrorCause(
  error: ErrorBody,
  workingDirectory: string,
  maxBytes: number = MAX_XRAY_CAUSE_BYTES,
): string | undefined {
  const frames: XRayFrame[] = [];
  for (const line of error.trace) {
    const text = line.trimStart();
    // The first line is `Type: message`; only `at …` lines are frames.
    if (!text.startsWith("at ")) continue;
    const frame = _xrayFrame(text);
    if (frame !== undefined) frames.push(frame);
  }
  for (let keep = frames.length;;) {
    const stack = frames.slice(0, keep);
    const cause = _asciiJson({
      working_directory: workingDirectory,
      exceptions: [{ type: error.errorType, message: error.errorMessage, stack }],
      paths: [...new Set(stack.map((frame) => frame.path))],
    });
    // ASCII only, so characters are bytes.
    if (cause.length <= maxBytes) return cause;
    if (keep === 0) return undefined;
    keep = Math.floor(keep / 2);
  }
}

function _xrayFrame(text: string): XRayFrame | undefined {
  let frame = text.startsWith("at ") ? text.slice(3) : text;
  if (frame.startsWith("async ") && !frame.endsWith(")")) frame = frame.slice(6);
  let label = "anonymous";
  let location = frame;
  if (frame.endsWith(")")) {
    const open = frame.lastIndexOf(" (");
    if (open < 0) return undefined;
    label = frame.slice(0, open) || "anonymous";
    location = frame.slice(open + 2, -1);
  }
  const match = /^(.*?):(\d+)(?::\d+)?$/.exec(location);
  if (match === null) return undefined;
  return { path: match[1]!, line: Number(match[2]), label };
}

function _asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
