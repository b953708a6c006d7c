/**
 * Amazon Connect contact flow events: what an "Invoke AWS Lambda function" block sends, with
 * the contact's data and the block's parameters. The function answers with a flat object of
 * string values.
 *
 * @module
 */

import { z } from "zod";

const _endpoint = z.looseObject({ Address: z.string(), Type: z.string() }).nullable();

/** The contact: its ids, channel, endpoints, queue and media streams. */
export const ConnectContactDataSchema = z.looseObject({
  Attributes: z.record(z.string(), z.string()),
  Channel: z.string().optional(),
  ContactId: z.string(),
  InitialContactId: z.string().optional(),
  PreviousContactId: z.string().optional(),
  InitiationMethod: z.string().optional(),
  InstanceARN: z.string(),
  CustomerEndpoint: _endpoint.optional(),
  SystemEndpoint: _endpoint.optional(),
  // Only when the contact flow streams media (`sam local generate-event` leaves it out).
  MediaStreams: z.looseObject({
    Customer: z.looseObject({
      Audio: z.looseObject({
        StartFragmentNumber: z.string().nullable(),
        StartTimestamp: z.string().nullable(),
        StreamARN: z.string().nullable(),
      }).nullish(),
    }),
  }).optional(),
  Queue: z.looseObject({ ARN: z.string(), Name: z.string() }).nullish(),
});

/**
 * A contact flow event.
 *
 * @example Read a parameter of the block
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ConnectContactFlowEventSchema } from "./connect.ts";
 *
 * const id = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe";
 * const event = ConnectContactFlowEventSchema.parse({
 *   Name: "ContactFlowEvent",
 *   Details: {
 *     Parameters: { lookup: "orders" },
 *     ContactData: {
 *       Attributes: {}, Channel: "VOICE", ContactId: id, InitialContactId: id,
 *       PreviousContactId: id, InitiationMethod: "INBOUND",
 *       InstanceARN: "arn:aws:connect:eu-west-1:123456789012:instance/i-1",
 *       CustomerEndpoint: { Address: "+15550100", Type: "TELEPHONE_NUMBER" },
 *       SystemEndpoint: null, Queue: null,
 *       MediaStreams: { Customer: { Audio: null } },
 *     },
 *   },
 * });
 * equal(event.Details.Parameters.lookup, "orders");
 * ```
 */
export const ConnectContactFlowEventSchema = z.looseObject({
  Name: z.literal("ContactFlowEvent"),
  Details: z.looseObject({
    ContactData: ConnectContactDataSchema,
    Parameters: z.record(z.string(), z.string()),
  }),
});

/** The contact of a contact flow event. */
export type ConnectContactData = z.infer<typeof ConnectContactDataSchema>;
/** A contact flow event. */
export type ConnectContactFlowEvent = z.infer<typeof ConnectContactFlowEventSchema>;
