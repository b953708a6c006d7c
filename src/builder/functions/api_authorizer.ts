/**
 * A route's Lambda authorizer (`authorizer` of an `Api` or `HttpApi` event), checked and with
 * API Gateway's defaults written out: the function that decides, its event type and format, the
 * identity sources a request must carry, and how long an answer is kept.
 *
 * @module
 */

/** A Lambda authorizer, as API Gateway runs it. */
export interface ApiAuthorizer {
  /** The deciding function's name: `auth`, or `auth.token`. */
  readonly function: string;
  /** `TOKEN` (REST only) or `REQUEST`. */
  readonly type: "TOKEN" | "REQUEST";
  /** The shape of its event: always `"1.0"` for a REST API. */
  readonly payloadFormatVersion: "1.0" | "2.0";
  /** Whether it answers `{ isAuthorized, context }` rather than an IAM policy. */
  readonly simpleResponses: boolean;
  /** Headers it needs (a `TOKEN` authorizer's one token header). */
  readonly headers: readonly string[];
  /** Query string parameters it needs. */
  readonly queryStrings: readonly string[];
  /** Context variables it needs. */
  readonly context: readonly string[];
  /** What a `TOKEN` must match. */
  readonly validationExpression?: string;
  /** How long an answer is kept for the same identity values, in seconds. */
  readonly ttlSeconds: number;
}

const IDENTITY_KEYS = [
  "headers",
  "queryStrings",
  "context",
  "validationExpression",
  "reauthorizeEvery",
];

/**
 * Checks a route's `authorizer` and writes out the defaults API Gateway applies.
 *
 * @example A REST API's authorizer is a TOKEN one, on `Authorization`, kept 300 seconds
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { checkAuthorizer } from "./api_authorizer.ts";
 *
 * deepEqual(checkAuthorizer("events.E.authorizer", "rest", { function: "auth" }), {
 *   function: "auth",
 *   type: "TOKEN",
 *   payloadFormatVersion: "1.0",
 *   simpleResponses: false,
 *   headers: ["Authorization"],
 *   queryStrings: [],
 *   context: [],
 *   ttlSeconds: 300,
 * });
 * ```
 *
 * @param where The field, for messages: `Cannot deploy users.handler: events.Get.authorizer`.
 * @param api The route's API.
 * @param value The field's value.
 * @returns The authorizer.
 * @throws {TypeError} If it is malformed.
 */
export function checkAuthorizer(
  where: string,
  api: "rest" | "http",
  value: unknown,
): ApiAuthorizer {
  const fields = _record(where, value);
  const known = api === "rest"
    ? ["function", "type", "identity"]
    : ["function", "payloadFormatVersion", "simpleResponses", "identity"];
  _known(where, fields, known);
  if (
    typeof fields.function !== "string" ||
    !/^[A-Za-z0-9_-]+(\.[A-Za-z_$][\w$]*)?$/.test(fields.function)
  ) {
    throw new TypeError(
      `${where}.function must name one of the project's functions (auth, or auth.export), got ` +
        JSON.stringify(fields.function),
    );
  }
  const type = fields.type ?? (api === "rest" ? "TOKEN" : "REQUEST");
  if (type !== "TOKEN" && type !== "REQUEST") {
    throw new TypeError(`${where}.type must be "TOKEN" or "REQUEST", got ${JSON.stringify(type)}`);
  }
  const format = fields.payloadFormatVersion ?? (api === "rest" ? "1.0" : "2.0");
  if (format !== "1.0" && format !== "2.0") {
    throw new TypeError(`${where}.payloadFormatVersion must be "1.0" or "2.0"`);
  }
  const simple = fields.simpleResponses ?? false;
  if (typeof simple !== "boolean" || (simple && format !== "2.0")) {
    throw new TypeError(
      `${where}.simpleResponses must be a boolean, and true only with format 2.0`,
    );
  }
  const identity = fields.identity === undefined
    ? {}
    : _record(`${where}.identity`, fields.identity);
  _known(`${where}.identity`, identity, IDENTITY_KEYS);
  const lists = {
    headers: _names(`${where}.identity.headers`, identity.headers),
    queryStrings: _names(`${where}.identity.queryStrings`, identity.queryStrings),
    context: _names(`${where}.identity.context`, identity.context),
  };
  const { validationExpression, reauthorizeEvery } = identity;
  if (type === "TOKEN") {
    if (lists.headers.length > 1 || lists.queryStrings.length + lists.context.length > 0) {
      throw new TypeError(`${where}.identity of a TOKEN authorizer is one header, no more`);
    }
    if (lists.headers.length === 0) lists.headers = ["Authorization"];
  }
  if (validationExpression !== undefined) {
    if (type !== "TOKEN" || typeof validationExpression !== "string") {
      throw new TypeError(`${where}.identity.validationExpression is a string, for TOKEN only`);
    }
    try {
      new RegExp(validationExpression);
    } catch (error) {
      throw new TypeError(`${where}.identity.validationExpression: ${(error as Error).message}`);
    }
  }
  const ttl = reauthorizeEvery ?? (api === "rest" ? 300 : 0);
  if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new TypeError(`${where}.identity.reauthorizeEvery must be an integer from 0 to 3600`);
  }
  const sources = lists.headers.length + lists.queryStrings.length + lists.context.length;
  if (ttl > 0 && sources === 0) {
    throw new TypeError(
      `${where}.identity needs a header, query string or context variable to keep answers by ` +
        "(or reauthorizeEvery: 0)",
    );
  }
  return {
    function: fields.function,
    type,
    payloadFormatVersion: format,
    simpleResponses: simple,
    ...lists,
    ...(typeof validationExpression === "string" ? { validationExpression } : {}),
    ttlSeconds: ttl,
  };
}

function _names(where: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && /^[\w.-]+$/.test(v))) {
    throw new TypeError(`${where} must be a list of names`);
  }
  return value.map(String);
}

function _known(where: string, fields: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where} has an unknown key "${key}" (known: ${known.join(", ")})`);
    }
  }
}

function _record(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object`);
  }
  return { ...value };
}
