/**
 * What a handler module's `config` export may declare: which of its exports are Lambda
 * functions, and how each is deployed. `deno task build` reads it to write the SAM template,
 * and the emulator reads it to run each function as it will run in Lambda.
 *
 * With `config`, exactly the exports it names are functions; without it, the module's
 * `handler` export is (Lambda's own convention for `_HANDLER=file`), deployed with the build's
 * defaults and no Function URL, and the build warns.
 *
 * @example A function behind a Function URL
 * ```ts
 * import type { HandlerConfig } from "./handler_config.ts";
 *
 * export const config = {
 *   handler: { url: "buffered", memorySize: 256, timeout: 10 },
 * } satisfies HandlerConfig;
 * ```
 *
 * @module
 */

/**
 * How a Function URL answers: `"buffered"` (`InvokeMode: BUFFERED`, the whole response at
 * once) or `"stream"` (`RESPONSE_STREAM`).
 */
export type UrlMode = "buffered" | "stream";

/** The deployment settings of one handler export. */
export interface FunctionConfig {
  /** Give the function a Function URL answering this way. */
  readonly url?: UrlMode;
  /** Memory in MB (128–10240); the build's default otherwise. */
  readonly memorySize?: number;
  /** Timeout in seconds (1–900); the build's default otherwise. */
  readonly timeout?: number;
  /** A description for the console. */
  readonly description?: string;
}

/** A handler module's `config` export: export name → settings. */
export type HandlerConfig = Readonly<Record<string, FunctionConfig>>;
