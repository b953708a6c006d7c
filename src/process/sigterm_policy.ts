/**
 * When the runtime registers as an internal extension, which is what makes Lambda send SIGTERM
 * at shutdown (`LAMBDENO_EXTENSION`): `on` always, while the handler loads; `auto` only when the
 * handler module added an `onShutdown` hook or a SIGTERM listener during init; `off` never. And
 * the warnings for shutdown code that will then not run.
 *
 * @module
 */

import type { ExtensionMode } from "./config.ts";
import { describeError } from "../runtime/errors.ts";
import type { LevelLogger } from "./logging.ts";
import type { ShutdownHooks, SigtermListeners } from "./shutdown.ts";

/** What {@linkcode SigtermPolicy} needs. */
export interface SigtermPolicyOptions {
  /** `LAMBDENO_EXTENSION`. */
  readonly mode: ExtensionMode;
  /** Registers the extension (`registerExtension` for the Runtime API's address). */
  readonly register: () => Promise<unknown>;
  /** The hooks and listeners the handler module adds. */
  readonly hooks: ShutdownHooks;
  readonly listeners: SigtermListeners;
  readonly log: LevelLogger;
}

/**
 * Applies `LAMBDENO_EXTENSION` around the loading of the handler. Registration is only open
 * during init, so both steps come before the first `/next`.
 *
 * @example `auto` registers only for a module that added a hook
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SigtermPolicy } from "./sigterm_policy.ts";
 * import { ShutdownHooks, SigtermListeners } from "./shutdown.ts";
 *
 * let registered = 0;
 * const hooks = new ShutdownHooks();
 * const policy = new SigtermPolicy({
 *   mode: "auto", hooks, listeners: new SigtermListeners(), log: () => {},
 *   register: () => (registered++, Promise.resolve()),
 * });
 * policy.beforeLoad();
 * hooks.add(() => {});
 * await policy.afterLoad();
 * equal(registered, 1);
 * ```
 */
export class SigtermPolicy {
  readonly #options: SigtermPolicyOptions;
  #registering: Promise<boolean> | undefined;

  /** @param options The mode, how to register, and the hooks and listeners to watch. */
  constructor(options: SigtermPolicyOptions) {
    this.#options = options;
  }

  /** Before the handler loads: with `on` the registration round trip overlaps the loading. */
  beforeLoad(): void {
    if (this.#options.mode === "on") this.#registering = this.#register();
  }

  /**
   * After the handler has loaded: registers with `auto` when it added shutdown code (the others
   * skip the round trip), and warns about shutdown code that may never run.
   *
   * @returns Once registered, or not.
   */
  async afterLoad(): Promise<void> {
    const { mode, hooks, listeners } = this.#options;
    const wanted = hooks.size + listeners.size;
    if (mode === "auto" && wanted > 0) this.#registering = this.#register();
    if (this.#registering === undefined || !(await this.#registering)) {
      this.#warnWithoutSigterm(mode === "off" ? wanted : 0);
    }
  }

  #register(): Promise<boolean> {
    return this.#options.register().then(() => true, (error) => {
      this.#options.log("WARN", `${describeError(error)}; SIGTERM will not be sent at shutdown`);
      return false;
    });
  }

  /**
   * Warns, when the runtime did not register for SIGTERM, about the shutdown code that may then
   * never run: what was added at init despite `LAMBDENO_EXTENSION=off` (`atInit`), and the first
   * hook or listener added after init.
   */
  #warnWithoutSigterm(atInit: number): void {
    const { hooks, listeners, log } = this.#options;
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
}
