/**
 * `deno task dev` and `deno task invoke`: the command line of the emulator, and the only
 * module of it that reads arguments and the environment.
 *
 * ```sh
 * deno task dev [--host 127.0.0.1] [--port 3000] [--http-api-port 3001] [--rest-api-port 3002]
 *               [--timeout 3] [--memory 128]
 *               [--concurrency N] [--handlers handlers] [--handler name=file.export]
 *               [--default name] [--bootstrap ./bootstrap] [--env-file .env] [--watch]
 * deno task invoke <name> [event.json | -] [same function flags]
 * ```
 *
 * Each function runs with its own `config`'s timeout, memory and environment defaults, as the
 * SAM template deploys it; `--timeout` and `--memory`, when given, apply to every function
 * instead, and `--env-file` variables win over a config's defaults.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { describeApis } from "./api_gateway/api_set.ts";
import { Emulator } from "./emulator.ts";
import {
  discoverFunctions,
  type FunctionSpec,
  parseFunctionSpec,
  resolveFunction,
} from "./front/function_catalog.ts";
import {
  type FunctionSettings,
  overriddenByFlags,
  readFunctionSettings,
} from "./front/function_configs.ts";
import { functionEnv, passedThrough } from "./sandbox/function_env.ts";
import { LambdaFunction } from "./sandbox/lambda_function.ts";
import { watchSources } from "./sandbox/watch.ts";
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
  --concurrency <n>      Managed Instances mode: n invocations at once per process
  --handlers <dir>       handler modules, one function each (default handlers, or LAMBDENO_HANDLERS_DIR)
  --handler <name=file.export>  declare a function running another export (repeatable)
  --default <name>       the function "function" stands for
  --bootstrap <path>     a compiled bootstrap instead of deno run -A src/main.ts
  --env-file <path>      KEY=VALUE lines given to every function
  --region <region>      AWS_REGION (default us-east-1)
  --watch                restart a function's runtime, its config read again, when handlers/ or src/ change
`;

const encoder = new TextEncoder();

function _print(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  for (let offset = 0; offset < bytes.length;) offset += stream.writeSync(bytes.subarray(offset));
}

const out = (line: string) => _print(Deno.stdout, `${line}\n`);
const err = (line: string) => _print(Deno.stderr, `${line}\n`);

class UsageError extends Error {
  override name = "UsageError";
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "http-api-port": { type: "string" },
      "rest-api-port": { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      concurrency: { type: "string" },
      handlers: { type: "string" },
      handler: { type: "string", multiple: true },
      default: { type: "string" },
      bootstrap: { type: "string" },
      "env-file": { type: "string" },
      region: { type: "string" },
      watch: { type: "boolean" },
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
  const handlersDir = _absolute(values.handlers ?? env.LAMBDENO_HANDLERS_DIR ?? "handlers", cwd);
  const userEnv = passedThrough(env);
  if (values["env-file"] !== undefined) {
    Object.assign(userEnv, _envFile(await Deno.readTextFile(values["env-file"])));
  }
  const memoryMb = _positive("--memory", values.memory ?? "128");
  // A built bootstrap sizes V8 itself from AWS_LAMBDA_FUNCTION_MEMORY_SIZE; from source, the
  // same flags go on the command line, so memory behaves as it will on Lambda.
  const bootstrap = values.bootstrap === undefined
    ? [
      Deno.execPath(),
      "run",
      "-A",
      `--v8-flags=${v8MemoryFlags(memoryMb).join(",")}`,
      new URL("../main.ts", import.meta.url).pathname,
    ]
    : [_absolute(values.bootstrap, cwd)];
  const concurrency = values.concurrency === undefined
    ? undefined
    : _positive("--concurrency", values.concurrency);
  const flags = { timeout: values.timeout !== undefined, memory: values.memory !== undefined };
  const common = {
    handlersDir,
    functions: (values.handler ?? []).map(parseFunctionSpec),
    command: bootstrap,
    taskRoot: cwd,
    timeoutSeconds: _positive("--timeout", values.timeout ?? "3"),
    memoryMb,
    concurrency,
    region: values.region ?? env.AWS_REGION ?? "us-east-1",
    env: userEnv,
    settings: overriddenByFlags(await _settings(handlersDir), flags),
  };
  if (command === "invoke") return await _invoke(rest, common);
  if (command !== "serve") throw new UsageError(`Cannot run "${command}": use serve or invoke`);

  const hostname = values.host ?? env.LAMBDENO_HOST ?? "127.0.0.1";
  const port = _port(values.port ?? env.LAMBDENO_PORT ?? "3000");
  let emulator: Emulator;
  try {
    emulator = await Emulator.start({
      ...common,
      hostname,
      port,
      ...(values["http-api-port"] === undefined
        ? {}
        : { httpApiPort: _port(values["http-api-port"]) }),
      ...(values["rest-api-port"] === undefined
        ? {}
        : { restApiPort: _port(values["rest-api-port"]) }),
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
  if (values.watch === true) {
    const src = new URL("..", import.meta.url).pathname;
    void watchSources([handlersDir, src], (paths) => {
      out(
        `[watch] ${paths.map((p) => p.replace(`${cwd}/`, "")).join(", ")} changed: ` +
          "functions restart on their next invocation",
      );
      emulator.restart();
      // An edited config applies too; a broken one is said, and the previous one kept.
      void _settings(handlersDir).then(
        (settings) => emulator.restart(overriddenByFlags(settings, flags)),
        (error) =>
          err(
            `[watch] ${error instanceof Error ? error.message : String(error)} ` +
              "(the functions keep their previous config)",
          ),
      );
    }, { signal: stopping.signal });
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

interface Common {
  readonly handlersDir: string;
  readonly functions: readonly FunctionSpec[];
  readonly command: readonly string[];
  readonly taskRoot: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly concurrency: number | undefined;
  readonly region: string;
  readonly env: Record<string, string>;
  readonly settings: ReadonlyMap<string, FunctionSettings>;
}

/** One invocation, in this process: no HTTP server; the answer on stdout, logs on stderr. */
async function _invoke(args: string[], options: Common): Promise<number> {
  const [name, source] = args;
  if (name === undefined) throw new UsageError("Cannot invoke: name a function");
  const specs = [...options.functions, ...(await discoverFunctions(options.handlersDir))];
  const spec = resolveFunction(name, specs);
  if (spec === undefined) {
    err(
      `Cannot invoke ${name}: no such function; there are ${specs.map((s) => s.name).join(", ")}`,
    );
    return 1;
  }
  const event = source === undefined
    ? "{}"
    : source === "-"
    ? await new Response(Deno.stdin.readable).text()
    : await Deno.readTextFile(source);
  JSON.parse(event);
  const settings = options.settings.get(spec.handler);
  const memoryMb = settings?.memoryMb ?? options.memoryMb;
  await using fn = new LambdaFunction({
    name: spec.name,
    command: options.command,
    cwd: options.taskRoot,
    env: functionEnv(spec, { ...options, memoryMb, env: { ...settings?.env, ...options.env } }),
    timeoutMs: (settings?.timeoutSeconds ?? options.timeoutSeconds) * 1000,
    memoryMb,
    concurrency: options.concurrency,
    log: err,
  });
  const outcome = await fn.invoke(event);
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
    ];
    const note = notes.length === 0 ? "" : `  (${notes.join(", ")})`;
    out(`  ${fn.name.padEnd(width)}  ${emulator.url}${fn.name}/${note}`);
  }
  const first = emulator.defaultFunction ?? "function";
  out(`Invoke API: ${emulator.url}2015-03-31/functions/{name}/invocations ("function" = ${first})`);
  out(`Other exports: ${emulator.url}{file}.{export}/, e.g. /echo.stream/`);
  for (const line of describeApis(emulator.apis)) out(line);
}

/** The functions' own settings; a malformed config stops the emulator, as it stops the build. */
async function _settings(handlersDir: string): Promise<Map<string, FunctionSettings>> {
  try {
    return await readFunctionSettings(handlersDir);
  } catch (error) {
    // Not a usage mistake: the message alone says what to fix, without the usage text.
    if (!(error instanceof TypeError)) throw error;
    throw new Error(`Cannot run the functions of ${handlersDir}: ${error.message}`, {
      cause: error,
    });
  }
}

function _absolute(path: string, cwd: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`.replace(/\/\.?\/?$/, "");
}

function _positive(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new UsageError(`Cannot use ${flag} ${value}: it must be a positive number`);
  }
  return n;
}

function _port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`Cannot use port ${value}: it must be an integer from 0 to 65535`);
  }
  return n;
}

function _envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) continue;
    const value = match[2]!;
    env[match[1]!] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
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
