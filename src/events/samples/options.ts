/**
 * The options a sample event is made from (`--body x --body y` → `{ body: ["x", "y"] }`), and
 * the shape every source's sample shares.
 *
 * @module
 */

import type { z } from "zod";

/** Each option's values, in the order given. */
export type SampleOptions = Readonly<Record<string, readonly string[]>>;

/** An event source `deno task event` can make a sample of. */
export interface SampleSource {
  /** One line for the list of sources. */
  readonly description: string;
  /** Option name → what it sets (with its default). */
  readonly options: Readonly<Record<string, string>>;
  /** The schema in `src/events/` the sample must pass. */
  readonly schema: z.ZodType;
  /** Makes the event. */
  readonly make: (options: SampleOptions) => Record<string, unknown>;
}

/** The account, region and time every sample uses, so that samples are reproducible. */
export const ACCOUNT = "123456789012";
/** The region of every sample. */
export const REGION = "us-east-1";
/** When every sample happens: 2024-01-02T03:04:05Z. */
export const TIME_MS = Date.UTC(2024, 0, 2, 3, 4, 5);

/**
 * The last value of an option, or a default.
 *
 * @param options The options.
 * @param name The option.
 * @param fallback Its default.
 * @returns The value.
 */
export function one(options: SampleOptions, name: string, fallback: string): string {
  return options[name]?.at(-1) ?? fallback;
}

/**
 * Every value of a repeatable option, or a default list.
 *
 * @param options The options.
 * @param name The option.
 * @param fallback Its default.
 * @returns The values.
 */
export function all(options: SampleOptions, name: string, fallback: readonly string[]): string[] {
  const values = options[name];
  return [...(values === undefined || values.length === 0 ? fallback : values)];
}

/**
 * An option holding JSON.
 *
 * @param options The options.
 * @param name The option.
 * @param fallback Its default.
 * @returns The parsed value.
 * @throws {TypeError} If the value is not JSON.
 */
export function json(options: SampleOptions, name: string, fallback: unknown): unknown {
  const text = options[name]?.at(-1);
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Cannot use --${name}: it is not JSON (${String(error)})`);
  }
}

/**
 * A stable, UUID-shaped id: the same seed and index give the same id.
 *
 * @param seed Eight hex digits naming what the id is for.
 * @param index Which one.
 * @returns The id.
 */
export function sampleId(seed: string, index = 1): string {
  return `${seed}-b21e-4ac1-bd88-${index.toString(16).padStart(12, "01bbb068cb00").slice(-12)}`;
}

/**
 * Base64 of UTF-8 text.
 *
 * @param text The text.
 * @returns Its base64.
 */
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A query string's parameters, in the forms AWS gives them: payload format 1.0's single-value
 * form (the last value) and multi-value form, and payload format 2.0's (values joined by commas).
 *
 * @param query `a=1&b=2`, without `?`.
 * @returns The three forms, or `null`s for an empty query.
 */
export function queryParameters(query: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
  joined: Record<string, string> | null;
} {
  if (query === "") return { single: null, multi: null, joined: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  const joined = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.join(",")]));
  return { single, multi, joined };
}
