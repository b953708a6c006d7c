// API Gateway routes in a function's config: how they are checked, and what the template makes
// of them (SAM events on implicit APIs, or declared APIs when an authorizer is involved).
import { deepEqual, equal, throws } from "node:assert/strict";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import { samTemplate } from "../../src/builder/template/template.ts";
import type { EventSource, FunctionConfig } from "../../src/handler_config.ts";

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

function templateOf(...functions: [string, FunctionConfig][]): Record<string, unknown> {
  return samTemplate({
    functions: functions.map(([name, config]) => {
      const [file = name, exportName = "handler"] = name.split(".");
      return { file, exportName, config };
    }),
    arch: "arm64",
    codeUri: "arm64/function.zip",
    memorySize: 128,
    timeout: 3,
  }) as Record<string, unknown>;
}

function resource(template: Record<string, unknown>, id: string): Resource {
  return (template.Resources as Record<string, Resource>)[id]!;
}

function routed(events: Record<string, unknown>): FunctionConfig {
  return { events: events as Record<string, EventSource> };
}

Deno.test("routes without authorizers go to SAM's implicit APIs, whose URLs are outputs", () => {
  const template = templateOf([
    "users",
    routed({
      Get: { type: "HttpApi", method: "get", path: "/users/{id}" },
      Legacy: { type: "HttpApi", method: "POST", path: "/legacy", payloadFormatVersion: "1.0" },
      Fallback: { type: "HttpApi" },
      Items: { type: "Api", method: "ANY", path: "/items/{proxy+}" },
    }),
  ]);
  deepEqual(resource(template, "UsersHandler").Properties.Events, {
    Get: { Type: "HttpApi", Properties: { Path: "/users/{id}", Method: "GET" } },
    Legacy: {
      Type: "HttpApi",
      Properties: { Path: "/legacy", Method: "POST", PayloadFormatVersion: "1.0" },
    },
    Fallback: { Type: "HttpApi", Properties: {} },
    Items: { Type: "Api", Properties: { Path: "/items/{proxy+}", Method: "ANY" } },
  });
  deepEqual(Object.keys(template.Resources as object), ["UsersHandler"]);
  deepEqual(template.Outputs, {
    HttpApiUrl: {
      Description: "The HTTP API's URL",
      Value: {
        "Fn::Sub": "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
      },
    },
    RestApiUrl: {
      Description: "The REST API's URL",
      Value: {
        "Fn::Sub":
          "https://${ServerlessRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/",
      },
    },
  });
});

Deno.test("an authorizer declares its API, and every route of that kind goes to it", () => {
  const template = templateOf(
    [
      "users",
      routed({
        Open: { type: "HttpApi", method: "GET", path: "/open" },
        Closed: {
          type: "HttpApi",
          method: "GET",
          path: "/closed",
          authorizer: {
            function: "auth",
            simpleResponses: true,
            identity: { headers: ["Authorization"], reauthorizeEvery: 60 },
          },
        },
        Items: {
          type: "Api",
          method: "GET",
          path: "/items",
          authorizer: { function: "auth.token" },
        },
        Files: {
          type: "Api",
          method: "GET",
          path: "/files",
          authorizer: {
            function: "auth.request",
            type: "REQUEST",
            identity: { headers: ["X-Key"], queryStrings: ["key"], reauthorizeEvery: 0 },
          },
        },
      }),
    ],
    ["auth", {}],
    ["auth.token", {}],
    ["auth.request", {}],
  );
  const events = resource(template, "UsersHandler").Properties.Events as Record<string, Resource>;
  deepEqual(events.Open!.Properties, {
    Path: "/open",
    Method: "GET",
    ApiId: { Ref: "HttpApi" },
  });
  deepEqual(events.Closed!.Properties.Auth, { Authorizer: "AuthHandler" });
  deepEqual(events.Items!.Properties, {
    Path: "/items",
    Method: "GET",
    RestApiId: { Ref: "RestApi" },
    Auth: { Authorizer: "AuthToken" },
  });
  deepEqual(resource(template, "HttpApi"), {
    Type: "AWS::Serverless::HttpApi",
    Properties: {
      Auth: {
        Authorizers: {
          AuthHandler: {
            FunctionArn: { "Fn::GetAtt": ["AuthHandler", "Arn"] },
            AuthorizerPayloadFormatVersion: "2.0",
            EnableSimpleResponses: true,
            EnableFunctionDefaultPermissions: true,
            Identity: { Headers: ["Authorization"], ReauthorizeEvery: 60 },
          },
        },
      },
    },
  });
  deepEqual(resource(template, "RestApi"), {
    Type: "AWS::Serverless::Api",
    Properties: {
      StageName: "Prod",
      Auth: {
        Authorizers: {
          AuthToken: {
            FunctionArn: { "Fn::GetAtt": ["AuthToken", "Arn"] },
            FunctionPayloadType: "TOKEN",
            Identity: { Header: "Authorization", ReauthorizeEvery: 300 },
          },
          AuthRequest: {
            FunctionArn: { "Fn::GetAtt": ["AuthRequest", "Arn"] },
            FunctionPayloadType: "REQUEST",
            Identity: { Headers: ["X-Key"], QueryStrings: ["key"], ReauthorizeEvery: 0 },
          },
        },
      },
    },
  });
  equal(
    (template.Outputs as Record<string, { Value: Record<string, string> }>).RestApiUrl!.Value[
      "Fn::Sub"
    ],
    "https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/",
  );
});

Deno.test("routes that clash, or name a function not built, stop the template", () => {
  const get = { type: "HttpApi", method: "GET", path: "/users/{id}" };
  throws(
    () => templateOf(["a", routed({ Get: get })], ["b", routed({ Same: get })]),
    /Cannot route HTTP API GET \/users\/\{id\}: both a\.handler and b\.handler declare it/,
  );
  throws(
    () =>
      templateOf([
        "a",
        routed({
          Get: get,
          Posts: { type: "HttpApi", method: "GET", path: "/users/{name}/posts" },
        }),
      ]),
    /\/users\/\{id\} of a\.handler names the same path segment \{id\}/,
  );
  throws(
    () =>
      templateOf([
        "a",
        routed({
          Get: { ...get, authorizer: { function: "auth" } },
        }),
      ]),
    /events\.Get\.authorizer names function auth, which is not among the functions built/,
  );
  throws(
    () =>
      templateOf(
        ["a", routed({ Get: { ...get, authorizer: { function: "auth" } } })],
        [
          "b",
          routed({
            Put: { ...get, method: "PUT", authorizer: { function: "auth", simpleResponses: true } },
          }),
        ],
        ["auth", {}],
      ),
    /declares authorizer auth unlike a\.handler does/,
  );
  // The same path in the two APIs is two routes, not a clash.
  templateOf(["a", routed({ Get: get, Rest: { ...get, type: "Api" } })]);
});

Deno.test("a malformed route is named with its function and event", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ type: "Api", path: "/a" }, /events\.R \(Api\) needs method/],
    [{ type: "HttpApi", path: "/a" }, /events\.R needs both path and method/],
    [{ type: "Api", path: "a", method: "GET" }, /events\.R\.path must start with \//],
    [{ type: "Api", path: "/a/", method: "GET" }, /"" is not a path segment/],
    [{ type: "Api", path: "/{x+}/a", method: "GET" }, /a greedy \{x\+\} must end the path/],
    [{ type: "Api", path: "/{x}/{x}", method: "GET" }, /\{x\} appears twice/],
    [{ type: "Api", path: "/a", method: "FETCH" }, /events\.R\.method must be one of GET/],
    [
      { type: "HttpApi", path: "/a", method: "GET", payloadFormatVersion: "3.0" },
      /payloadFormatVersion must be "1\.0" or "2\.0"/,
    ],
    [
      {
        type: "Api",
        path: "/a",
        method: "GET",
        authorizer: { function: "a", simpleResponses: true },
      },
      /events\.R\.authorizer has an unknown key "simpleResponses"/,
    ],
    [
      { type: "Api", path: "/a", method: "GET", authorizer: { function: "no such" } },
      /authorizer\.function must name one of the project's functions/,
    ],
    [
      {
        type: "Api",
        path: "/a",
        method: "GET",
        authorizer: { function: "a", identity: { queryStrings: ["q"] } },
      },
      /identity of a TOKEN authorizer is one header/,
    ],
    [
      { type: "Api", path: "/a", method: "GET", authorizer: { function: "a", type: "REQUEST" } },
      /identity needs a header, query string or context variable/,
    ],
    [
      {
        type: "HttpApi",
        path: "/a",
        method: "GET",
        authorizer: { function: "a", payloadFormatVersion: "1.0", simpleResponses: true },
      },
      /simpleResponses must be a boolean, and true only with format 2\.0/,
    ],
    [
      {
        type: "Api",
        path: "/a",
        method: "GET",
        authorizer: { function: "a", identity: { validationExpression: "(" } },
      },
      /validationExpression: Invalid regular expression/,
    ],
  ];
  for (const [event, message] of bad) {
    throws(
      () =>
        functionsOf("users", {
          handler: () => {},
          config: { handler: { events: { R: event } } },
        }),
      (error: Error) =>
        error instanceof TypeError && message.test(error.message) &&
        error.message.startsWith("Cannot deploy users.handler: "),
      JSON.stringify(event),
    );
  }
});
