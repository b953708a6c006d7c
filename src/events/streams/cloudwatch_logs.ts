/**
 * CloudWatch Logs subscription events. The payload arrives gzipped and base64-encoded in
 * `awslogs.data`; {@linkcode CloudWatchLogsDecodedEventSchema} and
 * {@linkcode decodeCloudWatchLogsData} turn it into the typed document.
 *
 * @module
 */

import { z } from "zod";
import { EventValidationError } from "../errors.ts";

/** One log event of a subscription payload. */
export const CloudWatchLogEventSchema = z.looseObject({
  id: z.string(),
  timestamp: z.number(),
  message: z.string(),
  extractedFields: z.record(z.string(), z.string()).optional(),
});

/** The decoded payload. `CONTROL_MESSAGE` payloads only check that the destination works. */
export const CloudWatchLogsDataSchema = z.looseObject({
  messageType: z.enum(["DATA_MESSAGE", "CONTROL_MESSAGE"]),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(CloudWatchLogEventSchema),
  policyLevel: z.string().optional(),
});

/** The event as delivered, with the payload still encoded. */
export const CloudWatchLogsEventSchema = z.looseObject({
  awslogs: z.looseObject({ data: z.string() }),
});

/**
 * The event with `awslogs.data` decoded and validated. The decoding is asynchronous, so parse
 * with `parseAsync`/`safeParseAsync` (as `defineHandler` does): `parse` and `safeParse` throw
 * zod's "Encountered Promise during synchronous parse. Use .parseAsync() instead."
 *
 * @example Decode a subscription event
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { CloudWatchLogsDecodedEventSchema } from "./cloudwatch_logs.ts";
 *
 * const payload = {
 *   messageType: "DATA_MESSAGE", owner: "123456789012", logGroup: "/aws/lambda/f",
 *   logStream: "s", subscriptionFilters: ["all"],
 *   logEvents: [{ id: "1", timestamp: 1, message: "hello" }],
 * };
 * const gzipped = await new Response(
 *   new Blob([JSON.stringify(payload)]).stream().pipeThrough(new CompressionStream("gzip")),
 * ).bytes();
 * const event = { awslogs: { data: gzipped.toBase64() } };
 * equal((await CloudWatchLogsDecodedEventSchema.parseAsync(event)).awslogs.data.logEvents[0]?.message, "hello");
 * throws(() => CloudWatchLogsDecodedEventSchema.safeParse(event), /Use \.parseAsync\(\)/);
 * ```
 */
// The decoding is a transform of the whole event rather than of `awslogs.data`: zod's object
// parser, given a pending field in a synchronous parse, fails with a TypeError of its own.
export const CloudWatchLogsDecodedEventSchema = CloudWatchLogsEventSchema.transform(
  async (event, ctx) => {
    const path = ["awslogs", "data"];
    let value: unknown;
    try {
      value = JSON.parse(await _gunzipBase64(event.awslogs.data));
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `expected base64 gzipped JSON, ${
          error instanceof Error ? error.message : String(error)
        }`,
      });
      return z.NEVER;
    }
    const data = CloudWatchLogsDataSchema.safeParse(value);
    if (!data.success) {
      for (const issue of data.error.issues) {
        ctx.addIssue({ ...issue, path: [...path, ...issue.path] });
      }
      return z.NEVER;
    }
    return { ...event, awslogs: { ...event.awslogs, data: data.data } };
  },
);

/**
 * Decodes `awslogs.data`: base64, then gunzip, then JSON, then validation.
 *
 * @param data The value of `awslogs.data`.
 * @returns The typed payload.
 * @throws {TypeError} When `data` is not base64 gzipped JSON.
 * @throws {EventValidationError} When the payload does not match {@linkcode CloudWatchLogsDataSchema}.
 */
export async function decodeCloudWatchLogsData(data: string): Promise<CloudWatchLogsData> {
  let value: unknown;
  try {
    value = JSON.parse(await _gunzipBase64(data));
  } catch (error) {
    throw new TypeError(`Cannot decode CloudWatch Logs data: ${String(error)}`, { cause: error });
  }
  const parsed = CloudWatchLogsDataSchema.safeParse(value);
  if (!parsed.success) throw new EventValidationError(parsed.error);
  return parsed.data;
}

async function _gunzipBase64(data: string): Promise<string> {
  const bytes = Uint8Array.fromBase64(data);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** One log event. */
export type CloudWatchLogEvent = z.infer<typeof CloudWatchLogEventSchema>;
/** The decoded subscription payload. */
export type CloudWatchLogsData = z.infer<typeof CloudWatchLogsDataSchema>;
/** A subscription event as delivered. */
export type CloudWatchLogsEvent = z.infer<typeof CloudWatchLogsEventSchema>;
/** A subscription event with its payload decoded. */
export type CloudWatchLogsDecodedEvent = z.output<typeof CloudWatchLogsDecodedEventSchema>;
