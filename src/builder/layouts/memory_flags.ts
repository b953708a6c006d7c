/**
 * V8's heap sized to the function's memory, as Lambda's Node.js runtime does in its bootstrap:
 * a semi-space of a twentieth of the memory (a young generation of a tenth) and an old space
 * of the rest. V8's defaults know nothing of the function's memory, so a 128 MB function would
 * otherwise grow its heap towards the limit before collecting.
 *
 * @module
 */

/**
 * The V8 flags for a function's memory size.
 *
 * @example 128 MB
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { v8MemoryFlags } from "./memory_flags.ts";
 *
 * deepEqual(v8MemoryFlags(128), ["--max-semi-space-size=6", "--max-old-space-size=116"]);
 * ```
 *
 * @param memoryMb The function's memory in MB (Lambda: 128–10240).
 * @returns `--max-semi-space-size` and `--max-old-space-size`, in MB.
 * @throws {RangeError} If `memoryMb` is not a positive integer.
 */
export function v8MemoryFlags(memoryMb: number): string[] {
  if (!Number.isInteger(memoryMb) || memoryMb < 1) {
    throw new RangeError(
      `Cannot size the heap: memory must be a positive integer, got ${memoryMb}`,
    );
  }
  const newSpace = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/**
 * The memory a compiled artifact's heap is sized for: its heap is fixed at build time, so it
 * fits the smallest of the functions it serves.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { compiledHeapMemory } from "./memory_flags.ts";
 *
 * equal(compiledHeapMemory([512, undefined], 1024), 512);
 * ```
 *
 * @param sizes Each function's own memory size, `undefined` where it sets none.
 * @param fallback The build's default memory size.
 * @returns The smallest size, counting `fallback` for a function that sets none; `fallback`
 *   when there are no functions (a module that exports none still makes an artifact).
 */
export function compiledHeapMemory(
  sizes: readonly (number | undefined)[],
  fallback: number,
): number {
  return sizes.length === 0 ? fallback : Math.min(...sizes.map((size) => size ?? fallback));
}

/**
 * The same computation in POSIX `sh`, for the deno-run bootstrap: sets the positional
 * parameters to one `--v8-flags=…` argument when `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` is a positive
 * decimal of at most seven digits, and to nothing otherwise.
 */
export const V8_FLAGS_SH = `set --
# sh reads a leading 0 as octal (and stops the script on 08), and too many digits overflow.
case "\${AWS_LAMBDA_FUNCTION_MEMORY_SIZE:-}" in
  '' | *[!0-9]* | 0* | ????????*) ;;
  *)
    NEW_SPACE=$((AWS_LAMBDA_FUNCTION_MEMORY_SIZE / 10))
    set -- "--v8-flags=--max-semi-space-size=$((NEW_SPACE / 2)),--max-old-space-size=$((AWS_LAMBDA_FUNCTION_MEMORY_SIZE - NEW_SPACE))"
    ;;
esac`;
