/**
 * The Linux `deno` binary for an architecture, taken from its npm package
 * (`@deno/linux-x64-glibc`, `@deno/linux-arm64-glibc`) at exactly the running Deno's version.
 * The registry is reachable where the Deno download host is not. Tarballs are checked against
 * the registry's integrity hash and cached, so a second build needs no network.
 *
 * @module
 */

import { readTarGzFile } from "../archives/tar.ts";
import { type Arch, denoPackage } from "./targets.ts";

/** Where to get the package and where to keep it. */
export interface DenoPackageOptions {
  /** The architecture. */
  readonly arch: Arch;
  /** The Deno version, e.g. `2.9.6`. */
  readonly version: string;
  /** The npm registry, e.g. `https://registry.npmjs.org/`. */
  readonly registry: string;
  /** A directory for downloaded tarballs, created if missing. */
  readonly cacheDir: string;
  /** The fetch to use. */
  readonly fetch?: typeof fetch;
}

/**
 * The Linux `deno` binary for an architecture, from the cache or the npm registry.
 *
 * @param options The architecture, version, registry and cache directory.
 * @returns The binary.
 * @throws {Error} "Cannot fetch the deno binary …" if the registry cannot be reached, the
 * version is not published, the tarball fails its integrity check or has no `package/deno`.
 */
export async function denoBinary(options: DenoPackageOptions): Promise<Uint8Array> {
  const name = denoPackage(options.arch);
  const cached = `${options.cacheDir}/${name.replace("/", "__")}-${options.version}.tgz`;
  let tgz: Uint8Array<ArrayBuffer>;
  try {
    tgz = await Deno.readFile(cached);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    tgz = await _download(name, options);
    await Deno.mkdir(options.cacheDir, { recursive: true });
    const partial = `${cached}.${crypto.randomUUID()}.partial`;
    await Deno.writeFile(partial, tgz);
    await Deno.rename(partial, cached);
  }
  const binary = await readTarGzFile(tgz, "package/deno");
  if (binary === undefined) {
    throw new Error(`Cannot fetch the deno binary: ${name}@${options.version} has no package/deno`);
  }
  return binary;
}

async function _download(
  name: string,
  options: DenoPackageOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const doFetch = options.fetch ?? fetch;
  const registry = options.registry.endsWith("/") ? options.registry : `${options.registry}/`;
  const what = `${name}@${options.version}`;
  const metaUrl = `${registry}${name.replace("/", "%2f")}/${options.version}`;
  let dist: { tarball: string; integrity: string };
  try {
    const response = await doFetch(metaUrl, { headers: { accept: "application/json" } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${metaUrl} answered ${response.status}`);
    }
    dist = _dist(await response.json());
  } catch (error) {
    throw new Error(`Cannot fetch the deno binary ${what}: ${_message(error)}`, { cause: error });
  }
  let tgz: Uint8Array<ArrayBuffer>;
  try {
    const response = await doFetch(dist.tarball);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${dist.tarball} answered ${response.status}`);
    }
    tgz = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`Cannot fetch the deno binary ${what}: ${_message(error)}`, { cause: error });
  }
  await _verify(tgz, dist.integrity, what);
  return tgz;
}

function _dist(meta: unknown): { tarball: string; integrity: string } {
  if (typeof meta === "object" && meta !== null && "dist" in meta) {
    const dist = meta.dist;
    if (
      typeof dist === "object" && dist !== null && "tarball" in dist && "integrity" in dist &&
      typeof dist.tarball === "string" && typeof dist.integrity === "string"
    ) {
      return { tarball: dist.tarball, integrity: dist.integrity };
    }
  }
  throw new Error("the registry's answer has no dist.tarball and dist.integrity");
}

async function _verify(
  data: Uint8Array<ArrayBuffer>,
  integrity: string,
  what: string,
): Promise<void> {
  const sri = integrity.split(/\s+/).find((part) => part.startsWith("sha512-"));
  if (sri === undefined) {
    throw new Error(`Cannot fetch the deno binary ${what}: no sha512 integrity (${integrity})`);
  }
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-512", data),
  );
  const actual = `sha512-${btoa(String.fromCharCode(...digest))}`;
  if (actual !== sri) {
    throw new Error(
      `Cannot fetch the deno binary ${what}: the tarball fails its integrity check ` +
        `(expected ${sri}, got ${actual})`,
    );
  }
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
