/**
 * The Lambda Runtime API (2018-06-01) as both of its sides must agree on it: paths, header
 * names, size limits, the error body and the error-type rule. The runtime's client and the
 * emulator's server both import it, so neither can drift from the other.
 *
 * @module
 */

/** Where the Runtime API listens, read from `AWS_LAMBDA_RUNTIME_API`. */
export interface RuntimeApiAddress {
  /** `host:port`, as given; the `Host` header. */
  readonly host: string;
  /** The host name or IP address, without IPv6 brackets. */
  readonly hostname: string;
  readonly port: number;
}

/**
 * Reads the Runtime API's address, `host:port` (an IPv6 host in brackets).
 *
 * @param address The value of `AWS_LAMBDA_RUNTIME_API`.
 * @returns The address.
 * @throws {TypeError} If it is not `host:port` with a port from 1 to 65535.
 *
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { parseAddress } from "./contract.ts";
 *
 * deepEqual(parseAddress("[::1]:9001"), { host: "[::1]:9001", hostname: "::1", port: 9001 });
 * throws(() => parseAddress("localhost"), /expected host:port/);
 * ```
 */
export function parseAddress(address: string): RuntimeApiAddress {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:/\s[\]@?#]+):(\d{1,5})$/.exec(address);
  const port = match === null ? 0 : Number(match[2]);
  if (match === null || port < 1 || port > 65535) {
    throw new TypeError(
      `Cannot use Runtime API address ${JSON.stringify(address)}: expected host:port, ` +
        "such as 127.0.0.1:9001, with a port from 1 to 65535",
    );
  }
  return { host: address, hostname: match[1]!.replace(/^\[|\]$/g, ""), port };
}

/** The path every runtime call starts with. */
export const RUNTIME_PATH = "/2018-06-01/runtime";

/** `GET` here long-polls for the next invocation. */
export const NEXT_PATH = `${RUNTIME_PATH}/invocation/next`;

/** `POST` here reports that initialisation failed. */
export const INIT_ERROR_PATH = `${RUNTIME_PATH}/init/error`;

/**
 * The path of an invocation's answer.
 *
 * @param requestId The invocation's request id.
 * @param kind `response` or `error`.
 * @returns The path, with the id percent-encoded.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { invocationPath } from "./contract.ts";
 *
 * equal(invocationPath("r 1", "error"), "/2018-06-01/runtime/invocation/r%201/error");
 * ```
 */
export function invocationPath(requestId: string, kind: "response" | "error"): string {
  return `${RUNTIME_PATH}/invocation/${encodeURIComponent(requestId)}/${kind}`;
}

/** The Runtime API's header names, as written on the wire. */
export const HEADER_NAME = {
  requestId: "Lambda-Runtime-Aws-Request-Id",
  deadlineMs: "Lambda-Runtime-Deadline-Ms",
  functionArn: "Lambda-Runtime-Invoked-Function-Arn",
  traceId: "Lambda-Runtime-Trace-Id",
  clientContext: "Lambda-Runtime-Client-Context",
  cognitoIdentity: "Lambda-Runtime-Cognito-Identity",
  tenantId: "Lambda-Runtime-Aws-Tenant-Id",
  invocationId: "Lambda-Runtime-Invocation-Id",
  responseMode: "Lambda-Runtime-Function-Response-Mode",
  errorType: "Lambda-Runtime-Function-Error-Type",
  errorBody: "Lambda-Runtime-Function-Error-Body",
  xrayCause: "Lambda-Runtime-Function-XRay-Error-Cause",
} as const;

/** The same header names, lower-cased as both HTTP codecs store them when reading. */
export const HEADER = Object.fromEntries(
  Object.entries(HEADER_NAME).map(([key, name]) => [key, name.toLowerCase()]),
) as { readonly [K in keyof typeof HEADER_NAME]: Lowercase<(typeof HEADER_NAME)[K]> };

/** The largest buffered `/response` or `/error` body Lambda accepts: 6 MiB + 100 bytes. */
export const MAX_BUFFERED_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** The largest streamed `/response` body Lambda accepts: 200 MiB. */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

/**
 * The largest `Lambda-Runtime-Function-XRay-Error-Cause` sent, in bytes: under the 64 KiB Lambda
 * accepts, with room for the rest of the request head within a 64 KiB head limit.
 */
export const MAX_XRAY_CAUSE_BYTES = 60 * 1024;

/**
 * The longest `Lambda-Runtime-Function-Error-Type` sent. The full name stays in the error body;
 * the header only classifies, and an unbounded one can make the request head too large to be
 * accepted at all.
 */
export const MAX_ERROR_TYPE_LENGTH = 128;

/** The JSON body of `/error` and `/init/error`, and of a failed stream's error trailer. */
export interface ErrorBody {
  readonly errorType: string;
  readonly errorMessage: string;
  /** The stack, one line each, as Node posts it: `"Error: boom"`, then `"    at …"` frames. */
  readonly trace: readonly string[];
}

/**
 * The error types Lambda records as sent: `Runtime.Xxx` or `Function.Xxx`, where `Xxx` is
 * letters, digits and `_` (a JavaScript class name without `$`). Others become
 * `Runtime.Unknown`.
 */
const ERROR_TYPE = /^(Runtime|Function)\.[A-Za-z0-9_]+$/;

/**
 * Whether a `Lambda-Runtime-Function-Error-Type` value is one Lambda records as it is.
 *
 * @param type The header value.
 * @returns `true` for `Runtime.Xxx` or `Function.Xxx` within {@linkcode MAX_ERROR_TYPE_LENGTH}.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isRecordedErrorType } from "./contract.ts";
 *
 * equal(isRecordedErrorType("Function.Card_Declined"), true);
 * equal(isRecordedErrorType("TypeError"), false);
 * ```
 */
export function isRecordedErrorType(type: string): boolean {
  return type.length <= MAX_ERROR_TYPE_LENGTH && ERROR_TYPE.test(type);
}

/**
 * The `Lambda-Runtime-Function-Error-Type` header for an error body: a recorded type as it is,
 * anything else as `Function.<type>` with the characters the rule forbids removed, and at most
 * {@linkcode MAX_ERROR_TYPE_LENGTH} characters.
 *
 * @param body The error body.
 * @returns The header value, always accepted by {@linkcode isRecordedErrorType}.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { errorTypeHeader } from "./contract.ts";
 *
 * equal(errorTypeHeader({ errorType: "my-error", errorMessage: "", trace: [] }), "Function.myerror");
 * ```
 */
export function errorTypeHeader(body: ErrorBody): string {
  const type = body.errorType;
  if (isRecordedErrorType(type)) return type;
  const name = type.replace(/[^A-Za-z0-9_]/g, "");
  return `Function.${name === "" ? "Error" : name}`.slice(0, MAX_ERROR_TYPE_LENGTH);
}
