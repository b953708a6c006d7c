/**
 * The two Lambda architectures Lambdeno builds for, and what each is called by `deno compile`
 * and by the npm packages that carry Deno's Linux binaries.
 *
 * @module
 */

/** A Lambda architecture, spelt as Lambda spells it. */
export type Arch = "x86_64" | "arm64";

/** Both architectures, in the order builds and summaries list them. */
export const ARCHES: readonly Arch[] = ["x86_64", "arm64"];

/** The `deno compile --target` triple for each architecture. */
const TARGETS: Readonly<Record<Arch, string>> = {
  x86_64: "x86_64-unknown-linux-gnu",
  arm64: "aarch64-unknown-linux-gnu",
};

/** The npm package holding the Linux `deno` binary for each architecture. */
const DENO_PACKAGES: Readonly<Record<Arch, string>> = {
  x86_64: "@deno/linux-x64-glibc",
  arm64: "@deno/linux-arm64-glibc",
};

/**
 * Tells whether a string names an architecture.
 *
 * @param value Any string, e.g. from the command line.
 * @returns `true` for `x86_64` and `arm64`.
 */
export function isArch(value: string): value is Arch {
  return value === "x86_64" || value === "arm64";
}

/**
 * The target triple `deno compile --target` takes for an architecture.
 *
 * @example Target triples
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { denoTarget } from "./targets.ts";
 *
 * equal(denoTarget("arm64"), "aarch64-unknown-linux-gnu");
 * ```
 *
 * @param arch The Lambda architecture.
 * @returns The Rust target triple, e.g. `x86_64-unknown-linux-gnu`.
 */
export function denoTarget(arch: Arch): string {
  return TARGETS[arch];
}

/**
 * The npm package that carries the Linux `deno` binary for an architecture.
 *
 * @param arch The Lambda architecture.
 * @returns The package name, e.g. `@deno/linux-arm64-glibc`.
 */
export function denoPackage(arch: Arch): string {
  return DENO_PACKAGES[arch];
}
