/**
 * Alexa Smart Home skills: the directives Alexa sends a smart home skill's Lambda function, in
 * the current format (payload version 3: `{ directive: { header, endpoint, payload } }`) and in
 * the retired version 2 (`{ header, payload }`), which `sam local generate-event` still makes.
 *
 * @module
 */

import { z } from "zod";

const _scope = z.looseObject({ type: z.string(), token: z.string().optional() });

/**
 * A version 3 directive: the interface and operation (`header.namespace`, `header.name`), the
 * endpoint it is for, and the operation's payload. Discovery directives have no endpoint; their
 * scope is in the payload.
 *
 * @example Turn a light on
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { AlexaSmartHomeDirectiveSchema } from "./alexa_smart_home.ts";
 *
 * const event = AlexaSmartHomeDirectiveSchema.parse({
 *   directive: {
 *     header: {
 *       namespace: "Alexa.PowerController", name: "TurnOn", payloadVersion: "3",
 *       messageId: "m1", correlationToken: "c1",
 *     },
 *     endpoint: { scope: { type: "BearerToken", token: "t" }, endpointId: "lamp-1", cookie: {} },
 *     payload: {},
 *   },
 * });
 * equal(event.directive.endpoint?.endpointId, "lamp-1");
 * ```
 */
export const AlexaSmartHomeDirectiveSchema = z.looseObject({
  directive: z.looseObject({
    header: z.looseObject({
      namespace: z.string(),
      name: z.string(),
      payloadVersion: z.literal("3"),
      messageId: z.string(),
      correlationToken: z.string().optional(),
    }),
    endpoint: z.looseObject({
      scope: _scope.optional(),
      endpointId: z.string(),
      cookie: z.record(z.string(), z.unknown()).optional(),
    }).optional(),
    payload: z.record(z.string(), z.unknown()),
  }),
});

/** A version 2 (retired) Smart Home request: `header` and `payload` at the top. */
export const AlexaSmartHomeV2RequestSchema = z.looseObject({
  header: z.looseObject({
    namespace: z.string(),
    name: z.string(),
    payloadVersion: z.literal("2"),
    messageId: z.string(),
  }),
  payload: z.looseObject({
    accessToken: z.string().optional(),
    appliance: z.looseObject({
      applianceId: z.string(),
      additionalApplianceDetails: z.record(z.string(), z.unknown()).optional(),
    }).optional(),
  }),
});

/** Either a version 3 directive or a version 2 request. */
export const AlexaSmartHomeEventSchema = z.union([
  AlexaSmartHomeDirectiveSchema,
  AlexaSmartHomeV2RequestSchema,
]);

/** A version 3 Smart Home directive. */
export type AlexaSmartHomeDirective = z.infer<typeof AlexaSmartHomeDirectiveSchema>;
/** A version 2 Smart Home request. */
export type AlexaSmartHomeV2Request = z.infer<typeof AlexaSmartHomeV2RequestSchema>;
/** Either Smart Home event. */
export type AlexaSmartHomeEvent = z.infer<typeof AlexaSmartHomeEventSchema>;
