/**
 * The bootstrap: the only module that reads the environment. It resolves `_HANDLER`, reports
 * init failures on `/runtime/init/error`, and runs the invocation loop until the Runtime API
 * tells it to stop. `deno run -A src/main.ts` is the bootstrap from source; `deno task build`
 * bundles this file with the chosen handler modules into one (`handlers/_bootstrap.js`), which
 * both layouts ship, compiled or run by `deno`; the bundle registers its handlers
 * (`src/runtime/bundled_handlers.ts`) and the loader takes them from there.
 *
 * Besides Lambda's variables (`_HANDLER`, `AWS_LAMBDA_RUNTIME_API`, `AWS_LAMBDA_LOG_FORMAT`,
 * `AWS_LAMBDA_LOG_LEVEL`, `AWS_LAMBDA_MAX_CONCURRENCY`, …) it reads:
 * - `LAMBDENO_HANDLERS_DIR`: where handler modules are, instead of the bundled `handlers/`.
 * - `LAMBDENO_DEADLINE_MARGIN_MS`: how long before the deadline `context.signal` aborts
 *   (default 50).
 * - `LAMBDENO_EXTENSION`: when to register the runtime as an internal extension, which is what
 *   makes Lambda send SIGTERM at shutdown: `auto` (default) when the handler module has added an
 *   `onShutdown` hook or a SIGTERM listener by the end of init, `on` always, `off` never.
 * - `LAMBDENO_PIPELINE=off`: send each `/next` after the answer's reply instead of in the same
 *   write (HTTP/1.1 pipelining), for a Runtime API that mishandles pipelined requests.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { RuntimeError, toErrorBody } from "./runtime/errors.ts";
import { registerExtension } from "./process/extension.ts";
import { installFaultHandlers } from "./process/faults.ts";
import { bundledHandlers } from "./runtime/bundled_handlers.ts";
import { loadHandler } from "./runtime/handler_loader.ts";
import { installInvokeStore, InvokeStore } from "./process/invoke_store.ts";
import { installConsoleLogging, parseLogFormat, parseLogLevel } from "./process/logging.ts";
import { RuntimeApiClient } from "./runtime_api/client.ts";
import { Runtime, type RuntimeLog } from "./runtime/runtime.ts";
import { currentContext } from "./process/scope.ts";
import {
  publishShutdownHooks,
  shutdown,
  ShutdownHooks,
  SigtermListeners,
} from "./process/shutdown.ts";

const BUNDLED_HANDLERS = new URL("../handlers/", import.meta.url);

/**
 * How long before the deadline a context's signal aborts, unless `LAMBDENO_DEADLINE_MARGIN_MS`
 * says otherwise. On classic Lambda the sandbox is frozen at the deadline, so a signal that
 * fires exactly then leaves no time to answer; 50 ms lets a handler that obeys it post a result.
 */
const DEFAULT_DEADLINE_MARGIN_MS = 50;

/** The time shutdown hooks share; Lambda allows the runtime about 300 ms after SIGTERM. */
const SHUTDOWN_BUDGET_MS = 250;

async function main(): Promise<number> {
  const env = Deno.env.toObject();
  const format = parseLogFormat(env.AWS_LAMBDA_LOG_FORMAT);
  // Lambda filters by level only in the JSON format (AWS docs, "Log-level filtering"), and
  // only sets AWS_LAMBDA_LOG_LEVEL then; in TEXT every line is written.
  const minLevel = format === "JSON" ? parseLogLevel(env.AWS_LAMBDA_LOG_LEVEL) ?? "TRACE" : "TRACE";
  const emit = installConsoleLogging(console, { format, minLevel, scope: currentContext });
  const log: RuntimeLog = (level, message) => emit(level, message);
  const address = env.AWS_LAMBDA_RUNTIME_API;
  if (address === undefined || address === "") {
    log(
      "ERROR",
      "Cannot start: AWS_LAMBDA_RUNTIME_API is not set. This program is a Lambda bootstrap " +
        "and Lambda sets it; to run functions on this machine, use `deno task dev`.",
    );
    return 1;
  }
  installInvokeStore(new InvokeStore());
  const hooks = new ShutdownHooks();
  publishShutdownHooks(hooks);
  const listeners = new SigtermListeners();
  const api = new RuntimeApiClient(address, {
    userAgent: `lambdeno/${config.version}`,
    pipelineNext: env.LAMBDENO_PIPELINE !== "off",
    workingDirectory: Deno.cwd(),
  });
  // The first /next (or init error) then finds its connection open.
  api.preconnect();
  let runtime: Runtime | undefined;
  let concurrency = 1;
  installFaultHandlers({
    current: currentContext,
    fail: (context, error) => runtime?.failInvocation(context, error) ?? false,
    sole: () => {
      if (runtime === undefined || concurrency !== 1 || runtime.inFlight.size !== 1) return;
      for (const ctx of runtime.inFlight) return ctx;
    },
    log,
  });
  // Registration is only open during init, so it is done before the first /next.
  const register = () =>
    registerExtension(address, { log }).then(() => true, (error) => {
      log("WARN", `${_message(error)}; SIGTERM will not be sent at shutdown`);
      return false;
    });
  try {
    const extension = _extensionMode(env.LAMBDENO_EXTENSION);
    // A round trip, so when it is sure to be needed it goes on while the handler loads.
    let registering = extension === "on" ? register() : undefined;
    concurrency = _concurrency(env.AWS_LAMBDA_MAX_CONCURRENCY);
    const deadlineMarginMs = _deadlineMargin(env.LAMBDENO_DEADLINE_MARGIN_MS);
    const handler = await loadHandler(
      env._HANDLER,
      _handlersDir(env.LAMBDENO_HANDLERS_DIR),
      bundledHandlers(),
    );
    // Only a function with shutdown hooks or SIGTERM listeners needs SIGTERM; the others skip
    // the round trip.
    const wanted = hooks.size + listeners.size;
    if (extension === "auto" && wanted > 0) registering = register();
    if (registering === undefined || !(await registering)) {
      _warnWithoutSigterm(extension === "off" ? wanted : 0, hooks, listeners, log);
    }
    runtime = new Runtime({
      api,
      handler,
      concurrency,
      deadlineMarginMs,
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
  const running = runtime;
  let stopping = false;
  listeners.addUncounted("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    log("WARN", `SIGTERM: shutting down with ${running.inFlight.size} invocation(s) running`);
    // Log lines are written synchronously, so there is nothing left to flush.
    shutdown({
      abortAll: (reason) => running.abortAll(reason),
      hooks: hooks.list(),
      log,
      budgetMs: SHUTDOWN_BUDGET_MS,
    }).finally(() => Deno.exit(0));
  });
  try {
    await running.run();
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

/**
 * Warns, when the runtime did not register for SIGTERM, about the shutdown code that may then
 * never run: what was added at init despite `LAMBDENO_EXTENSION=off` (`atInit`), and the first
 * hook or listener added after init.
 */
function _warnWithoutSigterm(
  atInit: number,
  hooks: ShutdownHooks,
  listeners: SigtermListeners,
  log: RuntimeLog,
): void {
  if (atInit > 0) {
    log(
      "WARN",
      `LAMBDENO_EXTENSION=off: the ${atInit} shutdown hook(s) and SIGTERM listener(s) added ` +
        "at init run only if another extension makes Lambda send SIGTERM",
    );
  }
  const late = () => {
    hooks.onAdd(undefined);
    listeners.onAdd(undefined);
    log(
      "WARN",
      "A shutdown hook or SIGTERM listener was added after init, but the runtime did not " +
        "register for SIGTERM at init, so it runs only if another extension is registered; " +
        "add it at the top level of the handler module, or set LAMBDENO_EXTENSION=on",
    );
  };
  hooks.onAdd(late);
  listeners.onAdd(late);
}

function _extensionMode(value: string | undefined): "auto" | "on" | "off" {
  const mode = value === undefined || value === "" ? "auto" : value.toLowerCase();
  if (mode !== "auto" && mode !== "on" && mode !== "off") {
    throw new RuntimeError(
      "Runtime.InvalidConfiguration",
      `Cannot start: LAMBDENO_EXTENSION must be auto, on or off, got "${value}"`,
    );
  }
  return mode;
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

function _deadlineMargin(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_DEADLINE_MARGIN_MS;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new RuntimeError(
      "Runtime.InvalidConfiguration",
      `Cannot start: LAMBDENO_DEADLINE_MARGIN_MS must be a non-negative number, got "${value}"`,
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

// In a build's bundle this module is not the entry (the handler registry is), so the registry
// says it is to run.
if (import.meta.main || bundledHandlers() !== undefined) Deno.exit(await main());
