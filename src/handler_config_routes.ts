/**
 * What a handler's `config` may declare about API Gateway: routes of the project's REST API
 * (`Api`) and HTTP API (`HttpApi`), and the Lambda authorizers in front of them. Part of
 * `HandlerConfig` (see `handler_config.ts`, which re-exports these types); the build writes them
 * as SAM events, and the emulator serves them as API Gateway would.
 *
 * @module
 */

/**
 * A route of the project's REST API (SAM `Api`): the implicit `ServerlessRestApi`, stage `Prod`,
 * or, when a route has an authorizer, the `RestApi` resource the template declares. The event
 * is payload format 1.0; the answer must be `{ statusCode, headers?, multiValueHeaders?, body?,
 * isBase64Encoded? }`.
 */
export interface ApiEventSource {
  /** The SAM event type. */
  readonly type: "Api";
  /** The resource path: `/`, `/users/{id}`, `/files/{proxy+}` (a greedy variable ends it). */
  readonly path: string;
  /** `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, or `ANY` for all of them. */
  readonly method: string;
  /** A Lambda authorizer that decides first, by calling another of the project's functions. */
  readonly authorizer?: RestAuthorizer;
}

/**
 * A route of the project's HTTP API (SAM `HttpApi`): the implicit `ServerlessHttpApi`, stage
 * `$default`, or, when a route has an authorizer, the `HttpApi` resource the template declares.
 * Without `path` and `method` it is the `$default` route, which takes what no other route does.
 */
export interface HttpApiEventSource {
  /** The SAM event type. */
  readonly type: "HttpApi";
  /** The route's path: `/users/{id}`, `/files/{proxy+}`; with `method`, or neither. */
  readonly path?: string;
  /** `GET`, `POST`…, or `ANY`; with `path`, or neither. */
  readonly method?: string;
  /** The event's shape: `"2.0"` (the default) or `"1.0"` (that of REST APIs, with `version`). */
  readonly payloadFormatVersion?: "1.0" | "2.0";
  /** A Lambda authorizer that decides first, by calling another of the project's functions. */
  readonly authorizer?: HttpApiAuthorizer;
}

/**
 * A REST API Lambda authorizer (SAM `Auth.Authorizers`, `FunctionArn` and `FunctionPayloadType`).
 * Its function answers with an IAM policy (`principalId`, `policyDocument`, `context`); throwing
 * `Error("Unauthorized")` answers `401`.
 */
export interface RestAuthorizer {
  /** The function that decides, by its name in the emulator: `auth`, or `auth.token` for an export. */
  readonly function: string;
  /** `TOKEN` (the default): it gets the token alone; `REQUEST`: the whole request. */
  readonly type?: "TOKEN" | "REQUEST";
  /**
   * Where the caller's identity is. For `TOKEN`, one header (`Authorization` by default) and
   * an optional `validationExpression`; for `REQUEST`, the headers, query strings and context
   * variables it needs. A request lacking one is answered `401` without calling the function.
   */
  readonly identity?: AuthorizerIdentity;
}

/**
 * An HTTP API Lambda authorizer (SAM `Auth.Authorizers` of an `HttpApi`). Its function answers
 * with `{ isAuthorized, context }` when `simpleResponses` is set, else with an IAM policy.
 */
export interface HttpApiAuthorizer {
  /** The function that decides, by its name in the emulator: `auth`, or `auth.token` for an export. */
  readonly function: string;
  /** The shape of the event it gets: `"2.0"` (the default) or `"1.0"` (a REST API's). */
  readonly payloadFormatVersion?: "1.0" | "2.0";
  /** It answers `{ isAuthorized: boolean, context? }` (format 2.0 only). */
  readonly simpleResponses?: boolean;
  /** The parts of the request it needs; a request lacking one is answered `401` unseen. */
  readonly identity?: AuthorizerIdentity;
}

/** The request parts an authorizer needs, and how long its answer is kept. */
export interface AuthorizerIdentity {
  /** Header names: `["Authorization"]` (a REST `TOKEN` authorizer takes exactly one). */
  readonly headers?: readonly string[];
  /** Query string parameter names (not for a `TOKEN` authorizer). */
  readonly queryStrings?: readonly string[];
  /** Context variables: `["sourceIp"]`, `["identity.sourceIp"]`… (not for a `TOKEN` authorizer). */
  readonly context?: readonly string[];
  /** `TOKEN` only: a regular expression the token must match, else `401` unseen. */
  readonly validationExpression?: string;
  /**
   * Seconds an answer is kept for the same identity values (0 to 3600; REST APIs keep them 300
   * seconds unless told, HTTP APIs not at all). A kept IAM policy is checked against each new
   * route, as API Gateway does.
   */
  readonly reauthorizeEvery?: number;
}
