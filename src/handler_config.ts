/**
 * What a handler module's `config` export may declare: which of its exports are Lambda
 * functions, and how each is deployed. `deno task build` reads it to write the SAM template,
 * and the emulator reads it to run each function as it will run in Lambda.
 *
 * With `config`, exactly the exports it names are functions; without it, the module's
 * `handler` export is (Lambda's own convention for `_HANDLER=file`), deployed with the build's
 * defaults and no Function URL, and the build warns.
 *
 * @example A function behind a Function URL
 * ```ts
 * import type { HandlerConfig } from "./handler_config.ts";
 *
 * export const config = {
 *   handler: { url: "buffered", memorySize: 256, timeout: 10 },
 * } satisfies HandlerConfig;
 * ```
 *
 * @example Routes of an HTTP API, one behind a Lambda authorizer
 * ```ts
 * import type { HandlerConfig } from "./handler_config.ts";
 *
 * export const config = {
 *   handler: {
 *     events: {
 *       List: { type: "HttpApi", method: "GET", path: "/users" },
 *       Update: {
 *         type: "HttpApi",
 *         method: "PUT",
 *         path: "/users/{id}",
 *         authorizer: { function: "auth", simpleResponses: true },
 *       },
 *     },
 *   },
 * } satisfies HandlerConfig;
 * ```
 *
 * @example Environment, a secret, a policy and a queue
 * ```ts
 * import type { HandlerConfig } from "./handler_config.ts";
 *
 * export const config = {
 *   handler: {
 *     timeout: 30,
 *     environment: {
 *       LOG_LEVEL: "info",
 *       API_TOKEN: { secret: true, description: "The token the API expects" },
 *       TABLE_BUCKET: { parameter: "TableBucket", default: "my-bucket" },
 *     },
 *     policies: [{ S3ReadPolicy: { BucketName: { Ref: "TableBucket" } } }],
 *     events: {
 *       Jobs: {
 *         type: "SQS",
 *         queue: { "Fn::GetAtt": ["JobQueue", "Arn"] },
 *         functionResponseTypes: ["ReportBatchItemFailures"],
 *       },
 *     },
 *   },
 * } satisfies HandlerConfig;
 * ```
 *
 * @module
 */

import type { ApiEventSource, HttpApiEventSource } from "./handler_config_routes.ts";

export type {
  ApiEventSource,
  AuthorizerIdentity,
  HttpApiAuthorizer,
  HttpApiEventSource,
  RestAuthorizer,
} from "./handler_config_routes.ts";

/**
 * How a Function URL answers: `"buffered"` (`InvokeMode: BUFFERED`, the whole response at
 * once) or `"stream"` (`RESPONSE_STREAM`).
 */
export type UrlMode = "buffered" | "stream";

/** The deployment settings of one handler export. */
export interface FunctionConfig {
  /** Give the function a Function URL answering this way. */
  readonly url?: UrlMode;
  /** Memory in MB (128–10240); the build's default otherwise. */
  readonly memorySize?: number;
  /** Timeout in seconds (1–900); the build's default otherwise. */
  readonly timeout?: number;
  /**
   * The most environments that may run the function at once (`ReservedConcurrentExecutions`),
   * reserved out of the account's concurrency; past it, invocations are throttled. `0` turns the
   * function off. The emulator applies it too, within its own limit per function
   * (`--max-environments`, 10 by default).
   */
  readonly reservedConcurrency?: number;
  /** A description for the console. */
  readonly description?: string;
  /**
   * Files and directories the function reads at run time, relative to its module (a directory
   * ends in `/`): the build ships these beside the bundle, and nothing else of the project.
   */
  readonly assets?: readonly string[];
  /**
   * npm packages, by their name in `deno.json`'s `imports`, that need their own files on disk at
   * run time (a data file, a `.wasm`, a worker script read relative to the package's own
   * location), so cannot be bundled. The build leaves each out of the bundle and ships it, with
   * its own dependencies, in the artifact's `node_modules/`, where the bundle finds it at run
   * time. Everything else stays bundled. The build stops, naming the package, if the module does
   * not import it or `deno.json` does not map it to an npm package.
   *
   * @example Ship a package that reads files beside its own code
   * ```ts
   * import type { HandlerConfig } from "./handler_config.ts";
   *
   * export const config = {
   *   handler: { nodeModules: ["cowsay"] },
   * } satisfies HandlerConfig;
   * ```
   */
  readonly nodeModules?: readonly string[];
  /**
   * The function's environment variables (`Environment.Variables`). A string is the value
   * itself; an {@linkcode EnvironmentParameter} makes it a template parameter, given at deploy
   * time. The emulator gives a function these too: the strings and the parameters' defaults,
   * never a secret (pass secrets with `--env-file`).
   */
  readonly environment?: Readonly<Record<string, string | EnvironmentParameter>>;
  /**
   * The function's permissions (SAM's `Policies`): managed policy names or ARNs
   * (`"AmazonS3ReadOnlyAccess"`), SAM policy templates (`{ S3CrudPolicy: { BucketName: … } }`)
   * or inline policy documents (`{ Statement: […] }`).
   */
  readonly policies?: readonly Policy[];
  /** What invokes the function (SAM's `Events`), by a name of your choice: `{ Jobs: {…} }`. */
  readonly events?: Readonly<Record<string, EventSource>>;
  /**
   * What the function's code may do inside its sandbox (Deno's permissions). By default
   * everything, as on Lambda's Node.js runtime, so that npm packages written for Node (the AWS
   * SDK, Powertools) work unmodified. Given, it narrows the set: each kind is granted as written
   * and a kind left out is not granted, while what the runtime needs stays granted (every
   * environment variable, its own code in `/var/task`, the Runtime API on `127.0.0.1`).
   *
   * @example An S3 client and nothing else
   * ```ts
   * import type { HandlerConfig } from "./handler_config.ts";
   *
   * export const config = {
   *   handler: {
   *     permissions: {
   *       net: ["s3.eu-west-1.amazonaws.com"],
   *       sys: ["uid", "osRelease"], // the AWS SDK's home directory and user agent
   *       read: ["/tmp"],
   *       write: ["/tmp"],
   *     },
   *   },
   * } satisfies HandlerConfig;
   * ```
   */
  readonly permissions?: FunctionPermissions;
}

/**
 * One kind of permission: `true` for all, `false` for none, or the paths, hosts (`host` or
 * `host:port`), program names or system information names (`"uid"`, `"osRelease"`…) granted.
 */
export type PermissionGrant = boolean | readonly string[];

/** The kinds of permission a function may narrow (see `FunctionConfig.permissions`). */
export interface FunctionPermissions {
  /** Paths it may read (`--allow-read`). */
  readonly read?: PermissionGrant;
  /** Paths it may write (`--allow-write`); only `/tmp` is writable on Lambda. */
  readonly write?: PermissionGrant;
  /** Hosts it may reach (`--allow-net`). */
  readonly net?: PermissionGrant;
  /** System information it may read (`--allow-sys`): `uid`, `osRelease`, `hostname`… */
  readonly sys?: PermissionGrant;
  /** Programs it may run (`--allow-run`). */
  readonly run?: PermissionGrant;
  /** Native libraries it may load (`--allow-ffi`), as Node's native addons do. */
  readonly ffi?: PermissionGrant;
}

/** A handler module's `config` export: export name → settings. */
export type HandlerConfig = Readonly<Record<string, FunctionConfig>>;

/**
 * A CloudFormation intrinsic, written in its long form: `{ Ref: "LocationBucket" }`,
 * `{ "Fn::GetAtt": ["Queue", "Arn"] }`, `{ "Fn::Sub": "arn:aws:s3:::${LocationBucket}/*" }`.
 */
export type Intrinsic =
  | { readonly Ref: string }
  | { readonly "Fn::GetAtt": readonly [string, string] }
  | { readonly "Fn::Sub": string }
  | { readonly "Fn::ImportValue": string | Intrinsic };

/** A value in the template: a literal or an intrinsic. */
export type TemplateValue = string | number | boolean | Intrinsic;

/** JSON as the template carries it (event patterns, filter policies, policy documents). */
export type TemplateJson =
  | string
  | number
  | boolean
  | null
  | readonly TemplateJson[]
  | { readonly [key: string]: TemplateJson };

/**
 * An environment variable given at deploy time: a template parameter (`Type: String`) whose
 * value the variable takes. Two functions naming the same parameter share it.
 */
export interface EnvironmentParameter {
  /** The parameter's name; by default the variable's in PascalCase (`SLACK_SIGNING_SECRET` → `SlackSigningSecret`). */
  readonly parameter?: string;
  /** Hide the value in the console and in `describe-stacks` (`NoEcho`); the emulator never defaults it. */
  readonly secret?: boolean;
  /** The value when the deployment gives none; without it, the deployment must give one. */
  readonly default?: string;
  /** Shown when the deployment asks for it. */
  readonly description?: string;
}

/**
 * A permission: a managed policy's name or ARN, a SAM policy template by name with its
 * parameters, or an inline IAM policy document.
 */
export type Policy =
  | string
  | { readonly [template: string]: Readonly<Record<string, TemplateValue>> }
  | { readonly Version?: string; readonly Statement: readonly TemplateJson[] };

/** The batch outcomes a poller reads: report failed records, retry only those. */
export type FunctionResponseTypes = readonly "ReportBatchItemFailures"[];

/**
 * An event source. Each maps onto the SAM event type of the same name, its fields onto that
 * type's properties with the first letter capitalised (`batchSize` → `BatchSize`); values
 * inside them (filters, patterns) are written as SAM writes them.
 */
export type EventSource =
  | SqsEventSource
  | StreamEventSource
  | S3EventSource
  | SnsEventSource
  | ScheduleEventSource
  | EventBridgeRuleEventSource
  | ApiEventSource
  | HttpApiEventSource;

/** An SQS queue (SAM `SQS`). */
export interface SqsEventSource {
  /** The SAM event type. */
  readonly type: "SQS";
  /** The queue's ARN: `{ "Fn::GetAtt": ["OrdersQueue", "Arn"] }`. */
  readonly queue: TemplateValue;
  /** Records per invocation: up to 10, or 10000 with a batching window. */
  readonly batchSize?: number;
  /** How long to gather records before invoking, in seconds (0–300). */
  readonly maximumBatchingWindowInSeconds?: number;
  /** `["ReportBatchItemFailures"]` when the handler reports failed records (`processSqsBatch`). */
  readonly functionResponseTypes?: FunctionResponseTypes;
  /** Whether the mapping polls; `true` by default. */
  readonly enabled?: boolean;
  /** Which messages invoke the function: `{ Filters: [{ Pattern: "…" }] }`. */
  readonly filterCriteria?: TemplateJson;
  /** How many invocations at most read the queue at once: `{ MaximumConcurrency: 5 }`. */
  readonly scalingConfig?: TemplateJson;
}

/** A Kinesis or DynamoDB stream (SAM `Kinesis`, `DynamoDB`). */
export interface StreamEventSource {
  /** The SAM event type. */
  readonly type: "Kinesis" | "DynamoDB";
  /** The stream's ARN (a table's is `{ "Fn::GetAtt": ["Table", "StreamArn"] }`). */
  readonly stream: TemplateValue;
  /** Where a new mapping starts reading. */
  readonly startingPosition: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  /** Records per invocation (up to 10000). */
  readonly batchSize?: number;
  /** How long to gather records before invoking, in seconds (0–300). */
  readonly maximumBatchingWindowInSeconds?: number;
  /** `["ReportBatchItemFailures"]` when the handler reports failed records. */
  readonly functionResponseTypes?: FunctionResponseTypes;
  /** Split a failing batch in two and retry each half. */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Retries of a failing batch before it is skipped (-1: until the record expires). */
  readonly maximumRetryAttempts?: number;
  /** Skip records older than this, in seconds (-1: never). */
  readonly maximumRecordAgeInSeconds?: number;
  /** Batches of one shard processed at once (1–10). */
  readonly parallelizationFactor?: number;
  /** Whether the mapping reads; `true` by default. */
  readonly enabled?: boolean;
  /** Which records invoke the function: `{ Filters: [{ Pattern: "…" }] }`. */
  readonly filterCriteria?: TemplateJson;
  /** Where skipped batches are recorded: `{ OnFailure: { Destination: "<queue ARN>" } }`. */
  readonly destinationConfig?: TemplateJson;
}

/** Object events of a bucket defined in the same template (SAM `S3`). */
export interface S3EventSource {
  /** The SAM event type. */
  readonly type: "S3";
  /** `{ Ref: "TheBucket" }`: SAM needs a bucket of the same template (`template.base.yaml`). */
  readonly bucket: Intrinsic;
  /** `"s3:ObjectCreated:*"`, or several. */
  readonly events: string | readonly string[];
  /** Which keys: `{ S3Key: { Rules: [{ Name: "prefix", Value: "in/" }] } }`. */
  readonly filter?: TemplateJson;
}

/** An SNS topic (SAM `SNS`). */
export interface SnsEventSource {
  /** The SAM event type. */
  readonly type: "SNS";
  /** The topic's ARN. */
  readonly topic: TemplateValue;
  /** Which messages: `{ store: ["example_corp"] }`. */
  readonly filterPolicy?: TemplateJson;
  /** What the filter policy applies to; the message attributes by default. */
  readonly filterPolicyScope?: "MessageAttributes" | "MessageBody";
  /** Deliver through an SQS queue that SAM creates, for batching and retries. */
  readonly sqsSubscription?: boolean;
}

/** An EventBridge schedule (SAM `Schedule`). */
export interface ScheduleEventSource {
  /** The SAM event type. */
  readonly type: "Schedule";
  /** `rate(5 minutes)` or `cron(0 8 * * ? *)`. */
  readonly schedule: string;
  /** The event the function gets, as JSON text; by default EventBridge's scheduled event. */
  readonly input?: string;
  /** The rule's name; generated by default. */
  readonly name?: string;
  /** The rule's description. */
  readonly description?: string;
  /** Whether the rule fires; `true` by default. */
  readonly enabled?: boolean;
}

/** An EventBridge rule (SAM `EventBridgeRule`). */
export interface EventBridgeRuleEventSource {
  /** The SAM event type. */
  readonly type: "EventBridgeRule";
  /** The event pattern: `{ source: ["aws.codepipeline"] }`. */
  readonly pattern: TemplateJson;
  /** The bus; the default bus otherwise. */
  readonly eventBusName?: TemplateValue;
  /** A fixed event to send instead, as JSON text. */
  readonly input?: string;
  /** A JSONPath of the part of the event to send. */
  readonly inputPath?: string;
}
