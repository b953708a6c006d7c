/**
 * Which function an Invoke API path names. As in Lambda, `{name}` in
 * `/2015-03-31/functions/{name}/invocations` may be a function name (`echo`), a partial ARN
 * (`123456789012:function:echo`) or a full ARN (`arn:aws:lambda:us-east-1:123456789012:function:echo`),
 * each with an optional `:qualifier`; the qualifier may also come as `?Qualifier=`. The emulator
 * serves each function's `$LATEST` only, so any other qualifier is not found, with Lambda's
 * answer.
 *
 * @module
 */

import { awsError } from "./request_body.ts";

/** The version every emulated function has. */
export const LATEST = "$LATEST";

// Lambda's own pattern for the FunctionName parameter, with the name's characters widened to
// the dots the emulator's `file.export` names use.
const TARGET = new RegExp(
  "^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\\d):)?(?:(\\d{12}):)?" +
    "(?:function:)?([a-zA-Z0-9_.-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?$",
);

/** A function the path names, or the error response Lambda would give. */
export type InvokeTarget =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly response: Response };

/**
 * Reads the function name, partial or full ARN, and qualifier of an Invoke API request.
 *
 * @param raw The decoded `{name}` path segment.
 * @param queryQualifier The `Qualifier` query parameter, if any.
 * @param region The emulator's region, for the ARN in a not-found message.
 * @returns The function's name, or the 400 or 404 response to give.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { invokeTarget } from "./invoke_target.ts";
 *
 * deepEqual(
 *   invokeTarget("arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST", null, "us-east-1"),
 *   { ok: true, name: "echo" },
 * );
 * const missing = invokeTarget("echo", "prod", "us-east-1");
 * equal(missing.ok ? 200 : missing.response.status, 404);
 * ```
 */
export function invokeTarget(
  raw: string,
  queryQualifier: string | null,
  region: string,
): InvokeTarget {
  const match = TARGET.exec(raw);
  if (match === null) {
    return {
      ok: false,
      response: awsError(
        400,
        "ValidationException",
        `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy ` +
          "constraint: Member must satisfy regular expression pattern: " +
          "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?" +
          "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
      ),
    };
  }
  const [, arnRegion, account, name = "", pathQualifier] = match;
  const query = queryQualifier === null || queryQualifier === "" ? undefined : queryQualifier;
  if (pathQualifier !== undefined && query !== undefined && pathQualifier !== query) {
    return {
      ok: false,
      response: awsError(
        400,
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
      ),
    };
  }
  const qualifier = pathQualifier ?? query;
  if (qualifier === undefined || qualifier === LATEST) return { ok: true, name };
  const arn = `arn:aws:lambda:${arnRegion ?? region}:${account ?? "123456789012"}:function:` +
    `${name}:${qualifier}`;
  return {
    ok: false,
    response: awsError(404, "ResourceNotFoundException", `Function not found: ${arn}`),
  };
}
