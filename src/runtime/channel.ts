/**
 * A typed, closable channel with backpressure: the runtime's way of handing invocations from
 * the pollers that fetch them to the workers that run them, in the manner of Crystal's fibers
 * and channels.
 *
 * @module
 */

/** Raised by {@linkcode Channel.send} on a closed channel and by `receive` once it is drained. */
export class ChannelClosedError extends Error {
  /**
   * @param message What was attempted.
   * @param options The reason given to {@linkcode Channel.close}, as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChannelClosedError";
  }
}

/** Cancellation for a single send or receive. */
export interface ChannelOperationOptions {
  /** Gives up waiting when aborted; the operation rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

interface _Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
}

interface _Sender<T> extends _Waiter<void> {
  readonly value: T;
}

/**
 * A first-in, first-out channel. With a capacity of 0 every `send` waits for a `receive`
 * (a rendezvous); with a capacity of `n`, up to `n` values wait in the buffer and further
 * sends wait for room. Iterating with `for await` receives until the channel is closed and
 * drained.
 *
 * @typeParam T The type of the values carried.
 *
 * @example A producer and a consumer
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Channel } from "./channel.ts";
 *
 * const channel = new Channel<number>(2);
 * const producer = (async () => {
 *   for (let i = 1; i <= 5; i++) await channel.send(i);
 *   channel.close();
 * })();
 * const seen: number[] = [];
 * for await (const n of channel) seen.push(n);
 * await producer;
 * deepEqual(seen, [1, 2, 3, 4, 5]);
 * ```
 */
export class Channel<T> implements AsyncIterable<T>, Disposable, AsyncDisposable {
  readonly #capacity: number;
  #buffer: T[] = [];
  #senders: _Sender<T>[] = [];
  #receivers: _Waiter<T>[] = [];
  #closed = false;
  #reason: unknown = undefined;

  /**
   * @param capacity How many values may wait unreceived; 0 makes every send a rendezvous.
   * @throws {RangeError} If `capacity` is not a non-negative integer.
   */
  constructor(capacity = 0) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(
        `Cannot create channel: capacity must be an integer >= 0, got ${capacity}`,
      );
    }
    this.#capacity = capacity;
  }

  /** Whether {@linkcode close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The number of values sent and not yet received, buffered or waiting in `send`. */
  get size(): number {
    return this.#buffer.length + this.#senders.length;
  }

  /**
   * Sends a value, waiting while the buffer is full.
   *
   * @param value The value.
   * @param options A signal to stop waiting.
   * @returns A promise that settles once the value is in the buffer or with a receiver.
   * @throws {ChannelClosedError} If the channel is closed, now or while waiting.
   */
  send(value: T, options?: ChannelOperationOptions): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new ChannelClosedError("Cannot send: the channel is closed", { cause: this.#reason }),
      );
    }
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.resolve(value);
      return Promise.resolve();
    }
    if (this.#buffer.length < this.#capacity) {
      this.#buffer.push(value);
      return Promise.resolve();
    }
    return this.#wait(this.#senders, options, (resolve, reject) => ({ value, resolve, reject }));
  }

  /**
   * Receives the next value, waiting until one is sent.
   *
   * @param options A signal to stop waiting.
   * @returns The value.
   * @throws {ChannelClosedError} If the channel is closed and drained (its `cause` is the
   * reason given to `close`).
   */
  receive(options?: ChannelOperationOptions): Promise<T> {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      const sender = this.#senders.shift();
      if (sender !== undefined) {
        this.#buffer.push(sender.value);
        sender.resolve();
      }
      return Promise.resolve(value);
    }
    const sender = this.#senders.shift();
    if (sender !== undefined) {
      sender.resolve();
      return Promise.resolve(sender.value);
    }
    if (this.#closed) return Promise.reject(this.#drainedError());
    return this.#wait(this.#receivers, options, (resolve, reject) => ({ resolve, reject }));
  }

  /**
   * Closes the channel: further sends fail, senders still waiting are rejected, and receivers
   * get what is buffered, then {@linkcode ChannelClosedError}. Closing twice does nothing.
   *
   * @param reason Why; a `for await` loop over the channel rethrows it once drained.
   */
  close(reason?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reason = reason;
    const error = new ChannelClosedError("Cannot send: the channel is closed", { cause: reason });
    for (const sender of this.#senders.splice(0)) sender.reject(error);
    for (const receiver of this.#receivers.splice(0)) receiver.reject(this.#drainedError());
  }

  /**
   * Receives until the channel is closed and drained. Ends normally after `close()`, and throws
   * the reason after `close(reason)`.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.receive();
      } catch (error) {
        if (!(error instanceof ChannelClosedError) || !this.#closed || this.size > 0) throw error;
        if (this.#reason !== undefined) throw this.#reason;
        return;
      }
    }
  }

  /** Closes the channel. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the channel. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  #drainedError(): ChannelClosedError {
    return new ChannelClosedError("Cannot receive: the channel is closed and drained", {
      cause: this.#reason,
    });
  }

  #wait<W extends _Waiter<R>, R>(
    queue: W[],
    options: ChannelOperationOptions | undefined,
    make: (resolve: (value: R) => void, reject: (reason: unknown) => void) => W,
  ): Promise<R> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const { promise, resolve, reject } = Promise.withResolvers<R>();
    if (signal === undefined) {
      queue.push(make(resolve, reject));
      return promise;
    }
    const onAbort = () => {
      const i = queue.indexOf(waiter);
      if (i >= 0) queue.splice(i, 1);
      reject(signal.reason);
    };
    const waiter = make(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (reason) => {
        signal.removeEventListener("abort", onAbort);
        reject(reason);
      },
    );
    signal.addEventListener("abort", onAbort, { once: true });
    queue.push(waiter);
    return promise;
  }
}
