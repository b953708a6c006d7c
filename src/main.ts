/**
 * The bootstrap: the only module that reads the environment (`process/config.ts` turns it into
 * settings). It wires the pollers, the loop, logging, faults and shutdown together, reports init
 * failures on `/runtime/init/error`, and runs the loop until the Runtime API tells it to stop.
 * `deno run -A src/main.ts` is the bootstrap from source; `deno task build` bundles this file with
 * the chosen handler modules into one (`handlers/_bootstrap.js`), which both layouts ship,
 * compiled or run by `deno`; the bundle registers its handlers (`src/runtime/bundled_handlers.ts`)
 * and the loader takes them from there.
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
 * - `LAMBDENO_TIMINGS=1`: write, once init is done, a line `lambdeno-timings {…}` on stderr with
 *   the epoch milliseconds at which Deno started (`origin`), the runtime's modules were
 *   evaluated (`ready`) and the handler was loaded (`loaded`): the cold-start benchmark's
 *   breakdown.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { describeError, toErrorBody } from "./runtime/errors.ts";
import { registerExtension } from "./process/extension.ts";
import { SigtermPolicy } from "./process/sigterm_policy.ts";
import { installFaultHandlers } from "./process/faults.ts";
import { bundledHandlers } from "./runtime/bundled_handlers.ts";
import { installTraceEnv } from "./process/trace_env.ts";
import { loadHandler } from "./runtime/handler_loader.ts";
import { adaptHandler } from "./node_compat/handlers.ts";
import { streamingHandler } from "./node_compat/response_stream.ts";
import { EmptyEventLoop, watchEmptyEventLoop } from "./node_compat/event_loop.ts";
import { EXECUTION_ENV, installAwsLambda } from "./node_compat/awslambda.ts";
import { installInvokeStore, InvokeStore } from "./process/invoke_store.ts";
import { installConsoleLogging } from "./process/logging.ts";
import { readLogConfig, readRuntimeApiAddress, readRuntimeConfig } from "./process/config.ts";
import type { RuntimeApiAddress } from "./runtime_api/contract.ts";
import { RuntimeApiClient } from "./runtime_api/client.ts";
import { Pollers } from "./runtime/pollers.ts";
import { Runtime } from "./runtime/runtime.ts";
import { currentContext } from "./process/scope.ts";
import {
  publishShutdownHooks,
  shutdown,
  ShutdownHooks,
  SigtermListeners,
} from "./process/shutdown.ts";
import { fileUrl } from "./runtime/file_url.ts";

const BUNDLED_HANDLERS = new URL("../handlers/", import.meta.url);

/** The time shutdown hooks share; Lambda allows the runtime about 300 ms after SIGTERM. */
const SHUTDOWN_BUDGET_MS = 250;

async function main(): Promise<number> {
  const ready = performance.now();
  const env = Deno.env.toObject();
  const log = installConsoleLogging(console, { ...readLogConfig(env), scope: currentContext });
  let address: RuntimeApiAddress;
  try {
    address = readRuntimeApiAddress(env);
  } catch (error) {
    // Without an address there is nowhere to report an init failure.
    log("ERROR", describeError(error).replace(/^TypeError: /, ""));
    return 1;
  }
  installInvokeStore(new InvokeStore());
  installAwsLambda();
  // Lambda leaves AWS_EXECUTION_ENV unset on OS-only runtimes, and Powertools' Tracer turns
  // itself off without it.
  if (!env.AWS_EXECUTION_ENV) Deno.env.set("AWS_EXECUTION_ENV", EXECUTION_ENV);
  const hooks = new ShutdownHooks();
  publishShutdownHooks(hooks);
  const listeners = new SigtermListeners();
  const api = new RuntimeApiClient(address.host, {
    userAgent: `lambdeno/${config.version}`,
    workingDirectory: Deno.cwd(),
  });
  // The first /next (or init error) then finds its connection open.
  api.preconnect();
  const faults = installFaultHandlers({ current: currentContext, log });
  let runtime: Runtime;
  let pollers: Pollers;
  let eventLoop: EmptyEventLoop | undefined;
  try {
    const config = readRuntimeConfig(env);
    pollers = new Pollers(api, { slots: config.concurrency, pipeline: config.pipeline });
    const sigterm = new SigtermPolicy({
      mode: config.extension,
      register: () => registerExtension(address.host, { log }),
      hooks,
      listeners,
      log,
    });
    sigterm.beforeLoad();
    const loaded = await loadHandler(
      config.handler,
      _handlersDir(config.handlersDir),
      bundledHandlers(),
    );
    // Node.js-style handlers (callback, streamifyResponse) are recognised once, here. The event
    // loop can only be seen empty while one invocation runs at a time: more keep polls open.
    eventLoop = config.concurrency === 1 ? new EmptyEventLoop() : undefined;
    const handler = await adaptHandler(loaded, {
      warn: (message) => log("WARN", message),
      streaming: streamingHandler,
      eventLoop,
    });
    await sigterm.afterLoad();
    if (env.LAMBDENO_TIMINGS === "1") _writeTimings(ready, performance.now());
    runtime = new Runtime({
      answers: pollers.answers,
      handler,
      concurrency: config.concurrency,
      deadlineMarginMs: config.deadlineMarginMs,
      info: config.info,
      log,
      onTraceId: installTraceEnv(Deno.env),
    });
  } catch (error) {
    const body = toErrorBody(error);
    log("ERROR", `Init failed: ${body.errorType}: ${body.errorMessage}`);
    try {
      await api.initError(body);
    } catch (apiError) {
      log("ERROR", `Cannot report the init failure: ${describeError(apiError)}`);
    }
    return 1;
  }
  faults.attach(runtime);
  const running = runtime;
  // Node answers when its event loop has no work left: callbacks waiting for it get their result,
  // any other open invocation null.
  const waiting = eventLoop;
  watchEmptyEventLoop(() => {
    if ((waiting?.empty() ?? 0) + running.answerIdle() > 0) return true;
    log("ERROR", "Exiting: the event loop has no work left and no invocation can be answered");
    Deno.exitCode = 1;
    return false;
  });
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
    await running.run(pollers.invocations);
    return 0;
  } catch (error) {
    log("ERROR", `Exiting: ${describeError(error)}`);
    return 1;
  }
}

/** The cold start's milestones, as epoch milliseconds, for the benchmark (`LAMBDENO_TIMINGS`). */
function _writeTimings(ready: number, loaded: number): void {
  const origin = performance.timeOrigin;
  const line = `lambdeno-timings ${
    JSON.stringify({ origin, ready: origin + ready, loaded: origin + loaded })
  }\n`;
  Deno.stderr.writeSync(new TextEncoder().encode(line));
}

/** The handlers shipped beside the runtime, or another directory (for tests and tools). */
function _handlersDir(override: string | undefined): URL {
  if (override === undefined || override === "") return BUNDLED_HANDLERS;
  const path = override.endsWith("/") ? override : `${override}/`;
  return fileUrl(path.startsWith("/") ? path : `${Deno.cwd()}/${path}`);
}

// In a build's bundle this module is not the entry (the handler registry is), so the registry
// says it is to run.
// Not a top-level await: Deno tells when the event loop is empty (above) only once the module
// has finished evaluating.
if (import.meta.main || bundledHandlers() !== undefined) main().then((code) => Deno.exit(code));
