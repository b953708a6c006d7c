/**
 * Checking the parts of a function's `config` that go into the template as they are written
 * (environment, policies, events), so that a mistake is named at build time, with the function
 * it is in, rather than by CloudFormation halfway through a deployment.
 *
 * @module
 */

import type { EnvironmentParameter, EventSource, Policy } from "../../handler_config.ts";
import { apiRoutes } from "./api_routes.ts";

/** Each event type's required and optional fields (see `EventSource`). */
const EVENT_FIELDS: Readonly<Record<string, { required: string[]; optional: string[] }>> = {
  SQS: {
    required: ["queue"],
    optional: [
      "batchSize",
      "maximumBatchingWindowInSeconds",
      "functionResponseTypes",
      "enabled",
      "filterCriteria",
      "scalingConfig",
    ],
  },
  Kinesis: { required: ["stream", "startingPosition"], optional: _streamOptional() },
  DynamoDB: { required: ["stream", "startingPosition"], optional: _streamOptional() },
  S3: { required: ["bucket", "events"], optional: ["filter"] },
  SNS: { required: ["topic"], optional: ["filterPolicy", "filterPolicyScope", "sqsSubscription"] },
  Schedule: { required: ["schedule"], optional: ["input", "name", "description", "enabled"] },
  EventBridgeRule: { required: ["pattern"], optional: ["eventBusName", "input", "inputPath"] },
  Api: { required: ["path", "method"], optional: ["authorizer"] },
  HttpApi: { required: [], optional: ["path", "method", "payloadFormatVersion", "authorizer"] },
};

function _streamOptional(): string[] {
  return [
    "batchSize",
    "maximumBatchingWindowInSeconds",
    "functionResponseTypes",
    "bisectBatchOnFunctionError",
    "maximumRetryAttempts",
    "maximumRecordAgeInSeconds",
    "parallelizationFactor",
    "enabled",
    "filterCriteria",
    "destinationConfig",
  ];
}

const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const PARAMETER_KEYS = new Set(["parameter", "secret", "default", "description"]);

/**
 * Checks `environment`.
 *
 * @param name The function, for messages: `slack.handler`.
 * @param value The field's value.
 * @returns The environment, checked.
 * @throws {TypeError} If a name or value is malformed.
 */
export function checkEnvironment(
  name: string,
  value: unknown,
): Record<string, string | EnvironmentParameter> {
  const fields = _record(name, "environment", value);
  for (const [key, entry] of Object.entries(fields)) {
    // Lambda reserves the AWS_ prefix and rejects a deployment that sets one.
    if (!ENV_NAME.test(key) || key.startsWith("AWS_")) {
      throw new TypeError(
        `Cannot deploy ${name}: environment variable "${key}" must be letters, digits and _, ` +
          "not starting with AWS_",
      );
    }
    if (typeof entry === "string") continue;
    const parameter = _record(name, `environment.${key}`, entry);
    for (const field of Object.keys(parameter)) {
      if (!PARAMETER_KEYS.has(field)) {
        throw new TypeError(
          `Cannot deploy ${name}: environment.${key} has an unknown key "${field}" (known: ` +
            `${[...PARAMETER_KEYS].join(", ")}; or give the value as a string)`,
        );
      }
    }
    const { parameter: id, secret, default: fallback, description } = parameter;
    if (id !== undefined && (typeof id !== "string" || !LOGICAL_ID.test(id))) {
      throw new TypeError(
        `Cannot deploy ${name}: environment.${key}.parameter must be letters and digits`,
      );
    }
    if (secret !== undefined && typeof secret !== "boolean") {
      throw new TypeError(`Cannot deploy ${name}: environment.${key}.secret must be a boolean`);
    }
    for (const [field, text] of [["default", fallback], ["description", description]]) {
      if (text !== undefined && typeof text !== "string") {
        throw new TypeError(`Cannot deploy ${name}: environment.${key}.${field} must be a string`);
      }
    }
  }
  return fields as Record<string, string | EnvironmentParameter>;
}

/** An IAM policy name, as IAM allows it: what SAM expands to an AWS managed policy's ARN. */
const MANAGED_POLICY_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
/** A managed policy's ARN, in any partition, with an optional path. */
const MANAGED_POLICY_ARN =
  /^arn:aws(?:-[a-z]+)*:iam::(?:aws|\d{12}):policy\/(?:[A-Za-z0-9+=,.@_-]+\/)*[A-Za-z0-9+=,.@_-]{1,128}$/;

/**
 * Checks `policies`.
 *
 * @param name The function, for messages.
 * @param value The field's value.
 * @returns The policies, checked.
 * @throws {TypeError} If one is neither a managed policy's name or ARN, a policy template nor
 * a policy document.
 */
export function checkPolicies(name: string, value: unknown): Policy[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`Cannot deploy ${name}: policies must be an array`);
  }
  value.forEach((policy: unknown, i) => {
    if (typeof policy === "string") {
      if (MANAGED_POLICY_NAME.test(policy) || MANAGED_POLICY_ARN.test(policy)) return;
      throw new TypeError(
        `Cannot deploy ${name}: policies[${i}] ${JSON.stringify(policy)} is neither an IAM ` +
          "policy ARN (arn:aws:iam::aws:policy/…) nor the name of an AWS managed policy " +
          "(letters, digits and +=,.@_-)",
      );
    }
    const fields = typeof policy === "object" && policy !== null && !Array.isArray(policy)
      ? Object.entries(policy)
      : [];
    const document = fields.some(([key, v]) => key === "Statement" && Array.isArray(v));
    const template = fields.length === 1 && typeof fields[0]![1] === "object" &&
      fields[0]![1] !== null && !Array.isArray(fields[0]![1]);
    if (!document && !template) {
      throw new TypeError(
        `Cannot deploy ${name}: policies[${i}] must be a managed policy name or ARN, a policy ` +
          'template ({ S3ReadPolicy: { BucketName: "…" } }) or a document ({ Statement: […] })',
      );
    }
  });
  return value as Policy[];
}

/**
 * Checks `events`.
 *
 * @param name The function, for messages.
 * @param value The field's value.
 * @returns The events, checked.
 * @throws {TypeError} If an event has an unknown type, misses a field or has an unknown one, or
 * a route's path, method or authorizer is malformed.
 */
export function checkEvents(name: string, value: unknown): Record<string, EventSource> {
  const events = _record(name, "events", value);
  for (const [id, event] of Object.entries(events)) {
    if (!LOGICAL_ID.test(id)) {
      throw new TypeError(`Cannot deploy ${name}: event name "${id}" must be letters and digits`);
    }
    const fields = _record(name, `events.${id}`, event);
    const type = fields.type;
    const known = typeof type === "string" ? EVENT_FIELDS[type] : undefined;
    if (known === undefined) {
      throw new TypeError(
        `Cannot deploy ${name}: events.${id}.type must be one of ` +
          `${Object.keys(EVENT_FIELDS).join(", ")}, got ${JSON.stringify(type)}`,
      );
    }
    for (const field of known.required) {
      if (fields[field] === undefined) {
        throw new TypeError(`Cannot deploy ${name}: events.${id} (${type}) needs ${field}`);
      }
    }
    for (const field of Object.keys(fields)) {
      if (field !== "type" && !known.required.includes(field) && !known.optional.includes(field)) {
        throw new TypeError(
          `Cannot deploy ${name}: events.${id} (${type}) has an unknown field "${field}" ` +
            `(known: ${[...known.required, ...known.optional].join(", ")})`,
        );
      }
    }
    const responses = fields.functionResponseTypes;
    if (
      responses !== undefined &&
      (!Array.isArray(responses) || responses.some((r) => r !== "ReportBatchItemFailures"))
    ) {
      throw new TypeError(
        `Cannot deploy ${name}: events.${id}.functionResponseTypes must be ` +
          '["ReportBatchItemFailures"]',
      );
    }
  }
  // Paths, methods and authorizers, checked where the routes are read.
  apiRoutes({ events: events as Record<string, EventSource> }, name);
  return events as Record<string, EventSource>;
}

function _record(name: string, field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Cannot deploy ${name}: ${field} must be an object`);
  }
  return { ...value };
}
