/**
 * Graceful shutdown. Lambda sends SIGTERM (when an extension is registered) and kills the
 * process 300–500 ms later; in that window the runtime aborts every running invocation's
 * signal, runs the hooks functions registered with {@linkcode onShutdown}, and exits. The
 * bootstrap registers itself as an extension at init when a hook or a SIGTERM listener of the
 * function's own ({@linkcode SigtermListeners}) exists by then, so a function with neither
 * spends no start-up time on it.
 *
 * The hooks live in one {@linkcode ShutdownHooks} object that the bootstrap creates and
 * publishes; {@linkcode onShutdown} finds it through a global symbol rather than module state,
 * so a handler that imports Lambdeno through another specifier (a published package, a copy
 * bundled in a layer) still reaches the runtime that is running it.
 *
 * @module
 */

import type { LevelLogger } from "./logging.ts";
import { describeError } from "../runtime/errors.ts";

/** A function to run at shutdown; it may return a promise. */
export type ShutdownHook = () => void | Promise<void>;

const SLOT = Symbol.for("lambdeno.shutdownHooks");

/** The functions to run at shutdown, in registration order. */
export class ShutdownHooks {
  readonly #hooks = new Set<ShutdownHook>();
  #onAdd: (() => void) | undefined;

  /**
   * Adds a hook.
   *
   * @param hook The function.
   * @returns A function that removes the hook.
   */
  add(hook: ShutdownHook): () => void {
    // A wrapper, so that registering the same function twice runs it twice.
    const entry: ShutdownHook = () => hook();
    this.#hooks.add(entry);
    this.#onAdd?.();
    return () => this.#hooks.delete(entry);
  }

  /** How many hooks there are. */
  get size(): number {
    return this.#hooks.size;
  }

  /**
   * Calls `listener` after each hook added from now on. The bootstrap uses it to warn about a
   * hook added after init when no SIGTERM is going to come.
   *
   * @param listener The function, or `undefined` to stop calling one.
   */
  onAdd(listener: (() => void) | undefined): void {
    this.#onAdd = listener;
  }

  /** @returns The hooks, in registration order. */
  list(): ShutdownHook[] {
    return [...this.#hooks];
  }
}

/**
 * Makes `hooks` the registry {@linkcode onShutdown} adds to. The bootstrap calls it once,
 * before it loads the handler.
 *
 * @param hooks The registry.
 * @param target The global object. Defaults to `globalThis`.
 */
export function publishShutdownHooks(
  hooks: ShutdownHooks,
  target: Record<symbol, unknown> = globalThis as unknown as Record<symbol, unknown>,
): void {
  target[SLOT] = hooks;
}

/**
 * Registers a function to run when Lambda shuts the execution environment down (SIGTERM):
 * close connections, flush buffers. Hooks run one after another in registration order, and all
 * of them share about 250 ms; a hook that throws or is still running then is logged and left.
 *
 * Call it during init (at the top level of the handler module): Lambda sends SIGTERM only to a
 * runtime that registered as an extension during init, and the bootstrap registers only when a
 * hook exists at the end of init (or when `LAMBDENO_EXTENSION=on`).
 *
 * Outside the Lambdeno bootstrap (a unit test importing a handler module) there is no shutdown
 * to hook into: the function is not kept.
 *
 * @param hook The function; it may return a promise.
 * @returns A function that removes the hook again.
 *
 * @example Close a pool at shutdown
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { onShutdown, publishShutdownHooks, ShutdownHooks } from "./shutdown.ts";
 *
 * // What the bootstrap does before it loads the handler module:
 * const hooks = new ShutdownHooks();
 * publishShutdownHooks(hooks);
 *
 * let open = true;
 * const pool = {
 *   close: async () => {
 *     await Promise.resolve();
 *     open = false;
 *   },
 * };
 * const remove = onShutdown(() => pool.close());
 * equal(hooks.size, 1);
 * for (const hook of hooks.list()) await hook(); // what SIGTERM does
 * equal(open, false);
 * remove();
 * equal(hooks.size, 0);
 * ```
 */
export function onShutdown(hook: ShutdownHook): () => void {
  if (typeof hook !== "function") {
    throw new TypeError(`Cannot register a shutdown hook: expected a function, got ${typeof hook}`);
  }
  // Duck-typed: the registry may come from another copy of this module (a bundled bootstrap).
  const hooks = (globalThis as unknown as Record<symbol, Partial<ShutdownHooks> | undefined>)[SLOT];
  return typeof hooks?.add === "function" ? hooks.add(hook) : () => false;
}

/** Where signal listeners are added: the `Deno` namespace. */
export interface SignalTarget {
  addSignalListener(signal: Deno.Signal, handler: () => void): void;
}

/**
 * Counts the SIGTERM listeners that code adds for itself, through `Deno.addSignalListener` or
 * `process.on("SIGTERM")` (which goes through it): such code needs the runtime to register for
 * SIGTERM as much as a shutdown hook does.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SigtermListeners } from "./shutdown.ts";
 *
 * const target = { addSignalListener(_signal: Deno.Signal, _handler: () => void) {} };
 * const listeners = new SigtermListeners(target);
 * target.addSignalListener("SIGTERM", () => {});
 * target.addSignalListener("SIGINT", () => {});
 * listeners.addUncounted("SIGTERM", () => {});
 * equal(listeners.size, 1);
 * ```
 */
export class SigtermListeners {
  #count = 0;
  #onAdd: (() => void) | undefined;
  readonly #add: (signal: Deno.Signal, handler: () => void) => void;

  /**
   * Starts counting, by wrapping `target.addSignalListener`.
   *
   * @param target The `Deno` namespace, or a stand-in.
   */
  constructor(target: SignalTarget = Deno) {
    const original = target.addSignalListener;
    this.#add = (signal, handler) => original.call(target, signal, handler);
    target.addSignalListener = (signal, handler) => {
      if (signal === "SIGTERM") {
        this.#count++;
        this.#onAdd?.();
      }
      this.#add(signal, handler);
    };
  }

  /** How many SIGTERM listeners have been added. */
  get size(): number {
    return this.#count;
  }

  /**
   * Calls `listener` after each SIGTERM listener added from now on.
   *
   * @param listener The function, or `undefined` to stop calling one.
   */
  onAdd(listener: (() => void) | undefined): void {
    this.#onAdd = listener;
  }

  /**
   * Adds a listener without counting it: the runtime's own.
   *
   * @param signal The signal.
   * @param handler The listener.
   */
  addUncounted(signal: Deno.Signal, handler: () => void): void {
    this.#add(signal, handler);
  }
}

/** What {@linkcode shutdown} needs. */
export interface ShutdownOptions {
  /** Aborts the signal of every running invocation (`Runtime.abortAll`). */
  readonly abortAll: (reason: unknown) => void;
  /** The hooks to run. */
  readonly hooks: readonly ShutdownHook[];
  /** Where to report hooks that fail or overrun. */
  readonly log: LevelLogger;
  /** The time all hooks share, in milliseconds. Defaults to 250. */
  readonly budgetMs?: number;
}

/**
 * Aborts every running invocation, then runs the hooks in order within the budget. Never
 * rejects: a hook that throws is logged and the next one runs; when the budget is spent, the
 * remaining hooks are logged as skipped.
 *
 * @param options What to abort, the hooks, the log, and the budget.
 * @returns Resolves when every hook has finished or the budget is spent.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { shutdown } from "./shutdown.ts";
 *
 * const seen: string[] = [];
 * await shutdown({
 *   abortAll: (reason) => seen.push(`abort: ${reason}`),
 *   hooks: [() => void seen.push("hook 1"), () => { throw new Error("oops"); }],
 *   log: (level, message) => seen.push(`${level} ${message}`),
 * });
 * deepEqual(seen, [
 *   "abort: SIGTERM",
 *   "hook 1",
 *   "ERROR Shutdown hook 2 of 2 failed: Error: oops",
 * ]);
 * ```
 */
export async function shutdown(options: ShutdownOptions): Promise<void> {
  options.abortAll("SIGTERM");
  const hooks = options.hooks;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"expired">((resolve) => {
    timer = setTimeout(() => resolve("expired"), options.budgetMs ?? 250);
  });
  try {
    for (let i = 0; i < hooks.length; i++) {
      const which = `Shutdown hook ${i + 1} of ${hooks.length}`;
      let outcome: unknown;
      try {
        outcome = await Promise.race([Promise.resolve().then(hooks[i]), expired]);
      } catch (error) {
        options.log("ERROR", `${which} failed: ${describeError(error)}`);
        continue;
      }
      if (outcome === "expired") {
        options.log("WARN", `${which} did not finish in time; ${hooks.length - i - 1} not run`);
        return;
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
