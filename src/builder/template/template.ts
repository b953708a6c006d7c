/**
 * The SAM template for the built functions: one `AWS::Serverless::Function` per handler
 * export, on `provided.al2023`, with what its `config` declares (a Function URL, environment,
 * policies, events) and a parameter for each environment variable given at deploy time. Built
 * as plain data (a pure function, so it is testable) and rendered as YAML.
 *
 * @module
 */

import { Document, isScalar, Scalar } from "yaml";
import type { EnvironmentParameter, EventSource } from "../../handler_config.ts";
import type { FunctionSpec } from "../functions/function_config.ts";
import type { Arch } from "../layouts/targets.ts";
import { LogicalIds } from "./logical_ids.ts";
import { PUBLIC_URL, publicUrlPermissions } from "./url_permissions.ts";
import { apiTemplate } from "./api_resources.ts";

/** What the template describes. */
export interface TemplateOptions {
  /** The functions. */
  readonly functions: readonly FunctionSpec[];
  /** The architecture the zips were built for. */
  readonly arch: Arch;
  /** The function zip, relative to the template: one for all, or each function's own. */
  readonly codeUri: string | ((fn: FunctionSpec) => string);
  /** The layer zip holding `deno`, relative to the template, when there is one. */
  readonly layerUri?: string;
  /** `MemorySize` for functions that do not set their own. */
  readonly memorySize: number;
  /** `Timeout` for functions that do not set their own. */
  readonly timeout: number;
}

/** A CloudFormation template, as data. */
export type Template = Readonly<Record<string, unknown>>;

/**
 * The CloudFormation logical id of a function: `echo.handler` → `EchoHandler`.
 *
 * @param fn The function.
 * @returns Letters and digits only, starting with a capital.
 */
export function logicalId(fn: Pick<FunctionSpec, "file" | "exportName">): string {
  return `${fn.file}_${fn.exportName}`.split(/[^A-Za-z0-9]+/).filter((p) => p !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1)).join("");
}

/**
 * Builds the SAM template.
 *
 * @example One HTTP function
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { samTemplate } from "./template.ts";
 *
 * const template = samTemplate({
 *   functions: [{ file: "hello", exportName: "handler", config: { url: "buffered" } }],
 *   arch: "arm64",
 *   codeUri: "arm64/function.zip",
 *   memorySize: 256,
 *   timeout: 10,
 * });
 * const resources = template.Resources as Record<string, { Properties: Record<string, unknown> }>;
 * equal(resources.HelloHandler?.Properties.Handler, "hello.handler");
 * ```
 *
 * @param options The functions, the architecture, the zips and the defaults.
 * @returns The template.
 * @throws {TypeError} If there are no functions, two map to the same logical id, two
 * functions declare one parameter differently, two routes clash, or a route's authorizer is not
 * among the functions.
 */
export function samTemplate(options: TemplateOptions): Template {
  if (options.functions.length === 0) {
    throw new TypeError(
      "Cannot write the template: no functions (a handler module exports `handler`, or a " +
        "`config` naming its handler exports)",
    );
  }
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  const layer = options.layerUri === undefined ? undefined : "DenoLayer";
  if (layer !== undefined) {
    resources[layer] = {
      Type: "AWS::Serverless::LayerVersion",
      Properties: {
        Description: "The deno binary the bootstrap runs (/opt/bin/deno)",
        ContentUri: options.layerUri,
        CompatibleRuntimes: ["provided.al2023"],
        CompatibleArchitectures: [options.arch],
      },
    };
  }
  let urls = false;
  const parameters: Record<string, Record<string, unknown>> = {};
  const ids = new LogicalIds();
  if (layer !== undefined) ids.claim("the deno layer", [layer]);
  const api = apiTemplate(options.functions, logicalId);
  Object.assign(outputs, api.outputs);
  for (const fn of options.functions) {
    const id = logicalId(fn);
    const { url, memorySize, timeout, description, environment, policies, events } = fn.config;
    const reserved = fn.config.reservedConcurrency;
    const variables: Record<string, unknown> = {};
    const samEvents = {
      ..._events(events ?? {}),
      ...api.events.get(`${fn.file}.${fn.exportName}`),
    };
    // With those SAM derives: the role, the URL and its permissions, one per event.
    ids.claim(`${fn.file}.${fn.exportName}`, [
      id,
      `${id}Role`,
      ...(url === undefined ? [] : [`${id}Url`, ...Object.keys(publicUrlPermissions(id))]),
      ...Object.keys(samEvents).map((event) => `${id}${event}`),
    ]);
    for (const [key, value] of Object.entries(environment ?? {})) {
      if (typeof value === "string") {
        variables[key] = value;
      } else {
        const parameter = environmentParameter(key, value);
        _addParameter(parameters, parameter.id, _parameter(value), `${fn.file}.${fn.exportName}`);
        variables[key] = { Ref: parameter.id };
      }
    }
    resources[id] = {
      Type: "AWS::Serverless::Function",
      Properties: {
        ...(description === undefined ? {} : { Description: description }),
        Runtime: "provided.al2023",
        Handler: `${fn.file}.${fn.exportName}`,
        Architectures: [options.arch],
        CodeUri: typeof options.codeUri === "string" ? options.codeUri : options.codeUri(fn),
        MemorySize: memorySize ?? options.memorySize,
        Timeout: timeout ?? options.timeout,
        ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }),
        ...(layer === undefined ? {} : { Layers: [{ Ref: layer }] }),
        ...(environment === undefined ? {} : { Environment: { Variables: variables } }),
        ...(policies === undefined ? {} : { Policies: policies }),
        ...(Object.keys(samEvents).length === 0 ? {} : { Events: samEvents }),
        ...(url === undefined ? {} : {
          FunctionUrlConfig: {
            AuthType: { Ref: "UrlAuthType" },
            InvokeMode: url === "stream" ? "RESPONSE_STREAM" : "BUFFERED",
          },
        }),
      },
    };
    if (url !== undefined) {
      urls = true;
      Object.assign(resources, publicUrlPermissions(id));
      outputs[`${id}Url`] = {
        Description: `Function URL of ${fn.file}.${fn.exportName}`,
        Value: { "Fn::GetAtt": [`${id}Url`, "FunctionUrl"] },
      };
    }
  }
  for (const [id, resource] of Object.entries(api.resources)) {
    if (id in resources) {
      throw new TypeError(
        `Cannot write the template: a function would be named ${id}, as its API is`,
      );
    }
    resources[id] = resource;
  }
  for (const id of Object.keys(parameters)) {
    // Parameters and resources share one namespace in CloudFormation.
    if (id in resources) {
      throw new TypeError(`Cannot write the template: parameter ${id} has a function's name`);
    }
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Description: `Lambdeno functions (${options.arch}), built by deno task build`,
    ...(urls || Object.keys(parameters).length > 0
      ? {
        Parameters: {
          ...(urls
            ? {
              UrlAuthType: {
                Type: "String",
                AllowedValues: ["AWS_IAM", "NONE"],
                Default: "AWS_IAM",
                Description: "Who may call the Function URLs: AWS_IAM (signed requests) or " +
                  "NONE (anyone on the internet)",
              },
            }
            : {}),
          ...parameters,
        },
      }
      : {}),
    ...(urls
      ? { Conditions: { [PUBLIC_URL]: { "Fn::Equals": [{ Ref: "UrlAuthType" }, "NONE"] } } }
      : {}),
    Resources: resources,
    ...(Object.keys(outputs).length > 0 ? { Outputs: outputs } : {}),
  };
}

/**
 * The template parameter an environment variable is given by: its own name for it, else the
 * variable's name in PascalCase.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { environmentParameter } from "./template.ts";
 *
 * equal(environmentParameter("SLACK_SIGNING_SECRET", { secret: true }).id, "SlackSigningSecret");
 * ```
 *
 * @param key The variable.
 * @param value How the config declares it.
 * @returns The parameter's logical id.
 */
export function environmentParameter(
  key: string,
  value: EnvironmentParameter,
): { readonly id: string } {
  const id = value.parameter ?? key.toLowerCase().split("_").filter((p) => p !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1)).join("");
  return { id };
}

function _parameter(value: EnvironmentParameter): Record<string, unknown> {
  return {
    Type: "String",
    ...(value.secret === true ? { NoEcho: true } : {}),
    ...(value.default === undefined ? {} : { Default: value.default }),
    ...(value.description === undefined ? {} : { Description: value.description }),
  };
}

function _addParameter(
  parameters: Record<string, Record<string, unknown>>,
  id: string,
  parameter: Record<string, unknown>,
  by: string,
): void {
  const existing = parameters[id];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(parameter)) {
    throw new TypeError(
      `Cannot write the template: ${by} declares parameter ${id} unlike another function does`,
    );
  }
  if (id === "UrlAuthType" || id === "DenoLayer") {
    throw new TypeError(`Cannot write the template: ${by} declares ${id}, a name the build uses`);
  }
  parameters[id] = parameter;
}

/**
 * SAM's `Events`: each field's name with its first letter capitalised. Routes (`Api`,
 * `HttpApi`) are written by `api_resources.ts`.
 */
function _events(events: Readonly<Record<string, EventSource>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(events).filter(([, e]) => e.type !== "Api" && e.type !== "HttpApi").map((
      [id, { type, ...fields }],
    ) => [id, {
      Type: type,
      Properties: Object.fromEntries(
        Object.entries(fields).map(([key, value]) => [key[0]!.toUpperCase() + key.slice(1), value]),
      ),
    }]),
  );
}

/**
 * Renders a template as YAML.
 *
 * @param template The template.
 * @returns YAML text, with a header comment saying where it came from.
 */
export function renderTemplate(template: Template): string {
  const document = new Document(template);
  // YAML 1.1 readers (the SAM CLI's among them) would take an unquoted 2010-09-09 for a date.
  const version = document.get("AWSTemplateFormatVersion", true);
  if (isScalar(version)) version.type = Scalar.QUOTE_SINGLE;
  return "# Written by `deno task build`; edits are lost on the next build: keep yours in\n" +
    "# handlers/template.base.yaml, which the build merges in.\n" +
    document.toString({ lineWidth: 0 });
}
