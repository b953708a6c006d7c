/**
 * The values of the emulator's command-line flags, checked: each mistake is a
 * {@linkcode UsageError} naming the flag and what it takes.
 *
 * @module
 */

/** A command line the emulator cannot act on; the usage text follows its message. */
export class UsageError extends Error {
  /** Always `"UsageError"`. */
  override name = "UsageError";
}

/**
 * @param path A path as given.
 * @param cwd The directory it is relative to.
 * @returns The path, absolute.
 */
export function absolute(path: string, cwd: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`.replace(/\/\.?\/?$/, "");
}

/**
 * @param flag The flag, for the message.
 * @param value Its value.
 * @returns The value, a positive number.
 * @throws {UsageError} If it is not one.
 */
export function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new UsageError(`Cannot use ${flag} ${value}: it must be a positive number`);
  }
  return n;
}

/**
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { count } from "./cli_args.ts";
 *
 * equal(count("--max-environments", "4"), 4);
 * throws(() => count("--max-environments", "1e3"), /whole number/);
 * ```
 *
 * @param flag The flag, for the message.
 * @param value Its value.
 * @returns The value, a whole number of 1 or more, written in decimal digits.
 * @throws {UsageError} If it is not one.
 */
export function count(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) {
    throw new UsageError(`Cannot use ${flag} ${value}: it must be a whole number, 1 or more`);
  }
  return n;
}

/**
 * @param value The port as given.
 * @returns The port.
 * @throws {UsageError} If it is not one.
 */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`Cannot use port ${value}: it must be an integer from 0 to 65535`);
  }
  return n;
}

/**
 * Reads `KEY=VALUE` lines (`export` and quotes allowed), as `--env-file` takes them.
 *
 * @param text The file's text.
 * @returns The variables.
 */
export function envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) continue;
    const value = match[2]!;
    env[match[1]!] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}
