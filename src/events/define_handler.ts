/**
 * {@linkcode defineHandler}: a Lambda handler whose event (and optionally result) is checked
 * against a zod schema, with the handler's types inferred from the schemas.
 *
 * @module
 */

import type { z } from "zod";
import type { Context } from "../runtime/context.ts";
import { EventValidationError, ResultValidationError } from "./errors.ts";

/** A handler with a validated event and an unchecked result. */
export interface HandlerDefinition<E extends z.ZodType, R> {
  /** The schema the event must match; the handler receives its output. */
  readonly event: E;
  /** The function doing the work. */
  readonly handler: (event: z.output<E>, context: Context) => R | Promise<R>;
}

/** A handler with a validated event and a validated result. */
export interface CheckedHandlerDefinition<E extends z.ZodType, S extends z.ZodType> {
  /** The schema the event must match; the handler receives its output. */
  readonly event: E;
  /** The schema the handler's result must match; the output of it is what Lambda returns. */
  readonly result: S;
  /** The function doing the work. */
  readonly handler: (event: z.output<E>, context: Context) => z.input<S> | Promise<z.input<S>>;
}

/** The Lambda handler {@linkcode defineHandler} returns: takes any event, validates it. */
export type ValidatedHandler<R> = (event: unknown, context: Context) => Promise<R>;

/**
 * Wraps a handler so that the event is validated (and transformed) by `event` before the handler
 * sees it, and, when `result` is given, the handler's result is validated before it is returned.
 * Validation is asynchronous, so schemas may use async transforms.
 *
 * @param definition The schemas and the handler.
 * @returns A handler for the runtime.
 * @throws {EventValidationError} When the event does not match; the message lists every path.
 * @throws {ResultValidationError} When the result does not match.
 *
 * @example Validate the event and the result
 * ```ts
 * import { equal, rejects } from "node:assert/strict";
 * import { z } from "zod";
 * import { defineHandler } from "./define_handler.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const handler = defineHandler({
 *   event: z.object({ name: z.string(), times: z.number().int() }),
 *   result: z.string(),
 *   handler: ({ name, times }) => `hello ${name}`.repeat(times),
 * });
 * const ctx = {} as Context;
 * equal(await handler({ name: "ada", times: 1 }, ctx), "hello ada");
 * await rejects(handler({ name: 1, times: 1.5 }, ctx), {
 *   name: "EventValidationError",
 *   message: "Invalid event: name: expected string, received number; times: expected int, received number",
 * });
 * ```
 */
export function defineHandler<E extends z.ZodType, S extends z.ZodType>(
  definition: CheckedHandlerDefinition<E, S>,
): ValidatedHandler<z.output<S>>;
/**
 * Wraps a handler so that the event is validated (and transformed) by `event` before the handler
 * sees it; the handler's result is returned as it is.
 *
 * @example Validate the event only
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { z } from "zod";
 * import { defineHandler } from "./define_handler.ts";
 * import type { Context } from "../runtime/context.ts";
 *
 * const handler = defineHandler({
 *   event: z.object({ n: z.coerce.number() }),
 *   handler: ({ n }) => n * 2,
 * });
 * equal(await handler({ n: "21" }, {} as Context), 42);
 * ```
 *
 * @param definition The event schema and the handler.
 * @returns A handler for the runtime.
 * @throws {EventValidationError} When the event does not match; the message lists every path.
 */
export function defineHandler<E extends z.ZodType, R>(
  definition: HandlerDefinition<E, R>,
): ValidatedHandler<R>;
export function defineHandler<E extends z.ZodType>(
  definition: HandlerDefinition<E, unknown> & { readonly result?: z.ZodType },
): ValidatedHandler<unknown> {
  const { event: eventSchema, result: resultSchema, handler } = definition;
  return async (event, context) => {
    const parsed = await eventSchema.safeParseAsync(event);
    if (!parsed.success) throw new EventValidationError(parsed.error);
    const result = await handler(parsed.data, context);
    if (resultSchema === undefined) return result;
    const checked = await resultSchema.safeParseAsync(result);
    if (!checked.success) throw new ResultValidationError(checked.error);
    return checked.data;
  };
}
