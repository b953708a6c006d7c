/**
 * The environment Lambda gives a function's runtime process, on top of the user's own.
 *
 * @module
 */

import type { FunctionSpec } from "../front/function_catalog.ts";

/**
 * Variables of the user's shell every runtime process gets: what Deno needs to find its cache,
 * and to reach a registry (a new `npm:` import is fetched at init) through a proxy or a
 * TLS-inspecting gateway.
 */
export const PASSED_THROUGH: readonly string[] = [
  "PATH",
  "HOME",
  "DENO_DIR",
  "TMPDIR",
  "LANG",
  "NO_COLOR",
  "DENO_NO_UPDATE_CHECK",
  "DENO_TLS_CA_STORE",
  "DENO_CERT",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

/**
 * Picks the variables of {@linkcode PASSED_THROUGH} out of an environment.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { passedThrough } from "./function_env.ts";
 *
 * deepEqual(passedThrough({ HTTPS_PROXY: "http://proxy:3128", SECRET: "x" }), {
 *   HTTPS_PROXY: "http://proxy:3128",
 * });
 * ```
 *
 * @param env The user's environment.
 * @returns The variables a runtime process inherits.
 */
export function passedThrough(env: Readonly<Record<string, string>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** What the environment depends on. */
export interface FunctionEnvOptions {
  /** The handlers directory, passed as `LAMBDENO_HANDLERS_DIR`. */
  readonly handlersDir: string;
  /** `LAMBDA_TASK_ROOT`. */
  readonly taskRoot: string;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB. */
  readonly memoryMb: number;
  /** `AWS_REGION` (and `AWS_DEFAULT_REGION`). */
  readonly region?: string;
  /** Managed Instances mode: sets `AWS_LAMBDA_MAX_CONCURRENCY`. */
  readonly concurrency?: number | undefined;
  /** The user's variables; Lambda's own take precedence. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Builds a function's environment.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { functionEnv } from "./function_env.ts";
 *
 * const env = functionEnv({ name: "echo", handler: "echo.handler" }, {
 *   handlersDir: "/app/handlers", taskRoot: "/app", memoryMb: 128,
 * });
 * equal(env._HANDLER, "echo.handler");
 * equal(env.AWS_LAMBDA_LOG_GROUP_NAME, "/aws/lambda/echo");
 * equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, "on-demand");
 * equal(env.NO_COLOR, "1");
 * ```
 *
 * @param spec The function.
 * @param options Memory, region, mode and the user's variables.
 * @returns The environment, `AWS_LAMBDA_RUNTIME_API` aside.
 */
export function functionEnv(
  spec: FunctionSpec,
  options: FunctionEnvOptions,
): Record<string, string> {
  const region = options.region ?? "us-east-1";
  const date = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  const stream = crypto.randomUUID().replaceAll("-", "");
  const env: Record<string, string> = {
    ...options.env,
    _HANDLER: spec.handler,
    LAMBDENO_HANDLERS_DIR: options.handlersDir,
    LAMBDA_TASK_ROOT: options.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${date}/[$LATEST]${stream}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_INITIALIZATION_TYPE: options.concurrency === undefined
      ? "on-demand"
      : "lambda-managed-instances",
    TZ: ":UTC",
    // Output is piped, never a terminal, and error bodies must not carry colour codes.
    NO_COLOR: "1",
  };
  if (options.concurrency !== undefined) {
    env.AWS_LAMBDA_MAX_CONCURRENCY = String(options.concurrency);
  }
  return env;
}
