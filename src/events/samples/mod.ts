/**
 * Sample events for `deno task event`, as `sam local generate-event` makes them: one ready event
 * per source in `src/events/`, each valid against that source's schema, with options for the
 * fields people change (`--body`, `--path`, `--bucket`…). A tool for development: nothing in the
 * runtime imports it.
 *
 * @example An SQS event with two messages
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { sampleEvent } from "./mod.ts";
 *
 * const event = sampleEvent("sqs", { body: ["first", "second"] }) as {
 *   Records: { body: string }[];
 * };
 * equal(event.Records[1]?.body, "second");
 * ```
 *
 * @module
 */

import { API_GATEWAY_SOURCES } from "./api_gateway.ts";
import { BROKER_SOURCES } from "./brokers.ts";
import { CONVERSATION_SOURCES } from "./conversations.ts";
import { EDGE_SOURCES } from "./edge.ts";
import { HTTP_SOURCES } from "./http.ts";
import { IDENTITY_SOURCES } from "./identity.ts";
import { OPERATION_SOURCES } from "./operations.ts";
import type { SampleOptions, SampleSource } from "./options.ts";
import { RECORD_SOURCES } from "./records.ts";
import { SERVICE_SOURCES } from "./services.ts";

export type { SampleOptions, SampleSource } from "./options.ts";

/** Every source, by name, sorted. */
export const SAMPLE_SOURCES: Readonly<Record<string, SampleSource>> = Object.fromEntries(
  Object.entries({
    ...API_GATEWAY_SOURCES,
    ...HTTP_SOURCES,
    ...EDGE_SOURCES,
    ...RECORD_SOURCES,
    ...BROKER_SOURCES,
    ...SERVICE_SOURCES,
    ...OPERATION_SOURCES,
    ...IDENTITY_SOURCES,
    ...CONVERSATION_SOURCES,
  })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);

/**
 * Makes a source's sample event and checks it against the source's schema.
 *
 * @param source The source's name (`sqs`, `api-gateway-http`…; see {@linkcode SAMPLE_SOURCES}).
 * @param options Option values by name, without `--`.
 * @returns The event, as the source sends it.
 * @throws {TypeError} If the source or an option is unknown, or the options make an event the
 * schema refuses (`--size abc` for S3, say).
 */
export function sampleEvent(source: string, options: SampleOptions = {}): Record<string, unknown> {
  const found = Object.hasOwn(SAMPLE_SOURCES, source) ? SAMPLE_SOURCES[source] : undefined;
  if (found === undefined) {
    throw new TypeError(
      `Cannot make a ${source} event: no such source (there are ${
        Object.keys(SAMPLE_SOURCES).join(", ")
      })`,
    );
  }
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(found.options, name)) {
      const known = Object.keys(found.options).map((o) => `--${o}`).join(", ") || "none";
      throw new TypeError(`Cannot make a ${source} event: unknown option --${name} (${known})`);
    }
  }
  const event = found.make(options);
  const checked = found.schema.safeParse(event);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new TypeError(`Cannot make a ${source} event: ${issues.join("; ")}`);
  }
  return event;
}
