/**
 * The emulator's functions by name: which exist (the handler modules found, plus those declared),
 * and the running {@linkcode LambdaFunction} of each, made on its first invocation with its
 * settings: its environments, how many it may have, how long an idle one lives. A change of
 * settings retires the functions it changes; they are closed with the registry.
 *
 * @module
 */

import { discoverFunctions, type FunctionSpec, resolveFunction } from "./front/function_catalog.ts";
import type { FunctionSettings } from "./front/function_configs.ts";
import { moduleExports } from "./front/module_exports.ts";
import { awsError } from "./front/request_body.ts";
import { functionEnv } from "./sandbox/function_env.ts";
import { LambdaFunction } from "./sandbox/lambda_function.ts";
import type { Clock } from "./sandbox/sandbox_pool.ts";

/** What the registry needs to find functions and start their runtimes. */
export interface FunctionRegistryOptions {
  /** The directory of handler modules, one function each. */
  readonly handlersDir: string;
  /** Functions declared beyond (or instead of) the discovered ones. */
  readonly functions?: readonly FunctionSpec[];
  /**
   * Whether the handler modules in `handlersDir` are functions too, and any export of theirs
   * by `file.export` (the default); with `false`, exactly the declared functions are served
   * (those of a built artifact).
   */
  readonly discover?: boolean;
  /** The function `function` stands for. Defaults to the first declared, else the first found. */
  readonly defaultFunction?: string;
  /** The bootstrap command, e.g. `[deno, "run", "-A", "/abs/src/main.ts"]`. */
  readonly command: readonly string[];
  /**
   * The bootstrap command for a function of a given memory size, when it depends on it (from
   * source, V8's heap limits are flags); `command` otherwise.
   */
  readonly commandFor?: (memoryMb: number) => readonly string[];
  /** The runtime's working directory, `LAMBDA_TASK_ROOT`. */
  readonly taskRoot: string;
  /** Seconds per invocation. Defaults to 3, as Lambda. */
  readonly timeoutSeconds?: number;
  /** Memory in MB. Defaults to 128, as Lambda. */
  readonly memoryMb?: number;
  /** Managed Instances mode with this many concurrent invocations per process. */
  readonly concurrency?: number | undefined;
  /**
   * Classic mode: the most environments (runtime processes) per function, as an account's
   * limit caps Lambda's; a function's `reservedConcurrency` may set fewer. Defaults to 10.
   */
  readonly maxEnvironments?: number | undefined;
  /** Seconds an idle environment lives before it is reclaimed. Defaults to 300. */
  readonly idleTimeoutSeconds?: number | undefined;
  /** The clock for idle environments; the system's by default. */
  readonly clock?: Clock;
  /** The region. Defaults to `us-east-1`. */
  readonly region?: string;
  /** `Event` invocations that may wait per function before `429`. Defaults to 1000. */
  readonly maxQueuedEvents?: number;
  /** Variables given to every runtime process, before Lambda's own. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Each function's own settings by `file.export` (its `config`, see `readFunctionSettings`):
   * they win over `timeoutSeconds` and `memoryMb`, and its environment defaults give way to `env`.
   */
  readonly settings?: ReadonlyMap<string, FunctionSettings>;
  /** Where log lines go. */
  readonly log: (line: string) => void;
}

/** The functions served and their runtimes. */
export class FunctionRegistry {
  readonly #options: FunctionRegistryOptions;
  /** The functions made, by name, with the `file.export` their settings are kept under. */
  readonly #running = new Map<string, { readonly fn: LambdaFunction; readonly handler: string }>();
  // Functions replaced by a restart with new settings: closed with the registry.
  readonly #retired = new Set<LambdaFunction>();
  #settings: ReadonlyMap<string, FunctionSettings>;
  #declared: readonly FunctionSpec[];
  #specs: readonly FunctionSpec[];

  private constructor(options: FunctionRegistryOptions, specs: readonly FunctionSpec[]) {
    this.#options = options;
    this.#settings = options.settings ?? new Map();
    this.#declared = options.functions ?? [];
    this.#specs = specs;
  }

  /**
   * Finds the functions. No runtime starts until its first invocation.
   *
   * @param options The handlers, the command, the limits and the log.
   * @returns The registry.
   * @throws {Deno.errors.NotFound} If the handlers directory does not exist.
   */
  static async open(options: FunctionRegistryOptions): Promise<FunctionRegistry> {
    return new FunctionRegistry(options, await _specs(options, options.functions ?? []));
  }

  /** The functions served, in order, the default one first among equals. */
  get specs(): readonly FunctionSpec[] {
    return this.#specs;
  }

  /** The name `function` stands for, if there is any function. */
  get defaultFunction(): string | undefined {
    return this.#options.defaultFunction ?? this.#specs[0]?.name;
  }

  /** The region functions run in. */
  get region(): string {
    return this.#options.region ?? "us-east-1";
  }

  /**
   * The function a name refers to, its runtime made on first use.
   *
   * @param name A function's name, `file.export`, or `function` for the default one.
   * @param feed Receives each log line of a function made now (after the emulator's log), with
   *   the invocation it belongs to, if any.
   * @returns The function, or the 404 saying there is none by that name.
   */
  async get(
    name: string,
    feed: (line: string, requestId?: string) => void,
  ): Promise<LambdaFunction | Response> {
    const wanted = name === "function" ? this.defaultFunction ?? name : name;
    let spec = this.#resolve(wanted);
    if (spec === undefined && this.#options.discover !== false) {
      // A module added since start-up is a function too.
      await this.#refresh();
      spec = this.#resolve(wanted);
    }
    if (spec === undefined) return this.#notFound(name);
    let fn = this.#running.get(spec.name)?.fn;
    if (fn === undefined) {
      // A made-up `file.export` would start a runtime only to fail its init: refuse it here.
      if (!this.#specs.includes(spec)) {
        const missing = await this.#missingExport(spec);
        if (missing !== undefined) return missing;
      }
      fn = this.#make(spec, feed);
      this.#running.set(spec.name, { fn, handler: spec.handler });
    }
    return fn;
  }

  /**
   * Restarts every function's runtime on its next invocation (after a source change), once its
   * invocations in progress have ended, and finds the handler modules again.
   *
   * @param settings The functions' settings from now on (after a change of their `config`);
   *   the current ones when left out. A function whose settings change is made again with them.
   * @param functions The declared functions from now on (after a new build of an artifact);
   *   the current ones when left out. A function no longer served is closed once idle.
   * @returns Resolves once the functions served are known again.
   */
  restart(
    settings?: ReadonlyMap<string, FunctionSettings>,
    functions?: readonly FunctionSpec[],
  ): Promise<void> {
    for (const { fn } of this.#running.values()) fn.restart();
    const before = this.#settings;
    if (settings !== undefined) this.#settings = settings;
    if (functions !== undefined) {
      this.#declared = functions;
      if (this.#options.discover === false) this.#specs = [...functions];
    }
    // At once, so that the next invocation already runs with the new settings.
    this.#retire((handler) => !_same(before.get(handler), this.#settings.get(handler)));
    return this.#refresh().then(() =>
      this.#retire((handler, name) => this.#resolve(name)?.handler !== handler)
    );
  }

  /**
   * Kills every runtime process.
   *
   * @returns Resolves once they have all stopped.
   */
  async close(): Promise<void> {
    const made = [...this.#running.values()].map(({ fn }) => fn);
    await Promise.all([...made, ...this.#retired].map((fn) => fn.close()));
  }

  /** Lets go of the functions made that `stale` picks; they are closed with the registry. */
  #retire(stale: (handler: string, name: string) => boolean): void {
    for (const [name, { fn, handler }] of this.#running) {
      if (!stale(handler, name)) continue;
      this.#retired.add(fn);
      this.#running.delete(name);
    }
  }

  /** @returns The function `name` refers to among those served now. */
  #resolve(name: string): FunctionSpec | undefined {
    if (this.#options.discover !== false) return resolveFunction(name, this.#specs);
    return this.#specs.find((spec) => spec.name === name || spec.handler === name);
  }

  async #refresh(): Promise<void> {
    this.#specs = await _specs(this.#options, this.#declared).catch(() => this.#specs);
  }

  #make(spec: FunctionSpec, feed: (line: string, requestId?: string) => void): LambdaFunction {
    const o = this.#options;
    const settings = this.#settings.get(spec.handler);
    // A function's own config wins over the emulator-wide defaults; the user's variables win
    // over its environment defaults.
    const memoryMb = settings?.memoryMb ?? o.memoryMb ?? 128;
    return new LambdaFunction({
      name: spec.name,
      command: o.commandFor?.(memoryMb) ?? o.command,
      cwd: o.taskRoot,
      env: functionEnv(spec, { ...o, memoryMb, env: { ...settings?.env, ...o.env } }),
      timeoutMs: (settings?.timeoutSeconds ?? o.timeoutSeconds ?? 3) * 1000,
      memoryMb,
      concurrency: o.concurrency,
      maxEnvironments: o.maxEnvironments,
      reservedConcurrency: settings?.reservedConcurrency,
      idleTimeoutMs: o.idleTimeoutSeconds === undefined ? undefined : o.idleTimeoutSeconds * 1000,
      ...(o.clock === undefined ? {} : { clock: o.clock }),
      maxQueuedEvents: o.maxQueuedEvents,
      log: (line, requestId) => {
        o.log(line);
        feed(line, requestId);
      },
    });
  }

  #notFound(name: string): Response {
    return awsError(
      404,
      "ResourceNotFoundException",
      `Function not found: arn:aws:lambda:${this.region}:123456789012:function:${name}`,
      { functions: this.#specs.map((spec) => spec.name) },
    );
  }

  async #missingExport(spec: FunctionSpec): Promise<Response | undefined> {
    const dot = spec.handler.lastIndexOf(".");
    const file = spec.handler.slice(0, dot);
    const wanted = spec.handler.slice(dot + 1);
    const exports = await moduleExports(this.#options.handlersDir, file);
    if (exports === undefined || exports.has(wanted)) return undefined;
    const names = [...exports].sort();
    return awsError(
      404,
      "ResourceNotFoundException",
      `Cannot invoke ${spec.name}: the module ${file} has no export "${wanted}"; ` +
        `it exports ${names.length === 0 ? "nothing" : names.join(", ")}`,
      { exports: names },
    );
  }
}

function _same(a: FunctionSettings | undefined, b: FunctionSettings | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

async function _specs(
  options: FunctionRegistryOptions,
  declared: readonly FunctionSpec[],
): Promise<FunctionSpec[]> {
  if (options.discover === false) return [...declared];
  const found = await discoverFunctions(options.handlersDir);
  return [...declared, ...found.filter((spec) => !declared.some((d) => d.name === spec.name))];
}
