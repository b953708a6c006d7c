/**
 * The event schema tests' shared shape: each schema against a sample event from
 * `tests/fixtures/events/`, once as sent (unknown fields kept) and once broken in one place
 * (the failure naming that place).
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import type { z } from "zod";
import { flattenIssues } from "../../src/events/errors.ts";

/** An event, as JSON. */
export type Json = Record<string, unknown>;

/** One schema, its sample, and one way to break it. */
export interface EventCase {
  readonly name: string;
  readonly schema: z.ZodType;
  /** The sample's file under tests/fixtures/events/, without `.json`. */
  readonly fixture: string;
  /** What the mutation does, for the test name. */
  readonly change: string;
  readonly mutate: (event: Json) => void;
  /** The path the failure must name. */
  readonly path: string;
}

/** The object at `keys` inside `event`. */
export function at(event: Json, ...keys: (string | number)[]): Json {
  let node: unknown = event;
  for (const key of keys) node = (node as Record<string | number, unknown>)[key];
  return node as Json;
}

/** A sample event from `tests/fixtures/events/`, parsed afresh. */
export async function fixture(name: string): Promise<Json> {
  const url = new URL(`../fixtures/events/${name}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

/**
 * Registers the two tests of each case.
 *
 * @param cases The cases.
 * @param sample What the test names call the sample: `fixture` or `sample`.
 */
export function testEventCases(cases: readonly EventCase[], sample: string): void {
  for (const c of cases) {
    Deno.test(`${c.name} parses the ${c.fixture} ${sample} and keeps unknown fields`, async () => {
      const event = { ...(await fixture(c.fixture)), addedByAwsLater: 1 };
      const result = await c.schema.safeParseAsync(event);
      ok(result.success, result.success ? "" : JSON.stringify(flattenIssues(result.error.issues)));
      equal((result.data as Json).addedByAwsLater, 1);
    });

    Deno.test(`${c.name} rejects ${c.change}, naming ${c.path}`, async () => {
      const event = await fixture(c.fixture);
      c.mutate(event);
      const result = await c.schema.safeParseAsync(event);
      equal(result.success, false);
      const paths = flattenIssues(result.error!.issues).map((issue) => issue.path);
      ok(paths.includes(c.path), `expected ${c.path} among ${JSON.stringify(paths)}`);
    });
  }
}
