/**
 * AWS IoT Core custom authorizers: the event the device gateway sends the authorizer function
 * for a connection, with what it knows of each protocol in use. Fields that do not apply to
 * the connection are left out.
 *
 * @module
 */

import { z } from "zod";

/**
 * A custom authorizer event. `protocolData.mqtt.password` is base64.
 *
 * @example Decode the MQTT password
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { IotCustomAuthorizerEventSchema } from "./iot_custom_authorizer.ts";
 *
 * const event = IotCustomAuthorizerEventSchema.parse({
 *   signatureVerified: false, protocols: ["tls", "mqtt"],
 *   protocolData: {
 *     tls: { serverName: "iot.example.com" },
 *     mqtt: { username: "device-1", password: btoa("s3cret"), clientId: "device-1" },
 *   },
 *   connectionMetadata: { id: "0d3c1f2e-7a4b-4c5d-8e9f-0a1b2c3d4e5f" },
 * });
 * equal(atob(event.protocolData?.mqtt?.password ?? ""), "s3cret");
 * ```
 */
export const IotCustomAuthorizerEventSchema = z.looseObject({
  token: z.string().optional(),
  signatureVerified: z.boolean(),
  protocols: z.array(z.enum(["tls", "http", "mqtt"])),
  protocolData: z.looseObject({
    tls: z.looseObject({ serverName: z.string() }).optional(),
    http: z.looseObject({
      headers: z.record(z.string(), z.string()),
      queryString: z.string(),
    }).optional(),
    mqtt: z.looseObject({
      username: z.string().optional(),
      password: z.string().optional(),
      clientId: z.string().optional(),
    }).optional(),
  }).optional(),
  connectionMetadata: z.looseObject({ id: z.string() }),
});

/** A custom authorizer event. */
export type IotCustomAuthorizerEvent = z.infer<typeof IotCustomAuthorizerEventSchema>;
