/**
 * Running arm64 artifacts on an x86_64 machine: the arm64 `deno` of the layer runs under
 * `qemu-aarch64-static` (Debian's `qemu-user-static`), with Debian's arm64 C library (`libc6`,
 * `libgcc-s1`) unpacked as its `-L` root. The root is made once, with `apt-get download` and
 * `dpkg -x`, and kept under the temporary directory for later runs.
 *
 * Without qemu, or without apt knowing the arm64 packages, the arm64 tests are ignored with a line
 * saying what to install, unless the run requires them (`LAMBDENO_REQUIRE_TOOLS=1`).
 *
 * @module
 */

import { TOOLS_REQUIRED, which } from "../_tools.ts";

const QEMU = "qemu-aarch64-static";
const PACKAGES = ["libc6:arm64", "libgcc-s1:arm64"];
const INSTALL = "install Debian's qemu-user-static, and let apt fetch arm64 packages " +
  "(dpkg --add-architecture arm64 && apt-get update)";

/** Where the arm64 C library is kept between runs. */
const SYSROOT = `${Deno.env.get("TMPDIR") ?? "/tmp"}/lambdeno-arm64-sysroot`;

function _sysrootCached(): boolean {
  try {
    return Deno.statSync(`${SYSROOT}/lib/ld-linux-aarch64.so.1`).isFile;
  } catch {
    return false;
  }
}

function _aptHasArm64(): boolean {
  if (which("apt-get") === undefined || which("dpkg") === undefined) return false;
  const { success } = new Deno.Command("apt-cache", {
    args: ["show", ...PACKAGES],
    stdout: "null",
    stderr: "null",
  }).outputSync();
  return success;
}

function _missing(): string | undefined {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") return "not an x86_64 Linux";
  if (which(QEMU) === undefined) return `${QEMU} is not installed`;
  if (!_sysrootCached() && !_aptHasArm64()) return `apt cannot fetch ${PACKAGES.join(", ")}`;
  return undefined;
}

const missing = _missing();

/** Whether the arm64 tests run: everything is here, or the run requires them. */
export const ARM64_RUNS: boolean = missing === undefined || TOOLS_REQUIRED;

if (!ARM64_RUNS) console.log(`Skipping the arm64 artifacts: ${missing}; ${INSTALL}`);

/**
 * What runs the arm64 `deno`: qemu and the C library's root, made if need be.
 *
 * @returns The qemu binary and the `-L` root.
 * @throws {Error} "Cannot run arm64 artifacts …" saying what to install.
 */
export async function arm64Runner(): Promise<{ qemu: string; sysroot: string }> {
  if (missing !== undefined) throw new Error(`Cannot run arm64 artifacts: ${missing}; ${INSTALL}`);
  const qemu = which(QEMU)!;
  if (_sysrootCached()) return { qemu, sysroot: SYSROOT };
  const work = await Deno.makeTempDir({ prefix: "lambdeno-arm64-sysroot-" });
  try {
    const download = await new Deno.Command("apt-get", {
      args: ["download", ...PACKAGES],
      cwd: work,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!download.success) {
      throw new Error(
        `Cannot run arm64 artifacts: apt-get download ${PACKAGES.join(" ")} failed; ${INSTALL}:\n` +
          new TextDecoder().decode(download.stderr),
      );
    }
    for await (const entry of Deno.readDir(work)) {
      if (!entry.name.endsWith(".deb")) continue;
      const unpacked = await new Deno.Command("dpkg", {
        args: ["-x", `${work}/${entry.name}`, `${work}/root`],
      }).output();
      if (!unpacked.success) throw new Error(`Cannot unpack ${entry.name} with dpkg -x`);
    }
    // Another run may have made it meanwhile: either copy will do.
    await Deno.rename(`${work}/root`, SYSROOT).catch(() => {});
  } finally {
    await Deno.remove(work, { recursive: true });
  }
  return { qemu, sysroot: SYSROOT };
}

/**
 * Makes a stand-in for the layer's directory whose `bin/deno` runs the layer's own arm64 `deno`
 * under qemu, so that the artifact's unchanged `bootstrap` starts it.
 *
 * @param layer The unpacked arm64 layer (`bin/deno` inside).
 * @param dir Where to make the stand-in.
 * @returns The stand-in's directory, for `LAMBDENO_OPT_DIR`.
 */
export async function qemuOptDir(layer: string, dir: string): Promise<string> {
  const { qemu, sysroot } = await arm64Runner();
  await Deno.mkdir(`${dir}/bin`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/bin/deno`,
    `#!/bin/sh\nexec '${qemu}' -L '${sysroot}' '${layer}/bin/deno' "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}
