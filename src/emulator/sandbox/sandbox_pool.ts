/**
 * A function's execution environments, scaled as Lambda scales them: an invocation takes a free
 * slot in a warm environment (the most recently used, so that the others can go idle), or a new
 * environment (a cold start) while there are fewer than the cap, or is throttled — or, for an
 * invocation that may wait (an `Event` one), waits for a slot. Environments idle for longer than
 * the idle timeout are reclaimed, so that processes and memory stay bounded; a restart retires
 * them all, each once its invocations have ended.
 *
 * @module
 */

import type { FunctionSandbox } from "./function_sandbox.ts";
import type { Clock } from "./function_types.ts";

export type { Clock } from "./function_types.ts";

/**
 * How many environments a function may run at once, by default: enough to see it scale out,
 * few enough for a laptop (an AWS account's default limit is 1,000, shared by its functions).
 */
export const DEFAULT_MAX_ENVIRONMENTS = 10;

/** How long an environment may stay idle before it is reclaimed, by default: 5 minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/** The system's clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  schedule(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** What a pool needs. */
export interface SandboxPoolOptions {
  /** The most environments at once; 0 throttles every invocation. */
  readonly maxSandboxes: number;
  /** Milliseconds an environment may stay idle before it is reclaimed. */
  readonly idleTimeoutMs: number;
  /** The clock and timers. */
  readonly clock: Clock;
  /**
   * Starts an environment; it must tell `gone` when its init fails or its process exits.
   *
   * @param gone Forgets the environment.
   * @returns The new environment.
   */
  readonly spawn: (gone: (sandbox: FunctionSandbox) => void) => FunctionSandbox;
}

/** A function's environments. */
export class SandboxPool {
  readonly #options: SandboxPoolOptions;
  /** Environments taking invocations, the most recently idle last. */
  #sandboxes: FunctionSandbox[] = [];
  /** Environments retired by a restart, until their last invocation ends. */
  readonly #retiring = new Set<FunctionSandbox>();
  #waiters: PromiseWithResolvers<FunctionSandbox | undefined>[] = [];
  /** Cancels the timer that reclaims the next idle environment, when one is set. */
  #timer: (() => void) | undefined;
  #closed = false;

  /** @param options The cap, the idle timeout, the clock and how to start an environment. */
  constructor(options: SandboxPoolOptions) {
    this.#options = options;
  }

  /** The environments alive: taking invocations, or retired and finishing theirs. */
  get size(): number {
    return this.#sandboxes.length + this.#retiring.size;
  }

  /** The most environments at once. */
  get maxSandboxes(): number {
    return this.#options.maxSandboxes;
  }

  /**
   * Takes a slot for an invocation.
   *
   * @param wait Whether to wait for a slot when every environment is busy and there are as many
   *   as the cap (an `Event` invocation), rather than be throttled.
   * @returns The environment whose slot is now taken (its process may still be starting), or
   *   `undefined` when throttled or closed.
   */
  take(wait: boolean): Promise<FunctionSandbox | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    // Those already waiting come first.
    const sandbox = this.#waiters.length === 0 ? this.#claim() : undefined;
    if (sandbox !== undefined || !wait) return Promise.resolve(sandbox);
    const waiter = Promise.withResolvers<FunctionSandbox | undefined>();
    this.#waiters.push(waiter);
    return waiter.promise;
  }

  /**
   * Gives back a slot once its invocation has ended (a stream included).
   *
   * @param sandbox The environment it was taken on.
   */
  give(sandbox: FunctionSandbox): void {
    sandbox.busy--;
    if (this.#retiring.has(sandbox)) {
      if (sandbox.busy > 0) return;
      this.#retiring.delete(sandbox);
      void sandbox.shutdown();
      return this.#wake();
    }
    const index = this.#sandboxes.indexOf(sandbox);
    if (index < 0) return this.#wake();
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      sandbox.busy++;
      return waiter.resolve(sandbox);
    }
    if (sandbox.busy > 0) return;
    sandbox.idleSince = this.#options.clock.now();
    this.#sandboxes.splice(index, 1);
    this.#sandboxes.push(sandbox);
    this.#arm();
  }

  /**
   * Kills an environment without waiting for it (a timed-out one, in the classic mode): its
   * slots are freed, and the next invocation cold-starts another.
   *
   * @param sandbox The environment.
   */
  reset(sandbox: FunctionSandbox): void {
    this.#forget(sandbox);
    void sandbox.close();
  }

  /**
   * Retires every environment: idle ones shut down now, busy ones once their invocations have
   * ended; later invocations start new ones (after a source change, say).
   */
  restart(): void {
    for (const sandbox of this.#sandboxes) {
      if (sandbox.busy === 0) void sandbox.shutdown();
      else this.#retiring.add(sandbox);
    }
    this.#sandboxes = [];
    this.#wake();
  }

  /**
   * Reclaims the environments idle for at least the idle timeout (the pool's timer does this by
   * itself).
   *
   * @returns How many were reclaimed, once they have shut down.
   */
  async reap(): Promise<number> {
    const now = this.#options.clock.now();
    const expired = this.#sandboxes.filter((sandbox) =>
      sandbox.busy === 0 && now - sandbox.idleSince >= this.#options.idleTimeoutMs
    );
    this.#sandboxes = this.#sandboxes.filter((sandbox) => !expired.includes(sandbox));
    this.#timer?.();
    this.#timer = undefined;
    this.#arm();
    await Promise.all(expired.map((sandbox) => sandbox.shutdown()));
    return expired.length;
  }

  /**
   * Kills every environment; waiting invocations get no slot.
   *
   * @returns Resolves once every process has exited.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.();
    this.#timer = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(undefined);
    const all = [...this.#sandboxes, ...this.#retiring];
    this.#sandboxes = [];
    this.#retiring.clear();
    await Promise.all(all.map((sandbox) => sandbox.close()));
  }

  /** A slot on the most recently used environment with one free, else on a new one. */
  #claim(): FunctionSandbox | undefined {
    for (let i = this.#sandboxes.length - 1; i >= 0; i--) {
      const sandbox = this.#sandboxes[i]!;
      if (sandbox.busy < sandbox.capacity) {
        sandbox.busy++;
        return sandbox;
      }
    }
    if (this.#closed || this.size >= this.#options.maxSandboxes) return undefined;
    const sandbox = this.#options.spawn((gone) => this.#forget(gone));
    sandbox.busy = 1;
    this.#sandboxes.push(sandbox);
    return sandbox;
  }

  /** Drops an environment that can take no more invocations, freeing its place. */
  #forget(sandbox: FunctionSandbox): void {
    const index = this.#sandboxes.indexOf(sandbox);
    if (index >= 0) this.#sandboxes.splice(index, 1);
    this.#retiring.delete(sandbox);
    this.#wake();
  }

  /** Hands free slots, or new environments, to the invocations waiting. */
  #wake(): void {
    while (this.#waiters.length > 0) {
      const sandbox = this.#claim();
      if (sandbox === undefined) return;
      this.#waiters.shift()!.resolve(sandbox);
    }
  }

  /** Sets the timer for the next environment to reach the idle timeout, unless one is set. */
  #arm(): void {
    if (this.#timer !== undefined || this.#closed) return;
    let earliest = Infinity;
    for (const sandbox of this.#sandboxes) {
      if (sandbox.busy === 0) earliest = Math.min(earliest, sandbox.idleSince);
    }
    if (earliest === Infinity) return;
    const clock = this.#options.clock;
    const delay = Math.max(0, earliest + this.#options.idleTimeoutMs - clock.now());
    this.#timer = clock.schedule(() => {
      this.#timer = undefined;
      void this.reap();
    }, delay);
  }
}
