/**
 * Zod building blocks for payloads carried inside strings: JSON text, base64 text and base64
 * JSON. Failures are reported at the carrier's path (`Records[0].body: ...`), and the payload's
 * own issues below it (`Records[0].body.orderId: ...`).
 *
 * @module
 */

import { z } from "zod";

/**
 * A string holding JSON, parsed and then validated by `schema`.
 *
 * @param schema The schema of the parsed value.
 * @returns A schema taking a string and giving `schema`'s output.
 *
 * @example Type an SQS body
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { jsonString } from "./json.ts";
 *
 * const Order = jsonString(z.object({ id: z.number() }));
 * deepEqual(Order.parse('{"id":7}'), { id: 7 });
 * equal(Order.safeParse("{oops").success, false);
 * ```
 */
export function jsonString<S extends z.ZodType>(
  schema: S,
): z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<unknown, string>>, S> {
  return z.string().transform(_parseJson).pipe(schema);
}

/**
 * A base64 string holding UTF-8 JSON, decoded, parsed and validated by `schema`.
 *
 * @param schema The schema of the parsed value.
 * @returns A schema taking a string and giving `schema`'s output.
 *
 * @example Type a Kinesis record's data
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { z } from "zod";
 * import { base64Json } from "./json.ts";
 *
 * deepEqual(base64Json(z.object({ n: z.number() })).parse(btoa('{"n":1}')), { n: 1 });
 * ```
 */
export function base64Json<S extends z.ZodType>(
  schema: S,
): z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<unknown, string>>, S> {
  return z.string().transform((text, ctx) => {
    const decoded = _decodeText(text, ctx);
    return decoded === undefined ? z.NEVER : _parseJson(decoded, ctx);
  }).pipe(schema);
}

/**
 * A base64 string, decoded as UTF-8 text.
 *
 * @returns A schema taking base64 and giving the text.
 *
 * @example Decode
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { base64Text } from "./json.ts";
 *
 * equal(base64Text().parse("aMOpbGxv"), "héllo");
 * ```
 */
export function base64Text(): z.ZodPipe<z.ZodString, z.ZodTransform<string, string>> {
  return z.string().transform((text, ctx) => _decodeText(text, ctx) ?? z.NEVER);
}

/**
 * Decodes base64 (standard alphabet, padding optional).
 *
 * @param text The base64 text.
 * @returns The bytes.
 * @throws {SyntaxError} When `text` is not base64.
 */
export function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.fromBase64(text);
}

const _utf8 = new TextDecoder("utf-8", { fatal: true });

function _decodeText(text: string, ctx: z.RefinementCtx): string | undefined {
  try {
    return _utf8.decode(Uint8Array.fromBase64(text));
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected base64 UTF-8 text, ${_reason(error)}` });
    return undefined;
  }
}

function _parseJson(text: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected JSON text, ${_reason(error)}` });
    return z.NEVER;
  }
}

function _reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
