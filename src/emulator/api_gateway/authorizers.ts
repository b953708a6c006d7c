/**
 * Lambda authorizers, as API Gateway runs them: the request must carry the identity sources
 * (else `401`, the function unasked); the authorizer function gets a `TOKEN` or `REQUEST` event
 * (payload 1.0 or 2.0); its answer — an IAM policy checked against the route's ARN, or an HTTP
 * API's simple `{ isAuthorized }` — allows or refuses the request, and its `context` goes on to
 * the route's function. Answers are kept for the authorizer's TTL, by identity values, and a kept
 * policy is checked again against each new route, as API Gateway does.
 *
 * @module
 */

import type { ApiAuthorizer } from "../../builder/functions/api_routes.ts";
import { isRecord } from "../../http/event.ts";
import type { GatewayFailure } from "./gateway_responses.ts";
import type { ApiIdentity, GatewayRequest } from "./proxy_events.ts";
import type { RouteMatch } from "./route_table.ts";

/** How an authorizer function's invocation ended. */
export type AuthorizerAnswer =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errorMessage: string; readonly reason: string };

/** What the authorizer decided. */
export type AuthorizerDecision =
  | { readonly allow: true; readonly authorizer: Record<string, unknown> }
  | { readonly allow: false; readonly failure: GatewayFailure; readonly reason: string };

/** What deciding needs from the gateway. */
export interface AuthorizerOptions {
  /** The API. */
  readonly api: ApiIdentity;
  /** Invokes a function with an event, and reads its JSON answer. */
  readonly call: (fn: string, event: Record<string, unknown>) => Promise<AuthorizerAnswer>;
  /** The clock, epoch milliseconds. */
  readonly now?: () => number;
}

/** The authorizers of one API, with the answers they keep. */
export class Authorizers {
  readonly #options: AuthorizerOptions;
  readonly #kept = new Map<string, { until: number; value: unknown }>();

  /** @param options The API, how to call a function, the clock. */
  constructor(options: AuthorizerOptions) {
    this.#options = options;
  }

  /** Forgets every kept answer (after the functions changed). */
  clear(): void {
    this.#kept.clear();
  }

  /**
   * Decides whether a request may go on to its route's function.
   *
   * @param request The request.
   * @param match Its route, which has an authorizer.
   * @param eventOf The request's route event in a payload format.
   * @returns Allowed, with what goes in `requestContext.authorizer`, or the failure to answer.
   */
  async decide(
    request: GatewayRequest,
    match: RouteMatch,
    eventOf: (format: "1.0" | "2.0") => Record<string, unknown>,
  ): Promise<AuthorizerDecision> {
    const authorizer = match.route.authorizer!;
    const { api } = this.#options;
    const values = _identity(authorizer, request, eventOf(match.route.payloadFormatVersion));
    if (values === undefined) {
      return { allow: false, failure: "unauthorized", reason: "an identity source is missing" };
    }
    const expression = authorizer.validationExpression;
    if (expression !== undefined && !new RegExp(expression).test(values[0] ?? "")) {
      return {
        allow: false,
        failure: "unauthorized",
        reason: `the token does not match ${expression}`,
      };
    }
    const arn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/${api.stage}/` +
      `${request.request.method}${request.path}`;
    const key = `${authorizer.function}\u0000${values.join("\u0000")}`;
    const now = this.#options.now ?? Date.now;
    const started = now();
    let value: unknown;
    const kept = this.#kept.get(key);
    if (kept !== undefined && kept.until > started) {
      value = kept.value;
    } else {
      const answer = await this.#options.call(
        authorizer.function,
        _event(authorizer, arn, values, eventOf),
      );
      if (!answer.ok) {
        // A REST authorizer refuses a caller by failing with exactly "Unauthorized".
        const refused = api.api === "rest" && answer.errorMessage === "Unauthorized";
        return {
          allow: false,
          failure: refused ? "unauthorized" : "authorizerFailed",
          reason: answer.reason,
        };
      }
      value = answer.value;
      if (authorizer.ttlSeconds > 0) {
        this.#kept.set(key, { until: started + authorizer.ttlSeconds * 1000, value });
      }
    }
    const decision = _decision(authorizer, value, arn, api.api);
    if (!decision.allow) return decision;
    return {
      allow: true,
      authorizer: _requestContext(decision.context, match, api.api, Math.round(now() - started)),
    };
  }
}

/** The identity values, in the order the authorizer declares them, or `undefined` if one is missing. */
function _identity(
  authorizer: ApiAuthorizer,
  request: GatewayRequest,
  event: Record<string, unknown>,
): string[] | undefined {
  const query = new URL(request.request.url).searchParams;
  const context = event.requestContext as Record<string, unknown>;
  const values = [
    ...authorizer.headers.map((name) => request.request.headers.get(name)),
    ...authorizer.queryStrings.map((name) => query.get(name)),
    ...authorizer.context.map((name) => _contextVariable(context, name)),
  ];
  if (values.some((v) => v === null || v === undefined || v === "")) return undefined;
  return values as string[];
}

function _contextVariable(context: Record<string, unknown>, name: string): string | undefined {
  const http = isRecord(context.http) ? context.http : {};
  const aliases: Record<string, unknown> = {
    "identity.sourceIp": http.sourceIp,
    "identity.userAgent": http.userAgent,
    httpMethod: http.method,
    path: http.path,
  };
  let value: unknown = context;
  for (const part of name.split(".")) value = isRecord(value) ? value[part] : undefined;
  value ??= aliases[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function _event(
  authorizer: ApiAuthorizer,
  arn: string,
  values: string[],
  eventOf: (format: "1.0" | "2.0") => Record<string, unknown>,
): Record<string, unknown> {
  if (authorizer.type === "TOKEN") {
    return { type: "TOKEN", authorizationToken: values[0], methodArn: arn };
  }
  const { body: _body, isBase64Encoded: _encoded, ...request } = eventOf(
    authorizer.payloadFormatVersion,
  );
  if (authorizer.payloadFormatVersion === "2.0") {
    return { version: "2.0", type: "REQUEST", routeArn: arn, identitySource: values, ...request };
  }
  // An HTTP API's format 1.0 says which values it checked; a REST API's does not.
  const joined = "version" in request
    ? { identitySource: values.join(","), authorizationToken: values.join(",") }
    : {};
  return { type: "REQUEST", methodArn: arn, ...joined, ...request };
}

type _Verdict =
  | { readonly allow: true; readonly context: Record<string, unknown> }
  | { readonly allow: false; readonly failure: GatewayFailure; readonly reason: string };

function _decision(
  authorizer: ApiAuthorizer,
  value: unknown,
  arn: string,
  api: "http" | "rest",
): _Verdict {
  const invalid = (reason: string): _Verdict => ({
    allow: false,
    failure: "authorizerFailed",
    reason,
  });
  if (!isRecord(value)) return invalid("its answer is not an object");
  const context = value.context ?? {};
  if (!isRecord(context)) return invalid("its context is not an object");
  if (api === "rest" && !Object.values(context).every(_scalar)) {
    return invalid("a REST API's authorizer context holds strings, numbers and booleans only");
  }
  if (authorizer.simpleResponses) {
    if (typeof value.isAuthorized !== "boolean") return invalid("isAuthorized is not a boolean");
    return value.isAuthorized
      ? { allow: true, context }
      : { allow: false, failure: "explicitDeny", reason: "isAuthorized is false" };
  }
  if (typeof value.principalId !== "string") return invalid("principalId is not a string");
  const document = value.policyDocument;
  const statements = isRecord(document)
    ? (Array.isArray(document.Statement) ? document.Statement : [document.Statement])
    : [];
  if (statements.length === 0 || !statements.every(isRecord)) {
    return invalid("policyDocument.Statement is not a list of statements");
  }
  let allowed = false;
  for (const statement of statements) {
    const { Effect: effect, Action: action, Resource: resource } = statement;
    if (effect !== "Allow" && effect !== "Deny") {
      return invalid(`Effect ${effect} is not Allow or Deny`);
    }
    if (!_matches(action, "execute-api:Invoke") || !_matches(resource, arn)) continue;
    if (effect === "Deny") {
      return { allow: false, failure: "explicitDeny", reason: `its policy denies ${arn}` };
    }
    allowed = true;
  }
  if (!allowed) {
    return { allow: false, failure: "notAllowed", reason: `its policy does not allow ${arn}` };
  }
  return { allow: true, context: { ...context, principalId: value.principalId } };
}

/** Whether an IAM `Action` or `Resource` (a pattern or a list of them) covers a value. */
function _matches(patterns: unknown, value: string): boolean {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((pattern) =>
    typeof pattern === "string" &&
    new RegExp(
      `^${
        pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")
      }$`,
      pattern.startsWith("arn:") ? "" : "i",
    ).test(value)
  );
}

/** What the route's function finds in `requestContext.authorizer`. */
function _requestContext(
  context: Record<string, unknown>,
  match: RouteMatch,
  api: "http" | "rest",
  latency: number,
): Record<string, unknown> {
  if (api === "rest") {
    // A REST API hands every context value on as a string.
    const strings = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, String(v)]));
    return { ...strings, integrationLatency: latency };
  }
  return match.route.payloadFormatVersion === "2.0" ? { lambda: context } : context;
}

function _scalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
