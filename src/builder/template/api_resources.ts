/**
 * The template's API Gateway part: each function's `Api` and `HttpApi` routes as SAM events, on
 * one REST API and one HTTP API. Without authorizers those are SAM's implicit
 * `ServerlessRestApi` (stage `Prod`) and `ServerlessHttpApi` (stage `$default`); an API with a
 * Lambda authorizer is declared instead (`RestApi`, `HttpApi`), since only a declared API can
 * name its authorizers, and every route of that kind goes to it. Each API's URL is an output.
 *
 * @module
 */

import type { FunctionSpec } from "../functions/function_config.ts";
import {
  type ApiAuthorizer,
  type ApiKind,
  type ApiRoute,
  apiRoutes,
  checkRouteSet,
} from "../functions/api_routes.ts";

/** What the routes add to the template. */
export interface ApiTemplate {
  /** SAM events by function (`file.export`), by event name. */
  readonly events: ReadonlyMap<string, Record<string, unknown>>;
  /** The declared APIs, if any. */
  readonly resources: Record<string, unknown>;
  /** The URL of each API that has routes. */
  readonly outputs: Record<string, unknown>;
}

/** The logical ids of the APIs the template declares when they have authorizers. */
export const DECLARED_APIS: Readonly<Record<ApiKind, string>> = {
  rest: "RestApi",
  http: "HttpApi",
};

/** The stage of the REST API, as SAM names the implicit one's. */
export const REST_STAGE = "Prod";

/**
 * The routes of the functions, as SAM events and APIs.
 *
 * @example One route, on the implicit HTTP API
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { apiTemplate } from "./api_resources.ts";
 *
 * const fn = {
 *   file: "users",
 *   exportName: "handler",
 *   config: { events: { Get: { type: "HttpApi" as const, method: "GET", path: "/users/{id}" } } },
 * };
 * const api = apiTemplate([fn], () => "UsersHandler");
 * deepEqual(api.events.get("users.handler"), {
 *   Get: { Type: "HttpApi", Properties: { Path: "/users/{id}", Method: "GET" } },
 * });
 * deepEqual(api.resources, {});
 * ```
 *
 * @param functions The functions built.
 * @param logicalId The logical id of a function.
 * @returns The events, the declared APIs and the outputs.
 * @throws {TypeError} If two routes clash, or an authorizer names a function not built.
 */
export function apiTemplate(
  functions: readonly FunctionSpec[],
  logicalId: (fn: FunctionSpec) => string,
): ApiTemplate {
  const routed = functions.flatMap((fn) =>
    apiRoutes(fn.config, `${fn.file}.${fn.exportName}`).map((route) => ({ fn, route }))
  );
  checkRouteSet(routed.map(({ fn, route }) => ({ name: `${fn.file}.${fn.exportName}`, route })));
  const declared = new Set(routed.filter(({ route }) => route.authorizer).map((r) => r.route.api));
  const authorizers: Record<ApiKind, Record<string, unknown>> = { rest: {}, http: {} };
  const events = new Map<string, Record<string, unknown>>();
  for (const { fn, route } of routed) {
    let auth: string | undefined;
    if (route.authorizer !== undefined) {
      const target = _functionNamed(functions, route.authorizer.function);
      if (target === undefined) {
        throw new TypeError(
          `Cannot deploy ${fn.file}.${fn.exportName}: events.${route.event}.authorizer names ` +
            `function ${route.authorizer.function}, which is not among the functions built`,
        );
      }
      auth = logicalId(target);
      authorizers[route.api][auth] = _authorizer(route.api, route.authorizer, auth);
    }
    const key = `${fn.file}.${fn.exportName}`;
    events.set(key, { ...events.get(key), [route.event]: _event(route, declared, auth) });
  }
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  for (const api of ["http", "rest"] as const) {
    if (!routed.some(({ route }) => route.api === api)) continue;
    const id = declared.has(api) ? DECLARED_APIS[api] : _implicit(api);
    if (declared.has(api)) {
      resources[id] = api === "rest"
        ? {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: REST_STAGE, Auth: { Authorizers: authorizers.rest } },
        }
        : {
          Type: "AWS::Serverless::HttpApi",
          Properties: { Auth: { Authorizers: authorizers.http } },
        };
    }
    const stage = api === "rest" ? `${REST_STAGE}/` : "";
    outputs[api === "rest" ? "RestApiUrl" : "HttpApiUrl"] = {
      Description: `The ${api === "rest" ? "REST" : "HTTP"} API's URL`,
      Value: {
        "Fn::Sub": `https://\${${id}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${stage}`,
      },
    };
  }
  return { events, resources, outputs };
}

function _implicit(api: ApiKind): string {
  return api === "rest" ? "ServerlessRestApi" : "ServerlessHttpApi";
}

/** A function by the name the emulator knows it by: `auth`, `auth.handler` or `auth.token`. */
function _functionNamed(
  functions: readonly FunctionSpec[],
  name: string,
): FunctionSpec | undefined {
  return functions.find((fn) =>
    `${fn.file}.${fn.exportName}` === name || (fn.exportName === "handler" && fn.file === name)
  );
}

function _event(
  route: ApiRoute,
  declared: ReadonlySet<ApiKind>,
  authorizer: string | undefined,
): Record<string, unknown> {
  const properties: Record<string, unknown> = route.path === "$default"
    ? {}
    : { Path: route.path, Method: route.method };
  if (declared.has(route.api)) {
    properties[route.api === "rest" ? "RestApiId" : "ApiId"] = { Ref: DECLARED_APIS[route.api] };
  }
  if (route.api === "http" && route.payloadFormatVersion !== "2.0") {
    properties.PayloadFormatVersion = route.payloadFormatVersion;
  }
  if (authorizer !== undefined) properties.Auth = { Authorizer: authorizer };
  return { Type: route.api === "rest" ? "Api" : "HttpApi", Properties: properties };
}

function _authorizer(api: ApiKind, authorizer: ApiAuthorizer, id: string): Record<string, unknown> {
  const arn = { "Fn::GetAtt": [id, "Arn"] };
  const ttl = { ReauthorizeEvery: authorizer.ttlSeconds };
  const sources = {
    ...(authorizer.headers.length === 0 ? {} : { Headers: authorizer.headers }),
    ...(authorizer.queryStrings.length === 0 ? {} : { QueryStrings: authorizer.queryStrings }),
    ...(authorizer.context.length === 0 ? {} : { Context: authorizer.context }),
  };
  if (api === "rest") {
    const identity = authorizer.type === "TOKEN"
      ? {
        Header: authorizer.headers[0],
        ...(authorizer.validationExpression === undefined
          ? {}
          : { ValidationExpression: authorizer.validationExpression }),
        ...ttl,
      }
      : { ...sources, ...ttl };
    return { FunctionArn: arn, FunctionPayloadType: authorizer.type, Identity: identity };
  }
  const identity = { ...sources, ...(authorizer.ttlSeconds === 0 ? {} : ttl) };
  return {
    FunctionArn: arn,
    AuthorizerPayloadFormatVersion: authorizer.payloadFormatVersion,
    ...(authorizer.simpleResponses ? { EnableSimpleResponses: true } : {}),
    // Without it, API Gateway may not call the function, and every request is answered 500.
    EnableFunctionDefaultPermissions: true,
    ...(Object.keys(identity).length === 0 ? {} : { Identity: identity }),
  };
}
