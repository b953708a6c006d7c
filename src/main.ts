/**
 * The bootstrap: the only module that reads the environment. It resolves `_HANDLER`, reports
 * init failures on `/runtime/init/error`, and runs the invocation loop until the Runtime API
 * tells it to stop. `deno run -A src/main.ts` is the bootstrap from source; the compiled
 * `bootstrap` runs this same file.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { RuntimeError, toErrorBody } from "./errors.ts";
import { loadHandler } from "./handler_loader.ts";
import { RuntimeApiClient } from "./runtime_api_client.ts";
import { Runtime, type RuntimeLog } from "./runtime.ts";

const BUNDLED_HANDLERS = new URL("../handlers/", import.meta.url);

// deno-lint-ignore no-console
const log: RuntimeLog = (level, message) => console.error(`${level}\t${message}`);

async function main(): Promise<number> {
  const env = Deno.env.toObject();
  const address = env.AWS_LAMBDA_RUNTIME_API;
  if (address === undefined || address === "") {
    log(
      "ERROR",
      "Cannot start: AWS_LAMBDA_RUNTIME_API is not set. This program is a Lambda bootstrap " +
        "and Lambda sets it; to run functions on this machine, use `deno task dev`.",
    );
    return 1;
  }
  const api = new RuntimeApiClient(address, {
    userAgent: `lambdeno/${config.version}`,
    pipelineNext: env.LAMBDENO_PIPELINE !== "off",
  });
  let runtime: Runtime;
  try {
    const concurrency = _concurrency(env.AWS_LAMBDA_MAX_CONCURRENCY);
    runtime = new Runtime({
      api,
      handler: await loadHandler(env._HANDLER, _handlersDir(env.LAMBDENO_HANDLERS_DIR)),
      concurrency,
      info: {
        functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "function",
        functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
        memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "128",
        logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
        logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
      },
      log,
      onTraceId: (traceId) => {
        if (traceId === undefined) Deno.env.delete("_X_AMZN_TRACE_ID");
        else Deno.env.set("_X_AMZN_TRACE_ID", traceId);
      },
    });
  } catch (error) {
    const body = toErrorBody(error);
    log("ERROR", `Init failed: ${body.errorType}: ${body.errorMessage}`);
    try {
      await api.initError(body);
    } catch (apiError) {
      log("ERROR", `Cannot report the init failure: ${_message(apiError)}`);
    }
    return 1;
  }
  // A promise a handler forgot, or a throw in a timer callback, must not end the runtime.
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    log("ERROR", `Unhandled promise rejection: ${_message(event.reason)}`);
  });
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    log("ERROR", `Uncaught exception: ${_message(event.error)}`);
  });
  try {
    await runtime.run();
    return 0;
  } catch (error) {
    log("ERROR", `Exiting: ${_message(error)}`);
    return 1;
  }
}

/** The handlers shipped beside the runtime, or another directory (for tests and tools). */
function _handlersDir(override: string | undefined): URL {
  if (override === undefined || override === "") return BUNDLED_HANDLERS;
  const path = override.endsWith("/") ? override : `${override}/`;
  return new URL(path, `file://${Deno.cwd()}/`);
}

function _concurrency(value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new RuntimeError(
      "Runtime.InvalidConfiguration",
      `Cannot start: AWS_LAMBDA_MAX_CONCURRENCY must be a positive integer, got "${value}"`,
    );
  }
  return n;
}

function _message(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = `${error.name}: ${error.message}`;
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
    text += ` (caused by ${cause.name}: ${cause.message})`;
  }
  return text;
}

if (import.meta.main) Deno.exit(await main());
