/**
 * The SAM template for the built functions: one `AWS::Serverless::Function` per handler
 * export, on `provided.al2023`, with a Function URL for HTTP handlers. Built as plain data (a
 * pure function, so it is testable) and rendered as YAML.
 *
 * @module
 */

import { Document, isScalar, Scalar } from "yaml";
import type { FunctionSpec } from "./function_config.ts";
import type { Arch } from "./targets.ts";

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
 * @throws {TypeError} If there are no functions, or two map to the same logical id.
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
  for (const fn of options.functions) {
    const id = logicalId(fn);
    if (id in resources) {
      throw new TypeError(`Cannot write the template: two resources would be named ${id}`);
    }
    const { url, memorySize, timeout, description } = fn.config;
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
        ...(layer === undefined ? {} : { Layers: [{ Ref: layer }] }),
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
      outputs[`${id}Url`] = {
        Description: `Function URL of ${fn.file}.${fn.exportName}`,
        Value: { "Fn::GetAtt": [`${id}Url`, "FunctionUrl"] },
      };
    }
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Description: `Lambdeno functions (${options.arch}), built by deno task build`,
    ...(urls
      ? {
        Parameters: {
          UrlAuthType: {
            Type: "String",
            AllowedValues: ["AWS_IAM", "NONE"],
            Default: "AWS_IAM",
            Description: "Who may call the Function URLs: AWS_IAM (signed requests) or NONE " +
              "(anyone on the internet)",
          },
        },
      }
      : {}),
    Resources: resources,
    ...(urls ? { Outputs: outputs } : {}),
  };
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
  return "# Written by `deno task build`; edits are lost on the next build.\n" +
    document.toString({ lineWidth: 0 });
}
