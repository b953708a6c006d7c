/**
 * `LogType: Tail` for the Invoke API: the end of one invocation's log — its `START` line, what
 * the function printed, `END` and `REPORT` — as Lambda returns it in `X-Amz-Log-Result`: the
 * last 4 KB, base64-encoded.
 *
 * The emulator feeds every function log line through {@linkcode LogTails.feed} with the
 * invocation it belongs to, as the function's environment attributes it: everything an
 * environment prints while it runs one invocation, or, under concurrency, the lines tagged with
 * the invocation's request id. A capture keeps only its own invocation's lines, and of those only
 * as many as the last 4 KB can need, however much the function prints.
 *
 * @module
 */

/** The most of the log Lambda returns, in bytes. */
export const TAIL_BYTES = 4096;

const encoder = new TextEncoder();

/** The log of one invocation, being collected. */
export interface LogCapture {
  /**
   * Stops collecting.
   *
   * @returns The last 4 KB of the lines collected, base64-encoded.
   */
  finish(): string;
}

interface _Tap {
  readonly prefix: string;
  readonly lines: string[];
  /** The characters in `lines`: a line of n characters is at least n bytes. */
  chars: number;
}

/**
 * Collects invocations' log lines for `LogType: Tail`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LogTails } from "./log_tail.ts";
 *
 * const tails = new LogTails();
 * const capture = tails.capture("echo", "r1");
 * tails.feed("[echo] START RequestId: r1 Version: $LATEST", "r1");
 * tails.feed("[echo] another invocation's line", "r2");
 * tails.feed("[echo] hi", "r1");
 * tails.feed("[echo] END RequestId: r1", "r1");
 * equal(atob(capture.finish()), "START RequestId: r1 Version: $LATEST\nhi\nEND RequestId: r1\n");
 * ```
 */
export class LogTails {
  readonly #taps = new Map<string, _Tap>();

  /**
   * Starts collecting one invocation's lines.
   *
   * @param functionName The function, as its log lines are prefixed (`[name] `).
   * @param requestId The invocation's request id.
   * @returns The capture; call `finish()` once the invocation has been answered.
   */
  capture(functionName: string, requestId: string): LogCapture {
    const tap: _Tap = { prefix: `[${functionName}] `, lines: [], chars: 0 };
    this.#taps.set(requestId, tap);
    return {
      finish: () => {
        this.#taps.delete(requestId);
        return tailResult(tap.lines);
      },
    };
  }

  /**
   * Characters of log lines the captures in progress hold: within a few KB per capture however
   * much their invocations print. For diagnostics.
   */
  get heldChars(): number {
    let chars = 0;
    for (const tap of this.#taps.values()) chars += tap.chars;
    return chars;
  }

  /**
   * Sees one log line of the emulator's functions.
   *
   * @param line The line, prefixed with `[name] `.
   * @param requestId The invocation it belongs to, if any.
   */
  feed(line: string, requestId?: string): void {
    if (requestId === undefined) return;
    const tap = this.#taps.get(requestId);
    if (tap === undefined) return;
    const text = line.startsWith(tap.prefix) ? line.slice(tap.prefix.length) : line;
    tap.lines.push(text);
    tap.chars += text.length + 1;
    // Older lines that the last 4 KB can no longer reach are dropped.
    while (tap.lines.length > 1 && tap.chars - tap.lines[0]!.length - 1 >= TAIL_BYTES) {
      tap.chars -= tap.lines.shift()!.length + 1;
    }
  }
}

/**
 * The last {@linkcode TAIL_BYTES} bytes of some log lines, base64-encoded, as Lambda's
 * `LogResult`.
 *
 * @param lines The lines, without their newlines.
 * @returns The base64 text.
 */
export function tailResult(lines: readonly string[]): string {
  const bytes = encoder.encode(lines.map((line) => `${line}\n`).join(""));
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toBase64();
}
