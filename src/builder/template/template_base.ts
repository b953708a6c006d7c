/**
 * The user's own part of the template: `handlers/template.base.yaml`, beside the functions, merged with
 * what the build generates, so that queues, buckets, parameters, outputs and `Globals` can live
 * next to the functions without being lost on the next build.
 *
 * The rule: top-level sections (`Parameters`, `Resources`, `Outputs`, `Conditions`,
 * `Mappings`, `Globals`, `Metadata`, `Rules`) are merged key by key, and the user's entry wins or is
 * added; other top-level keys (`Description`…) are the user's when set. A generated function
 * the user also declares keeps its generated properties under the user's: objects merge key by
 * key (so `Environment.Variables` or `Events` gain entries), and anything else the user writes
 * (a string, a number, a list such as `Policies`) replaces the generated value. A resource
 * without `Type` that names no generated function (one left out by `--handlers`) is left out.
 *
 * @module
 */

import { type CollectionTag, parse, type ScalarTag, YAMLMap, YAMLSeq } from "yaml";
import type { Template } from "./template.ts";

/** The file a project keeps its own template in. */
export const BASE_TEMPLATE = "handlers/template.base.yaml";

const FUNCTIONS = [
  "Base64",
  "Cidr",
  "Equals",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Not",
  "And",
  "Or",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Length",
];

/** CloudFormation's short forms (`!Ref x`, `!GetAtt a.b`, `!Sub [...]`) as their long forms. */
const SHORT_FORMS: (ScalarTag | CollectionTag)[] = [
  { tag: "!Ref", resolve: (text: string) => ({ Ref: text }) },
  { tag: "!Condition", resolve: (text: string) => ({ Condition: text }) },
  ...FUNCTIONS.flatMap((name): (ScalarTag | CollectionTag)[] => {
    const key = `Fn::${name}`;
    const wrap = (node: YAMLSeq | YAMLMap) => {
      const map = new YAMLMap();
      map.set(key, node);
      return map;
    };
    return [
      {
        tag: `!${name}`,
        resolve: (text: string) => ({
          [key]: name === "GetAtt"
            ? [text.slice(0, text.indexOf(".")), text.slice(text.indexOf(".") + 1)]
            : text,
        }),
      },
      { tag: `!${name}`, collection: "seq", nodeClass: YAMLSeq, resolve: wrap },
      { tag: `!${name}`, collection: "map", nodeClass: YAMLMap, resolve: wrap },
    ];
  }),
];

const SECTIONS = [
  "Parameters",
  "Resources",
  "Outputs",
  "Conditions",
  "Mappings",
  "Globals",
  "Metadata",
  "Rules",
];

/**
 * Parses a CloudFormation template written in YAML, short forms included.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseTemplate } from "./template_base.ts";
 *
 * const template = parseTemplate("Outputs:\n  Arn:\n    Value: !GetAtt Queue.Arn\n");
 * deepEqual(template.Outputs, { Arn: { Value: { "Fn::GetAtt": ["Queue", "Arn"] } } });
 * ```
 *
 * @param text The YAML.
 * @param path Where it came from, for messages.
 * @returns The template.
 * @throws {TypeError} If it is not YAML, or not a mapping at the top.
 */
export function parseTemplate(text: string, path = BASE_TEMPLATE): Template {
  let value: unknown;
  try {
    value = parse(text, { customTags: SHORT_FORMS });
  } catch (error) {
    throw new TypeError(`Cannot read ${path}: ${String(error)}`, { cause: error });
  }
  if (value === null || value === undefined) return {};
  if (!_isObject(value)) throw new TypeError(`Cannot read ${path}: it is not a YAML mapping`);
  return value;
}

/**
 * Merges the user's template with the generated one (the rule is in the module's doc).
 *
 * @example A user's queue, and an extra variable for a generated function
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { mergeTemplates } from "./template_base.ts";
 *
 * const merged = mergeTemplates(
 *   { Resources: { JobsHandler: { Type: "AWS::Serverless::Function", Properties: { Timeout: 3 } } } },
 *   { Resources: { Queue: { Type: "AWS::SQS::Queue" }, JobsHandler: { Properties: { Timeout: 9 } } } },
 * );
 * deepEqual(merged.Resources, {
 *   JobsHandler: { Type: "AWS::Serverless::Function", Properties: { Timeout: 9 } },
 *   Queue: { Type: "AWS::SQS::Queue" },
 * });
 * ```
 *
 * @param generated The build's template.
 * @param base The user's.
 * @param warn Told of each resource left out for naming no function of this build: one the
 * build left out (`--handlers`), or a misspelt name.
 * @returns The merged template.
 * @throws {TypeError} If a section of the user's template is not a mapping.
 */
export function mergeTemplates(
  generated: Template,
  base: Template,
  warn: (message: string) => void = () => {},
): Template {
  const merged: Record<string, unknown> = { ...generated };
  for (const [key, value] of Object.entries(base)) {
    if (!SECTIONS.includes(key)) {
      merged[key] = value;
      continue;
    }
    if (!_isObject(value)) {
      throw new TypeError(`Cannot merge ${BASE_TEMPLATE}: its ${key} must be a mapping`);
    }
    const section: Record<string, unknown> = { ...(_isObject(merged[key]) ? merged[key] : {}) };
    for (const [id, entry] of Object.entries(value)) {
      const ours = section[id];
      // Properties for a generated function that this build leaves out (--handlers): there is
      // nothing to add them to, and a resource without a Type would fail the deployment.
      if (key === "Resources" && ours === undefined && _isObject(entry) && !("Type" in entry)) {
        warn(
          `${BASE_TEMPLATE}: Resources.${id} has no Type and names no function of this build, ` +
            "so it is left out (is the name misspelt, or its module not built?)",
        );
        continue;
      }
      section[id] = key === "Resources" && _isObject(ours) && _isObject(entry)
        ? _deepMerge(ours, entry)
        : entry;
    }
    merged[key] = section;
  }
  return merged;
}

function _deepMerge(
  under: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = result[key];
    result[key] = _isObject(below) && _isObject(value) ? _deepMerge(below, value) : value;
  }
  return result;
}

function _isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
