/**
 * Amazon VPC Lattice events: the original (v1, snake_case) and the 2.0 payload with multi-value
 * headers and a request context.
 *
 * @module
 */

import { z } from "zod";

/**
 * A VPC Lattice v1 request. `raw_path` includes the query string.
 *
 * @example A v1 request is not a v2 request
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { VpcLatticeEventSchema, VpcLatticeEventV2Schema } from "./vpc_lattice.ts";
 *
 * const event = {
 *   raw_path: "/items?id=1", method: "GET", headers: { host: "svc" },
 *   query_string_parameters: { id: "1" }, body: "", is_base64_encoded: false,
 * };
 * equal(VpcLatticeEventSchema.parse(event).method, "GET");
 * equal(VpcLatticeEventV2Schema.safeParse(event).success, false);
 * ```
 */
export const VpcLatticeEventSchema = z.looseObject({
  raw_path: z.string(),
  method: z.string(),
  headers: z.record(z.string(), z.string()),
  query_string_parameters: z.record(z.string(), z.string()).optional(),
  body: z.string(),
  // Absent means false.
  is_base64_encoded: z.boolean().optional(),
});

/** A VPC Lattice 2.0 request. */
export const VpcLatticeEventV2Schema = z.looseObject({
  version: z.literal("2.0"),
  path: z.string(),
  method: z.string(),
  headers: z.record(z.string(), z.array(z.string())),
  queryStringParameters: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string(),
  // Absent means false.
  isBase64Encoded: z.boolean().optional(),
  requestContext: z.looseObject({
    serviceNetworkArn: z.string().optional(),
    serviceArn: z.string(),
    targetGroupArn: z.string().optional(),
    identity: z.looseObject({
      sourceVpcArn: z.string().optional(),
      type: z.string().optional(),
      principal: z.string().optional(),
      principalOrgID: z.string().optional(),
      sessionName: z.string().optional(),
      x509SubjectCn: z.string().optional(),
      x509IssuerOu: z.string().optional(),
      x509SanDns: z.string().optional(),
      x509SanUri: z.string().optional(),
      x509SanNameCn: z.string().optional(),
    }),
    region: z.string().optional(),
    timeEpoch: z.string().optional(),
  }),
});

/** A VPC Lattice v1 request. */
export type VpcLatticeEvent = z.infer<typeof VpcLatticeEventSchema>;
/** A VPC Lattice 2.0 request. */
export type VpcLatticeEventV2 = z.infer<typeof VpcLatticeEventV2Schema>;
