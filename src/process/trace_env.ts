/**
 * `_X_AMZN_TRACE_ID` as code reads it from the environment (`Deno.env`, `process.env`), served
 * from a value the runtime sets per invocation instead of the process environment.
 *
 * Lambda's runtimes put each invocation's X-Ray header in `_X_AMZN_TRACE_ID` when they run one
 * invocation at a time. Setting it with `setenv` leaks: glibc never frees a replaced value,
 * so a long-lived environment grew by about 150 bytes an invocation. Reads of that one name go
 * to the value kept here; every other name, and the real environment, are untouched. Node's
 * `process.env` reads through `Deno.env`, so it sees the same value.
 *
 * @module
 */

/** The variable Lambda's runtimes set to the current invocation's X-Ray trace header. */
export const TRACE_ID_ENV = "_X_AMZN_TRACE_ID";

/** The part of `Deno.env` this module wraps. */
export type TraceEnv = Pick<Deno.Env, "get" | "has" | "set" | "delete" | "toObject">;

/**
 * Serves {@linkcode TRACE_ID_ENV} from a value kept in memory. Its first value is what the
 * environment held; code that sets or deletes the variable itself changes that value.
 *
 * @example The handler sees each invocation's trace id; the process environment does not change
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { installTraceEnv } from "./trace_env.ts";
 *
 * const real = new Map<string, string>();
 * const env = {
 *   get: (k: string) => real.get(k),
 *   has: (k: string) => real.has(k),
 *   set: (k: string, v: string) => void real.set(k, v),
 *   delete: (k: string) => void real.delete(k),
 *   toObject: () => Object.fromEntries(real),
 * };
 * const setTraceId = installTraceEnv(env);
 * setTraceId("Root=1-abc");
 * equal(env.get("_X_AMZN_TRACE_ID"), "Root=1-abc");
 * equal(env.toObject()._X_AMZN_TRACE_ID, "Root=1-abc");
 * equal(real.has("_X_AMZN_TRACE_ID"), false);
 * ```
 *
 * @param env The environment to wrap; `Deno.env` in the bootstrap.
 * @returns A function that sets the value (`undefined`: unset) for the next reads.
 */
export function installTraceEnv(env: TraceEnv): (traceId: string | undefined) => void {
  const get = env.get.bind(env);
  const has = env.has.bind(env);
  const set = env.set.bind(env);
  const remove = env.delete.bind(env);
  const toObject = env.toObject.bind(env);
  let current = get(TRACE_ID_ENV);
  // Not kept in the real environment either, so it is not read from two places.
  if (current !== undefined) remove(TRACE_ID_ENV);
  env.get = (key) => key === TRACE_ID_ENV ? current : get(key);
  env.has = (key) => key === TRACE_ID_ENV ? current !== undefined : has(key);
  env.set = (key, value) => {
    if (key === TRACE_ID_ENV) current = String(value);
    else set(key, value);
  };
  env.delete = (key) => {
    if (key === TRACE_ID_ENV) current = undefined;
    else remove(key);
  };
  env.toObject = () => {
    const all = toObject();
    if (current !== undefined) all[TRACE_ID_ENV] = current;
    return all;
  };
  return (traceId) => {
    current = traceId;
  };
}
