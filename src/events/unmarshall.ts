/**
 * Converts DynamoDB attribute-value JSON (stream keys and images) into plain JavaScript values.
 *
 * Choices, made so that no value is silently changed:
 * - `N` becomes a `number` when that is exact: an integer within ±(2^53 − 1), or a decimal of
 *   at most 15 significant digits. A larger integer becomes a `bigint`; any other number (more
 *   than 15 significant digits, or beyond a double's range) stays a `string`.
 * - `B` becomes a `Uint8Array` (it arrives base64); `BOOL` a boolean; `NULL` `null`.
 * - `SS`, `NS`, `BS` become `Set`s by default, like the AWS SDK's `unmarshall`; pass
 *   `{ sets: "array" }` for arrays, which JSON and most schemas handle more easily.
 *
 * @module
 */

import type { AttributeValue } from "./streams/dynamodb_stream.ts";

/** A DynamoDB number after conversion. */
export type DynamoDbNumber = number | bigint | string;

/** A plain value produced by {@linkcode unmarshall}. */
export type NativeValue =
  | string
  | DynamoDbNumber
  | Uint8Array
  | boolean
  | null
  | NativeValue[]
  | Set<string>
  | Set<DynamoDbNumber>
  | Set<Uint8Array>
  | { [key: string]: NativeValue };

/** Options for {@linkcode unmarshall}. */
export interface UnmarshallOptions {
  /** How to return `SS`, `NS` and `BS`: `"set"` (default) or `"array"`. */
  readonly sets?: "set" | "array";
}

/**
 * Converts an item (or key) from attribute-value JSON into a plain object.
 *
 * @param item The attribute map, e.g. `Records[0].dynamodb.NewImage`.
 * @param options How to return sets.
 * @returns The plain object.
 *
 * @example Convert a stream image
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { unmarshall } from "./unmarshall.ts";
 *
 * const item = unmarshall({
 *   id: { S: "a" }, n: { N: "42" }, big: { N: "12345678901234567890" },
 *   tags: { SS: ["x", "y"] }, meta: { M: { ok: { BOOL: true }, none: { NULL: true } } },
 * }, { sets: "array" });
 * deepEqual(item, {
 *   id: "a", n: 42, big: 12345678901234567890n, tags: ["x", "y"],
 *   meta: { ok: true, none: null },
 * });
 * ```
 */
export function unmarshall(
  item: Readonly<Record<string, AttributeValue>>,
  options: UnmarshallOptions = {},
): Record<string, NativeValue> {
  const asArray = options.sets === "array";
  const out: Record<string, NativeValue> = {};
  for (const [key, value] of Object.entries(item)) out[key] = _convert(value, asArray);
  return out;
}

/**
 * Converts one attribute value.
 *
 * @param value The attribute value.
 * @param options How to return sets.
 * @returns The plain value.
 * @throws {TypeError} When the value names no known type.
 */
export function unmarshallValue(
  value: AttributeValue,
  options: UnmarshallOptions = {},
): NativeValue {
  return _convert(value, options.sets === "array");
}

/**
 * Converts a DynamoDB number string as described in the module documentation.
 *
 * @param text The number, as DynamoDB sends it.
 * @returns A number when exact, else a bigint (integers) or the string.
 */
export function convertNumber(text: string): DynamoDbNumber {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  const digits = text.replace(/^-?0*\.?0*|[eE].*$|\./g, "").replace(/0+$/, "");
  const n = Number(text);
  return digits.length <= 15 && Number.isFinite(n) ? n : text;
}

function _convert(value: AttributeValue, asArray: boolean): NativeValue {
  if ("S" in value) return value.S;
  if ("N" in value) return convertNumber(value.N);
  if ("B" in value) return Uint8Array.fromBase64(value.B);
  if ("BOOL" in value) return value.BOOL;
  if ("NULL" in value) return null;
  if ("M" in value) {
    const out: Record<string, NativeValue> = {};
    for (const [key, inner] of Object.entries(value.M)) out[key] = _convert(inner, asArray);
    return out;
  }
  if ("L" in value) return value.L.map((inner) => _convert(inner, asArray));
  if ("SS" in value) return asArray ? [...value.SS] : new Set(value.SS);
  if ("NS" in value) {
    const numbers = value.NS.map(convertNumber);
    return asArray ? numbers : new Set(numbers);
  }
  if ("BS" in value) {
    const bytes = value.BS.map((b) => Uint8Array.fromBase64(b));
    return asArray ? bytes : new Set(bytes);
  }
  throw new TypeError(
    `Cannot unmarshall attribute value: unknown type ${JSON.stringify(Object.keys(value))}`,
  );
}
