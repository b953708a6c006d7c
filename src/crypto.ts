/**
 * Small building blocks for checking signed requests (webhooks, Slack, anything that signs a
 * body with a shared secret): an HMAC-SHA256 key made once, the MAC of a message, and a
 * comparison whose time does not depend on where two byte arrays differ.
 *
 * @example Verify a hex signature
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hmacSha256, hmacSha256Key, timingSafeEqual } from "./crypto.ts";
 *
 * const key = await hmacSha256Key("It's a Secret to Everybody");
 * const mac = await hmacSha256(key, "Hello, World!");
 * const sent = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
 * equal(timingSafeEqual(mac, Uint8Array.fromHex(sent)), true);
 * ```
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Compares two byte arrays in time that depends only on their lengths, never on their content,
 * so an attacker cannot learn a secret MAC byte by byte from how fast a wrong guess is refused.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { timingSafeEqual } from "./crypto.ts";
 *
 * equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
 * equal(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1])), false);
 * ```
 *
 * @param a One array.
 * @param b The other.
 * @returns `true` when both have the same length and the same bytes.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // The length of a MAC is public (it is fixed by the algorithm), so leaving early on it
  // leaks nothing.
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Imports a shared secret as an HMAC-SHA256 signing key. Do it once, at start-up: importing is
 * the slow part of signing.
 *
 * @param secret The secret, as text (UTF-8) or bytes.
 * @returns The key, usable only to sign.
 * @throws {TypeError} If the secret is empty.
 */
export async function hmacSha256Key(secret: string | Uint8Array): Promise<CryptoKey> {
  const bytes = typeof secret === "string" ? encoder.encode(secret) : secret;
  if (bytes.length === 0) throw new TypeError("Cannot make an HMAC key: the secret is empty");
  return await crypto.subtle.importKey(
    "raw",
    new Uint8Array(bytes),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/**
 * The HMAC-SHA256 of a message.
 *
 * @param key A key from {@linkcode hmacSha256Key}.
 * @param message The message, as text (UTF-8) or bytes.
 * @returns The 32-byte MAC.
 */
export async function hmacSha256(
  key: CryptoKey,
  message: string | Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = typeof message === "string" ? encoder.encode(message) : new Uint8Array(message);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
}

/**
 * Checks a hex-encoded HMAC-SHA256 signature of a message, in constant time. A signature that
 * is not 64 hex digits is refused without computing anything.
 *
 * @example GitHub's documented example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hmacSha256Key, verifyHmacSha256Hex } from "./crypto.ts";
 *
 * const key = await hmacSha256Key("It's a Secret to Everybody");
 * const hex = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
 * equal(await verifyHmacSha256Hex(key, "Hello, World!", hex), true);
 * equal(await verifyHmacSha256Hex(key, "Hello, World?", hex), false);
 * equal(await verifyHmacSha256Hex(key, "Hello, World!", "not hex"), false);
 * ```
 *
 * @param key A key from {@linkcode hmacSha256Key}.
 * @param message The signed message, exactly as received.
 * @param signatureHex The signature sent with it, in hex (either case).
 * @returns Whether the signature is the message's MAC under the key.
 */
export async function verifyHmacSha256Hex(
  key: CryptoKey,
  message: string | Uint8Array,
  signatureHex: string,
): Promise<boolean> {
  if (!/^[0-9a-fA-F]{64}$/.test(signatureHex)) return false;
  const expected = await hmacSha256(key, message);
  return timingSafeEqual(expected, Uint8Array.fromHex(signatureHex));
}
