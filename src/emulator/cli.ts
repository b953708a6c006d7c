/**
 * `deno task dev` and `deno task invoke`: the command line of the emulator, and the only
 * module of it that reads arguments and the environment.
 *
 * ```sh
 * deno task dev [--host 127.0.0.1] [--port 3000] [--http-api-port 3001] [--rest-api-port 3002]
 *               [--timeout 3] [--memory 128]
 *               [--concurrency N] [--max-environments 10] [--idle-timeout 300]
 *               [--handlers handlers] [--handler name=file.export]
 *               [--default name] [--bootstrap ./bootstrap] [--env-file .env] [--no-watch]
 * deno task invoke <name> [event.json | -] [same function flags]
 * ```
 *
 * Each function runs with its own `config`'s timeout, memory and environment defaults, as the
 * SAM template deploys it; `--timeout` and `--memory`, when given, apply to every function
 * instead, and `--env-file` variables win over a config's defaults. With `--bootstrap`, the
 * functions are exactly those the build's template gives that artifact, with its settings.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { describeApis } from "./api_gateway/api_set.ts";
import { Emulator } from "./emulator.ts";
import { parseFunctionSpec } from "./front/function_catalog.ts";
import type { FunctionSettings } from "./front/function_configs.ts";
import { FunctionRegistry, type FunctionRegistryOptions } from "./function_registry.ts";
import { passedThrough } from "./sandbox/function_env.ts";
import type { Outcome } from "./sandbox/lambda_function.ts";
import { builtArtifact, handlerModules } from "./function_sources.ts";
import { reloadOnChange } from "./live_reload.ts";
import { absolute, count, envFile, port as portArg, positive, UsageError } from "./cli_args.ts";
import { v8MemoryFlags } from "../builder/layouts/memory_flags.ts";

const USAGE = `Usage:
  deno task dev [options]                     run every function in handlers/ on http://127.0.0.1:3000
  deno task invoke <name> [event.json | -]    invoke one function once and print its answer

Options:
  --host <addr>          address to listen on (default 127.0.0.1, or LAMBDENO_HOST); on loopback
                         only requests for 127.0.0.1/localhost from no other site's pages are served
  --port <n>             port (default 3000, or LAMBDENO_PORT)
  --http-api-port <n>    port of the HTTP API, when functions declare HttpApi routes (default: port + 1)
  --rest-api-port <n>    port of the REST API, when functions declare Api routes (default: port + 2)
  --timeout <s>          seconds per invocation, for every function (default: its config's, else 3)
  --memory <mb>          memory size reported, for every function (default: its config's, else 128)
  --concurrency <n>      Managed Instances mode: one environment per function, n invocations at once
  --max-environments <n> environments per function at most (default 10; a config's reservedConcurrency
                         may set fewer): a request that finds them all busy is throttled (429)
  --idle-timeout <s>     seconds an idle environment lives before its process ends (default 300)
  --handlers <dir>       handler modules, one function each (default handlers, or LAMBDENO_HANDLERS_DIR)
  --handler <name=file.export>  declare a function running another export (repeatable)
  --default <name>       the function "function" stands for
  --bootstrap <path>     a built bootstrap (dist/<arch>/<name>/bootstrap) instead of deno run -A
                         src/main.ts: serve exactly its functions, as dist/template.yaml describes them
  --env-file <path>      KEY=VALUE lines given to every function
  --region <region>      AWS_REGION (default us-east-1)
  --no-watch             do not restart the functions, their configs read again, when handlers/ or src/
                         (or, with --bootstrap, the build) change; watching is on by default
`;

const encoder = new TextEncoder();

function _print(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  for (let offset = 0; offset < bytes.length;) offset += stream.writeSync(bytes.subarray(offset));
}

const out = (line: string) => _print(Deno.stdout, `${line}\n`);
const err = (line: string) => _print(Deno.stderr, `${line}\n`);

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    allowNegative: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "http-api-port": { type: "string" },
      "rest-api-port": { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      concurrency: { type: "string" },
      "max-environments": { type: "string" },
      "idle-timeout": { type: "string" },
      handlers: { type: "string" },
      handler: { type: "string", multiple: true },
      default: { type: "string" },
      bootstrap: { type: "string" },
      "env-file": { type: "string" },
      region: { type: "string" },
      watch: { type: "boolean", default: true },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "serve", ...rest] = positionals;
  if (values.help === true) {
    out(USAGE);
    return 0;
  }
  const env = Deno.env.toObject();
  const cwd = Deno.cwd();
  const handlersDir = absolute(values.handlers ?? env.LAMBDENO_HANDLERS_DIR ?? "handlers", cwd);
  const userEnv = passedThrough(env);
  if (values["env-file"] !== undefined) {
    Object.assign(userEnv, envFile(await Deno.readTextFile(values["env-file"])));
  }
  const memoryMb = positive("--memory", values.memory ?? "128");
  // A built bootstrap sizes V8 itself from AWS_LAMBDA_FUNCTION_MEMORY_SIZE; from source, the
  // same flags go on the command line, for each function's own memory, so memory behaves as it
  // will on Lambda.
  const fromSource = (memory: number) => [
    Deno.execPath(),
    "run",
    "-A",
    `--v8-flags=${v8MemoryFlags(memory).join(",")}`,
    new URL("../main.ts", import.meta.url).pathname,
  ];
  const artifact = values.bootstrap === undefined ? undefined : absolute(values.bootstrap, cwd);
  const bootstrap = artifact === undefined ? fromSource(memoryMb) : [artifact];
  const concurrency = values.concurrency === undefined
    ? undefined
    : positive("--concurrency", values.concurrency);
  const flags = { timeout: values.timeout !== undefined, memory: values.memory !== undefined };
  const declared = (values.handler ?? []).map(parseFunctionSpec);
  // A built artifact serves exactly its functions, unless --handler names them.
  const source = artifact === undefined || declared.length > 0
    ? handlerModules(
      handlersDir,
      artifact === undefined
        ? [handlersDir, new URL("..", import.meta.url).pathname.slice(0, -1)]
        : [artifact],
      flags,
    )
    : builtArtifact(artifact, flags);
  const served = await source.read();
  const common: Common = {
    handlersDir,
    functions: served.functions ?? declared,
    discover: artifact === undefined,
    command: bootstrap,
    ...(artifact === undefined ? { commandFor: fromSource } : {}),
    taskRoot: cwd,
    timeoutSeconds: positive("--timeout", values.timeout ?? "3"),
    memoryMb,
    concurrency,
    maxEnvironments: count("--max-environments", values["max-environments"] ?? "10"),
    idleTimeoutSeconds: positive("--idle-timeout", values["idle-timeout"] ?? "300"),
    region: values.region ?? env.AWS_REGION ?? "us-east-1",
    env: userEnv,
    settings: served.settings,
  };
  if (command === "invoke") return await _invoke(rest, common);
  if (command !== "serve") throw new UsageError(`Cannot run "${command}": use serve or invoke`);

  const hostname = values.host ?? env.LAMBDENO_HOST ?? "127.0.0.1";
  const port = portArg(values.port ?? env.LAMBDENO_PORT ?? "3000");
  let emulator: Emulator;
  try {
    emulator = await Emulator.start({
      ...common,
      hostname,
      port,
      ...(values["http-api-port"] === undefined
        ? {}
        : { httpApiPort: portArg(values["http-api-port"]) }),
      ...(values["rest-api-port"] === undefined
        ? {}
        : { restApiPort: portArg(values["rest-api-port"]) }),
      ...(values.default === undefined ? {} : { defaultFunction: values.default }),
      log: out,
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      err(
        error.message.startsWith("Cannot serve the")
          ? error.message
          : `Cannot listen on ${hostname}:${port}: the port is in use; pick another with --port`,
      );
      return 1;
    }
    throw error;
  }
  _banner(emulator, common, concurrency);
  const stopping = new AbortController();
  if (values.watch) {
    out(`Watching ${source.paths.map((p) => _shown(p, cwd)).join(", ")} (--no-watch to stop)`);
    void reloadOnChange(emulator, source, {
      settings: served.settings,
      log: out,
      shown: (path) => _shown(path, cwd),
      signal: stopping.signal,
    });
  }
  const stopped = Promise.withResolvers<void>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stopped.resolve());
  }
  await stopped.promise;
  stopping.abort();
  await emulator.close();
  return 0;
}

/** What both commands take: the registry's options, the emulator-wide defaults set. */
type Common = Omit<FunctionRegistryOptions, "log"> & {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly maxEnvironments: number;
  readonly idleTimeoutSeconds: number;
  readonly settings: ReadonlyMap<string, FunctionSettings>;
};

/** One invocation, in this process: no HTTP server; the answer on stdout, logs on stderr. */
async function _invoke(args: string[], options: Common): Promise<number> {
  const [name, source] = args;
  if (name === undefined) throw new UsageError("Cannot invoke: name a function");
  const event = source === undefined
    ? "{}"
    : source === "-"
    ? await new Response(Deno.stdin.readable).text()
    : await Deno.readTextFile(source);
  JSON.parse(event);
  const registry = await FunctionRegistry.open({ ...options, log: err });
  try {
    const fn = await registry.get(name, () => {});
    if (fn instanceof Response) {
      const { message, functions } = await fn.json();
      err(
        Array.isArray(functions)
          ? `Cannot invoke ${name}: no such function; there are ${functions.join(", ")}`
          : message,
      );
      return 1;
    }
    return await _answer(await fn.invoke(event));
  } finally {
    await registry.close();
  }
}

/** Prints an invocation's answer. */
async function _answer(outcome: Outcome): Promise<number> {
  if (outcome.kind === "error") {
    out(JSON.stringify(outcome.error));
    return 1;
  }
  if (outcome.kind === "response") {
    Deno.stdout.writeSync(outcome.body);
    out("");
    return 0;
  }
  for await (const chunk of outcome.chunks) _print(Deno.stdout, new TextDecoder().decode(chunk));
  const end = await outcome.done;
  if (end.errorType !== undefined || !end.complete) {
    out("");
    out(JSON.stringify(end.errorBody ?? { errorType: end.errorType ?? "Runtime.ExitError" }));
    return 1;
  }
  return 0;
}

function _banner(emulator: Emulator, options: Common, concurrency?: number) {
  const mode = concurrency === undefined ? "" : `, ${concurrency} concurrent (Managed Instances)`;
  out(
    `Lambdeno emulator on ${emulator.url} (timeout ${options.timeoutSeconds} s, memory ` +
      `${options.memoryMb} MB${mode}, unless a function's config says otherwise)`,
  );
  const width = Math.max(...emulator.functions.map((fn) => fn.name.length), 8);
  for (const fn of emulator.functions) {
    const own = options.settings.get(fn.handler);
    const notes = [
      ...(own?.timeoutSeconds === undefined ? [] : [`timeout ${own.timeoutSeconds} s`]),
      ...(own?.memoryMb === undefined ? [] : [`memory ${own.memoryMb} MB`]),
      ...(own?.reservedConcurrency === undefined || concurrency !== undefined
        ? []
        : [`reserved concurrency ${own.reservedConcurrency}`]),
    ];
    const note = notes.length === 0 ? "" : `  (${notes.join(", ")})`;
    out(`  ${fn.name.padEnd(width)}  ${emulator.url}${fn.name}/${note}`);
  }
  const first = emulator.defaultFunction ?? "function";
  out(`Invoke API: ${emulator.url}2015-03-31/functions/{name}/invocations ("function" = ${first})`);
  out(`Other exports: ${emulator.url}{file}.{export}/, e.g. /echo.stream/`);
  const scale = concurrency === undefined
    ? `Scale-out: up to ${options.maxEnvironments} environments per function ` +
      "(--max-environments), then 429; idle"
    : "Idle";
  out(`${scale} environments stop after ${options.idleTimeoutSeconds} s (--idle-timeout)`);
  for (const line of describeApis(emulator.apis)) out(line);
}

function _shown(path: string, cwd: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    err(message);
    if (error instanceof UsageError || error instanceof TypeError) err(`\n${USAGE}`);
    Deno.exit(1);
  }
}
