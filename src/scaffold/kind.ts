/**
 * What `deno task new` knows of a kind of function: its handler and test, written in the
 * project's style, a sample event for both, and what the project still needs for it to deploy.
 *
 * @module
 */

/** The names a new function's files use. */
export interface Names {
  /** The function's name: its module's, `order-events`. */
  readonly name: string;
  /** The same in PascalCase, for identifiers and logical ids: `OrderEvents`. */
  readonly pascal: string;
}

/** One kind of function. */
export interface Kind {
  /** What invokes it, for the list of kinds. */
  readonly description: string;
  /** The handler module's text. */
  readonly handler: (names: Names) => string;
  /** The test module's text. */
  readonly test: (names: Names) => string;
  /** The sample event its test and `deno task invoke` use. */
  readonly event: (names: Names) => Record<string, unknown>;
  /** The resource to declare in `handlers/template.base.yaml` before deploying, if any. */
  readonly resource?: (names: Names) => string;
  /** How to run it on this machine: `deno task dev, then curl …`. */
  readonly tryIt: (names: Names) => string;
}

/**
 * A name in PascalCase: `order-events` → `OrderEvents`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pascalCase } from "./kind.ts";
 *
 * equal(pascalCase("order_events-v2"), "OrderEventsV2");
 * ```
 *
 * @param name A function's name.
 * @returns Its words, each capitalised, joined.
 */
export function pascalCase(name: string): string {
  return name.split(/[-_]+/).filter((p) => p !== "").map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}
