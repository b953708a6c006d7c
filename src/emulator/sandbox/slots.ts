/**
 * A counting semaphore for invocations: past the concurrency, they wait their turn, in order.
 *
 * @module
 */

/** A counting semaphore: invocations past the concurrency wait their turn, in order. */
export class Slots {
  #free: number;
  #waiting: (() => void)[] = [];

  /** @param count How many may run at once. */
  constructor(count: number) {
    this.#free = count;
  }

  /** @returns Resolves once a slot is free, in arrival order. */
  take(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Frees a slot, handing it to the longest waiter if any. */
  give(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#free++;
  }
}
