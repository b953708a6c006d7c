/**
 * Finding the denort base binary `deno compile` builds on, before any compiling starts: from
 * `DENORT_BIN`, from Deno's download cache, or — if the Deno download host answers — by
 * letting `deno compile` fetch it. When none works the build stops at once with one message
 * that says what is missing, why, and both ways out.
 *
 * @module
 */

import { type Arch, denoTarget } from "./targets.ts";

/** Where `deno compile` will get denort for one target. */
export type DenortSource =
  | { readonly kind: "env"; readonly path: string }
  | { readonly kind: "cached"; readonly path: string }
  | { readonly kind: "download"; readonly url: string };

/** What {@linkcode locateDenort} needs to know and may do. */
export interface LocateDenortOptions {
  /** The architectures to compile for. */
  readonly arches: readonly Arch[];
  /** The running Deno's version (`Deno.version.deno`): denort must match it exactly. */
  readonly version: string;
  /** `DENORT_BIN`, if set. */
  readonly denortBin: string | undefined;
  /** Deno's cache directory (`deno info --json` → `denoDir`). */
  readonly denoDir: string;
  /** Tells whether a file exists. */
  readonly exists: (path: string) => Promise<boolean>;
  /** Tells, quickly, whether a URL can be downloaded (a short `HEAD`). */
  readonly reachable: (url: string) => Promise<boolean>;
}

/** The build cannot get a denort binary; the message says what to do. */
export class DenortMissingError extends Error {
  /**
   * @param message The whole explanation.
   */
  constructor(message: string) {
    super(message);
    this.name = "DenortMissingError";
  }
}

/**
 * Where `deno compile` caches denort: `$DENO_DIR/dl/release/v<version>/denort-<target>.zip`.
 *
 * @param denoDir Deno's cache directory.
 * @param version The Deno version.
 * @param arch The architecture.
 * @returns The path of the cached zip.
 */
export function denortCachePath(denoDir: string, version: string, arch: Arch): string {
  return `${denoDir}/dl/release/v${version}/denort-${denoTarget(arch)}.zip`;
}

/**
 * Where `deno compile` downloads denort from.
 *
 * @param version The Deno version.
 * @param arch The architecture.
 * @returns The URL of `denort-<target>.zip` on the Deno download host.
 */
export function denortDownloadUrl(version: string, arch: Arch): string {
  return `https://dl.deno.land/release/v${version}/denort-${denoTarget(arch)}.zip`;
}

/**
 * Finds denort for every architecture, or explains why it cannot.
 *
 * `DENORT_BIN` names one binary for one target, so with it only one architecture can be built.
 *
 * @param options The architectures, the Deno version and where to look.
 * @returns One source per architecture, in order.
 * @throws {DenortMissingError} If `DENORT_BIN` names no file or is set for two architectures,
 * or denort is neither cached nor downloadable for some architecture.
 */
export async function locateDenort(options: LocateDenortOptions): Promise<DenortSource[]> {
  const { arches, version, denortBin, denoDir } = options;
  if (denortBin !== undefined && denortBin !== "") {
    if (!(await options.exists(denortBin))) {
      throw new DenortMissingError(
        `Cannot compile: DENORT_BIN is set to ${denortBin}, but there is no file there. ` +
          `Point it at the denort binary unzipped from denort-<target>.zip of Deno v${version}.`,
      );
    }
    if (arches.length !== 1) {
      throw new DenortMissingError(
        `Cannot compile for ${arches.join(" and ")} with DENORT_BIN: it names one denort ` +
          "binary, for one target. Build one architecture at a time (--arch x86_64 or " +
          "--arch arm64), each with its own DENORT_BIN.",
      );
    }
    return [{ kind: "env", path: denortBin }];
  }
  const sources: DenortSource[] = [];
  const missing: Arch[] = [];
  for (const arch of arches) {
    const cached = denortCachePath(denoDir, version, arch);
    const url = denortDownloadUrl(version, arch);
    if (await options.exists(cached)) sources.push({ kind: "cached", path: cached });
    else if (await options.reachable(url)) sources.push({ kind: "download", url });
    else missing.push(arch);
  }
  if (missing.length > 0) {
    throw new DenortMissingError(denortMissingMessage(missing, version, denoDir));
  }
  return sources;
}

/**
 * The explanation given when denort cannot be had.
 *
 * @param arches The architectures without denort.
 * @param version The Deno version.
 * @param denoDir Deno's cache directory.
 * @returns A message naming what is missing, why, and both ways out.
 */
export function denortMissingMessage(
  arches: readonly Arch[],
  version: string,
  denoDir: string,
): string {
  const first = arches[0] ?? "x86_64";
  const zips = arches.map((arch) => `denort-${denoTarget(arch)}.zip`).join(" and ");
  return [
    `Cannot compile for ${arches.join(" and ")}: the denort base binary (${zips}) is missing.`,
    `deno compile builds on denort, which it downloads from ${
      denortDownloadUrl(version, first).replace(/denort-.*$/, "")
    }, and that host cannot be reached from here; it is not cached in ` +
    `${denoDir}/dl/release/v${version}/ either.`,
    "Two ways out:",
    `  1. Get ${zips} from the Deno v${version} release ` +
    `(https://github.com/denoland/deno/releases/tag/v${version}) on a machine that can, ` +
    `unzip it, and run: DENORT_BIN=/path/to/denort deno task build --arch ${first}` +
    ` (or put the zip itself in ${denoDir}/dl/release/v${version}/ to build both).`,
    "  2. Build the layout that needs no denort: deno task build --layout deno-run " +
    "(the Linux deno binary from npm, the code and a shell bootstrap).",
  ].join("\n");
}
