/**
 * A runtime process's output cut into log lines, as Lambda cuts it into CloudWatch events: one
 * per `\n`, and a line longer than Lambda's limit of 256 KB split into events of at most that.
 * Works on bytes, through a buffer that never holds more than one event, so output without a
 * newline (a 40 MB JSON dump) costs the emulator neither memory nor time beyond its size.
 *
 * @module
 */

/** Lambda's largest log event, in bytes: longer lines are split. */
export const MAX_LOG_LINE_BYTES = 256 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder();

/**
 * Splits a byte stream into lines of at most `maxBytes` bytes, never cutting a UTF-8 character.
 *
 * @example A line over the limit becomes two
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { LineSplitter } from "./log_lines.ts";
 *
 * const lines: string[] = [];
 * const splitter = new LineSplitter((line) => lines.push(line), 4);
 * splitter.push(new TextEncoder().encode("abcdef\r\nxy"));
 * splitter.end();
 * deepEqual(lines, ["abcd", "ef", "xy"]);
 * ```
 */
export class LineSplitter {
  readonly #emit: (line: string) => void;
  readonly #max: number;
  #buffer: Uint8Array;
  #length = 0;

  /**
   * @param emit Gets each line, without its `\n` (nor a `\r` before it).
   * @param maxBytes The longest line, in bytes; at least 4, so any character fits.
   * @throws {RangeError} If `maxBytes` is under 4.
   */
  constructor(emit: (line: string) => void, maxBytes: number = MAX_LOG_LINE_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 4) {
      throw new RangeError(`Cannot split log lines at ${maxBytes} bytes: it must be at least 4`);
    }
    this.#emit = emit;
    this.#max = maxBytes;
    this.#buffer = new Uint8Array(Math.min(maxBytes, 8 * 1024));
  }

  /** Bytes the splitter has allocated for an unfinished line: never more than `maxBytes`. */
  get capacity(): number {
    return this.#buffer.length;
  }

  /**
   * Takes more output, emitting each line it completes.
   *
   * @param chunk The bytes.
   */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      const end = newline < 0 ? chunk.length : newline;
      this.#append(chunk, start, end);
      if (newline < 0) return;
      this.#flush(true);
      start = newline + 1;
    }
  }

  /** Emits what is left of an unfinished last line, once the output has ended. */
  end(): void {
    if (this.#length > 0) this.#flush(true);
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    while (start < end) {
      if (this.#length === this.#max) this.#flush(false);
      const room = this.#max - this.#length;
      const take = Math.min(room, end - start);
      this.#reserve(this.#length + take);
      this.#buffer.set(chunk.subarray(start, start + take), this.#length);
      this.#length += take;
      start += take;
    }
  }

  #reserve(size: number): void {
    if (size <= this.#buffer.length) return;
    let capacity = this.#buffer.length;
    while (capacity < size) capacity *= 2;
    const grown = new Uint8Array(Math.min(capacity, this.#max));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  /** Emits the buffer: the whole line at its end, else the part that ends on a character. */
  #flush(lineEnd: boolean): void {
    let cut = this.#length;
    if (!lineEnd) cut = _characterBoundary(this.#buffer, this.#length);
    let last = cut;
    if (lineEnd && last > 0 && this.#buffer[last - 1] === CR) last--;
    this.#emit(decoder.decode(this.#buffer.subarray(0, last)));
    // A character cut at the limit starts the next part (at most 3 bytes).
    this.#buffer.copyWithin(0, cut, this.#length);
    this.#length -= cut;
  }
}

/** @returns Where a full buffer can be cut without splitting a UTF-8 character. */
function _characterBoundary(bytes: Uint8Array, length: number): number {
  let lead = length - 1;
  // Back over continuation bytes (10xxxxxx) to the character's first byte.
  while (lead > 0 && length - lead < 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  const first = bytes[lead]!;
  const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + size > length ? lead : length;
}
