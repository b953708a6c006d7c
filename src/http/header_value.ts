/**
 * Header values between JSON events and `Headers`. Events carry header values as Unicode text,
 * while `Headers` holds byte strings (one character per byte) and throws on anything above
 * U+00FF. `Deno.serve` hands a handler the raw bytes of the wire as such a byte string, so the
 * adapter does the same: text becomes its UTF-8 bytes on the way in and is read back as UTF-8 on
 * the way out, and a handler sees the same value whichever way the request arrived.
 *
 * @module
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });
// Anything outside printable ASCII and tab; only such values need converting.
const NOT_ASCII = /[^\t\x20-\x7e]/;

/**
 * Converts header text from an event into the byte string `Headers` accepts: its UTF-8 bytes,
 * one character each. Plain ASCII is returned as it is.
 *
 * @example A non-ASCII value becomes its UTF-8 bytes
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { toByteString } from "./header_value.ts";
 *
 * equal(toByteString("plain"), "plain");
 * equal(toByteString("é"), "\xc3\xa9");
 * new Headers({ "x-name": toByteString("日本") }); // does not throw
 * ```
 *
 * @param text The value as the event has it.
 * @returns The same value as a byte string.
 */
export function toByteString(text: string): string {
  if (!NOT_ASCII.test(text)) return text;
  let bytes = "";
  for (const byte of encoder.encode(text)) bytes += String.fromCharCode(byte);
  return bytes;
}

/**
 * Converts a header value from `Headers` back into text for a JSON result: bytes that form
 * valid UTF-8 are decoded as such, anything else is left as it is.
 *
 * @example The inverse of toByteString
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fromByteString, toByteString } from "./header_value.ts";
 *
 * equal(fromByteString(toByteString("Zoë")), "Zoë");
 * equal(fromByteString("\xe9"), "\xe9"); // not UTF-8: unchanged
 * ```
 *
 * @param bytes The value as `Headers` has it.
 * @returns The value as text.
 */
export function fromByteString(bytes: string): string {
  if (!NOT_ASCII.test(bytes)) return bytes;
  const buffer = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const code = bytes.charCodeAt(i);
    if (code > 0xff) return bytes;
    buffer[i] = code;
  }
  try {
    return strictDecoder.decode(buffer);
  } catch {
    return bytes;
  }
}
