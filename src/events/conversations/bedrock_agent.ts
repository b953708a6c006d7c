/**
 * Amazon Bedrock agent action group events: what an agent sends the Lambda function behind an
 * action group, defined either by an OpenAPI schema (`apiPath`, `httpMethod`, `requestBody`)
 * or by function details (`function`). Parameter values arrive as strings, typed by `type`.
 *
 * @module
 */

import { z } from "zod";

/** A parameter or body property: its name, declared type and value as a string. */
export const BedrockAgentParameterSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  value: z.string(),
});

/**
 * The event an agent sends to an action group's function.
 *
 * @example Read the parameters of a function-details action group
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { BedrockAgentEventSchema } from "./bedrock_agent.ts";
 *
 * const event = BedrockAgentEventSchema.parse({
 *   messageVersion: "1.0",
 *   agent: { name: "hr", id: "A1", alias: "PROD", version: "1" },
 *   inputText: "Book leave from 15 March", sessionId: "s1",
 *   actionGroup: "Leave", function: "book",
 *   parameters: [{ name: "start", type: "string", value: "2024-03-15" }],
 *   sessionAttributes: {}, promptSessionAttributes: {},
 * });
 * equal(event.parameters?.[0]?.value, "2024-03-15");
 * ```
 */
export const BedrockAgentEventSchema = z.looseObject({
  messageVersion: z.string(),
  agent: z.looseObject({
    name: z.string(),
    id: z.string(),
    alias: z.string(),
    version: z.string(),
  }),
  inputText: z.string(),
  sessionId: z.string(),
  actionGroup: z.string(),
  // An OpenAPI action group names the operation; a function-details one names the function.
  apiPath: z.string().optional(),
  httpMethod: z.string().optional(),
  function: z.string().optional(),
  parameters: z.array(BedrockAgentParameterSchema).optional(),
  requestBody: z.looseObject({
    content: z.record(
      z.string(),
      z.looseObject({ properties: z.array(BedrockAgentParameterSchema) }),
    ),
  }).optional(),
  sessionAttributes: z.record(z.string(), z.string()),
  promptSessionAttributes: z.record(z.string(), z.string()).optional(),
});

/** A parameter or body property. */
export type BedrockAgentParameter = z.infer<typeof BedrockAgentParameterSchema>;
/** A Bedrock agent action group event. */
export type BedrockAgentEvent = z.infer<typeof BedrockAgentEventSchema>;
