/**
 * `LogType: Tail` for the Invoke API: the end of one invocation's log — its `START` line, what
 * the function printed, `END` and `REPORT` — as Lambda returns it in `X-Amz-Log-Result`: the
 * last 4 KB, base64-encoded.
 *
 * The emulator feeds every function log line through {@linkcode LogTails.feed}; a capture keeps
 * the lines of its function from its `START` to its `REPORT`. With one invocation at a time per
 * function (Lambda's classic mode) those are exactly the invocation's lines; in Managed Instances
 * mode they include whatever the function's other invocations print meanwhile.
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
  readonly start: string;
  readonly report: string;
  readonly lines: string[];
  started: boolean;
  ended: boolean;
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
 * tails.feed("[echo] START RequestId: r1 Version: $LATEST");
 * tails.feed("[other] hello from elsewhere");
 * tails.feed("[echo] hi");
 * tails.feed("[echo] END RequestId: r1");
 * tails.feed("[echo] REPORT RequestId: r1\tDuration: 1.00 ms");
 * equal(
 *   atob(capture.finish()),
 *   "START RequestId: r1 Version: $LATEST\nhi\nEND RequestId: r1\n" +
 *     "REPORT RequestId: r1\tDuration: 1.00 ms\n",
 * );
 * ```
 */
export class LogTails {
  readonly #taps = new Set<_Tap>();

  /**
   * Starts collecting one invocation's lines.
   *
   * @param functionName The function, as its log lines are prefixed (`[name] `).
   * @param requestId The invocation's request id.
   * @returns The capture; call `finish()` once the invocation has been answered.
   */
  capture(functionName: string, requestId: string): LogCapture {
    const tap: _Tap = {
      prefix: `[${functionName}] `,
      start: `START RequestId: ${requestId} `,
      report: `REPORT RequestId: ${requestId}`,
      lines: [],
      started: false,
      ended: false,
    };
    this.#taps.add(tap);
    return {
      finish: () => {
        this.#taps.delete(tap);
        return tailResult(tap.lines);
      },
    };
  }

  /**
   * Sees one log line of the emulator's functions.
   *
   * @param line The line, prefixed with `[name] `.
   */
  feed(line: string): void {
    if (this.#taps.size === 0) return;
    for (const tap of this.#taps) {
      if (tap.ended || !line.startsWith(tap.prefix)) continue;
      const text = line.slice(tap.prefix.length);
      if (!tap.started) {
        if (!text.startsWith(tap.start)) continue;
        tap.started = true;
      }
      tap.lines.push(text);
      if (text.startsWith(tap.report)) tap.ended = true;
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
