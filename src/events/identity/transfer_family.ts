/**
 * AWS Transfer Family custom identity providers: the event a server sends the function that
 * authenticates its users. `password` is absent when the user signs in with a key.
 *
 * @module
 */

import { z } from "zod";

/**
 * An authentication request from a Transfer Family server.
 *
 * @example A key-based sign-in has no password
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { TransferFamilyAuthorizerEventSchema } from "./transfer_family.ts";
 *
 * const event = TransferFamilyAuthorizerEventSchema.parse({
 *   username: "ada", protocol: "SFTP", serverId: "s-1234567890abcdef0", sourceIp: "192.0.2.1",
 * });
 * equal(event.password, undefined);
 * ```
 */
export const TransferFamilyAuthorizerEventSchema = z.looseObject({
  username: z.string(),
  password: z.string().optional(),
  protocol: z.enum(["SFTP", "FTP", "FTPS", "AS2"]),
  serverId: z.string(),
  sourceIp: z.string(),
});

/** An authentication request from a Transfer Family server. */
export type TransferFamilyAuthorizerEvent = z.infer<typeof TransferFamilyAuthorizerEventSchema>;
