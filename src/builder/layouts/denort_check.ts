/**
 * Checking that `DENORT_BIN` names a denort base binary for the target. `deno compile` takes
 * whatever file it is given and appends the program to it: the full `deno` binary "works", and
 * the bootstrap it makes opens the REPL instead of running the runtime; a binary for the other
 * architecture fails only on Lambda. Both are refused here, before anything is compiled.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { DenortMissingError } from "./denort.ts";
import type { Arch } from "./targets.ts";

/** ELF `e_machine` per architecture. */
const ELF_MACHINE: Readonly<Record<Arch, number>> = { x86_64: 62, arm64: 183 };

/**
 * Text only the full `deno` command line carries (the help of `deno run`); denort has no
 * subcommands and so no such help.
 */
const FULL_DENO_MARKER = "Run a JavaScript or TypeScript program";

/**
 * Checks a would-be denort binary.
 *
 * @example A file that is no executable
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkDenortBinary } from "./denort_check.ts";
 *
 * throws(
 *   () => checkDenortBinary("/x/denort", new TextEncoder().encode("#!/bin/sh\n"), "x86_64"),
 *   /not a Linux executable/,
 * );
 * ```
 *
 * @param path Its path, for messages.
 * @param data Its contents.
 * @param arch The target architecture.
 * @throws {DenortMissingError} If it is not a Linux ELF executable, is built for another
 * architecture, or is the full `deno` binary.
 */
export function checkDenortBinary(path: string, data: Uint8Array, arch: Arch): void {
  const elf = data.length > 20 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c &&
    data[3] === 0x46;
  if (!elf) {
    throw new DenortMissingError(
      `Cannot compile with DENORT_BIN=${path}: it is not a Linux executable. Point it at the ` +
        "denort binary unzipped from denort-<target>.zip of the same Deno release.",
    );
  }
  const machine = data[18]! | (data[19]! << 8);
  if (machine !== ELF_MACHINE[arch]) {
    const found = Object.entries(ELF_MACHINE).find(([, m]) => m === machine)?.[0] ??
      `ELF machine ${machine}`;
    throw new DenortMissingError(
      `Cannot compile for ${arch} with DENORT_BIN=${path}: it is built for ${found}. Use the ` +
        `denort for ${arch}, or build --arch ${found === "arm64" ? "arm64" : "x86_64"}.`,
    );
  }
  if (Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(FULL_DENO_MARKER)) {
    throw new DenortMissingError(
      `Cannot compile with DENORT_BIN=${path}: it is the full deno binary, not denort. A ` +
        "bootstrap built on it would open the REPL instead of running the function. Point " +
        "DENORT_BIN at the denort binary unzipped from denort-<target>.zip of the same Deno " +
        "release, or build --layout deno-run.",
    );
  }
}
