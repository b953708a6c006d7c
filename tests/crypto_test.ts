import { equal, rejects } from "node:assert/strict";
import { hmacSha256, hmacSha256Key, timingSafeEqual, verifyHmacSha256Hex } from "../src/crypto.ts";

// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
const RFC4231_MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

Deno.test("hmacSha256() matches RFC 4231 test case 2", async () => {
  const key = await hmacSha256Key("Jefe");
  equal((await hmacSha256(key, "what do ya want for nothing?")).toHex(), RFC4231_MAC);
});

Deno.test("hmacSha256Key() refuses an empty secret", async () => {
  await rejects(hmacSha256Key(""), { name: "TypeError", message: /secret is empty/ });
});

Deno.test("timingSafeEqual() tells apart arrays that differ only in their last byte", () => {
  const a = new Uint8Array(32).fill(7);
  const b = new Uint8Array(32).fill(7);
  equal(timingSafeEqual(a, b), true);
  b[31] = 8;
  equal(timingSafeEqual(a, b), false);
  equal(timingSafeEqual(new Uint8Array(), new Uint8Array()), true);
});

Deno.test("verifyHmacSha256Hex() accepts upper-case hex and refuses truncated signatures", async () => {
  const key = await hmacSha256Key("Jefe");
  const message = "what do ya want for nothing?";
  equal(await verifyHmacSha256Hex(key, message, RFC4231_MAC.toUpperCase()), true);
  equal(await verifyHmacSha256Hex(key, message, RFC4231_MAC.slice(0, 62)), false);
  equal(await verifyHmacSha256Hex(key, message, `${RFC4231_MAC}00`), false);
  equal(await verifyHmacSha256Hex(key, message, ""), false);
});
