/**
 * The `deno task build` command line, parsed into build options. Pure: the caller passes the
 * arguments in and decides what to do with a mistake.
 *
 * @module
 */

import { type Arch, ARCHES, isArch } from "../layouts/targets.ts";

/**
 * How the function is packaged:
 * - `deno-run` (the default): the Linux `deno` binary, the code and its npm packages, and a
 *   shell `bootstrap` that runs `deno run` offline; `deno` goes in a layer shared by every
 *   function of an architecture unless `layer` is off;
 * - `compiled`: one `deno compile` binary as `bootstrap` (needs the denort base binary).
 */
export type Layout = "compiled" | "deno-run";

/** Everything a build needs to know from the command line. */
export interface BuildOptions {
  /** The packaging (see {@linkcode Layout}). */
  readonly layout: Layout;
  /** The architectures to build, in order. */
  readonly arches: readonly Arch[];
  /** Handler modules to ship (names without extension), or `undefined` for all. */
  readonly handlers: readonly string[] | undefined;
  /** Handler modules to share one artifact, by artifact name; the others get one each. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The output directory. */
  readonly outDir: string;
  /** `MemorySize` in the template, for functions that do not set their own. */
  readonly memorySize: number;
  /** `Timeout` (seconds) in the template, for functions that do not set their own. */
  readonly timeout: number;
  /** Type-check the functions before building them. */
  readonly check: boolean;
  /** `deno-run` only: `deno` in a Lambda layer and slim function zips (else in every zip). */
  readonly layer: boolean;
  /** Print the usage and stop. */
  readonly help: boolean;
}

/** The usage text for `--help`. */
export const USAGE = `Usage: deno task build [options]

Builds, for each architecture, dist/<arch>/layer.zip (the Linux deno, shared by every function)
and dist/<arch>/<module>/function.zip (with its bootstrap) for each handler module, carrying
only the runtime, that module and what it imports and declares; and dist/template.yaml (SAM),
which deploys them with the layer. Type-checks the functions first.

  --layout deno-run|compiled  deno-run (default): the code and a shell bootstrap that runs it
                              with the Linux deno from npm. compiled: one deno compile binary
                              per function; needs the denort base binary (DENORT_BIN, or cached).
  --no-layer                  deno-run: deno in each function.zip, no layer (self-contained)
  --arch x86_64|arm64|all     architectures to build (default: all; the template deploys arm64)
  --handlers a,b              handler modules to ship (default: every module in handlers/)
  --group NAME=a,b            modules a and b share one artifact, dist/<arch>/NAME/ (repeatable)
  --out DIR                   output directory (default: dist)
  --memory MB                 default MemorySize in the template (default: 256)
  --timeout SECONDS           default Timeout in the template (default: 10)
  --no-check                  skip the type check
  -h, --help                  show this text
`;

const VALUED = new Set(["--layout", "--arch", "--handlers", "--out", "--memory", "--timeout"]);

/**
 * Parses the build's command line.
 *
 * @example One architecture, the deno-run layout
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { parseBuildArgs } from "./args.ts";
 *
 * const options = parseBuildArgs(["--layout", "deno-run", "--arch=arm64"]);
 * equal(options.layout, "deno-run");
 * deepEqual(options.arches, ["arm64"]);
 * ```
 *
 * @param args The arguments after the script name.
 * @returns The options, defaults filled in.
 * @throws {TypeError} For an unknown flag, a missing or malformed value, or `--layer` or
 * `--no-layer` with `--layout compiled`.
 */
export function parseBuildArgs(args: readonly string[]): BuildOptions {
  const values = new Map<string, string>();
  const groups: Record<string, readonly string[]> = {};
  let check = true;
  let layer: boolean | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    if (name === "-h" || name === "--help") help = true;
    else if (name === "--check") check = _flag(name, inline);
    else if (name === "--no-check") check = !_flag(name, inline);
    else if (name === "--layer") layer = _flag(name, inline);
    else if (name === "--no-layer") layer = !_flag(name, inline);
    else if (/^--(allow|deny)-/.test(name) || name === "-A") {
      throw new TypeError(
        `Cannot parse the arguments: ${name} is not a build option; functions may do ` +
          "everything, as on Node.js, unless their config narrows it (permissions)",
      );
    } else if (name === "--group") {
      const [group, members] = _group(inline ?? args[++i]);
      if (group in groups || Object.values(groups).flat().some((m) => members.includes(m))) {
        throw new TypeError(
          `Cannot parse the arguments: --group ${group} repeats a group or a module`,
        );
      }
      groups[group] = members;
    } else if (VALUED.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") {
        throw new TypeError(`Cannot parse the arguments: ${name} needs a value`);
      }
      values.set(name, value);
    } else {
      throw new TypeError(`Cannot parse the arguments: unknown option "${arg}" (see --help)`);
    }
  }
  const layout = values.get("--layout") ?? "deno-run";
  if (layout !== "compiled" && layout !== "deno-run") {
    throw new TypeError(
      `Cannot parse the arguments: --layout must be compiled or deno-run, got "${layout}"`,
    );
  }
  if (layer !== undefined && layout !== "deno-run") {
    throw new TypeError(
      "Cannot parse the arguments: --layer and --no-layer only apply to --layout deno-run " +
        "(a compiled bootstrap has no separate deno binary to put in a layer)",
    );
  }
  const handlers = values.get("--handlers")?.split(",").map((h) => h.trim()).filter((h) => h);
  return {
    layout,
    arches: _arches(values.get("--arch") ?? "all"),
    handlers: handlers === undefined || handlers.length === 0 ? undefined : handlers,
    groups,
    outDir: values.get("--out") ?? "dist",
    memorySize: _integer("--memory", values.get("--memory"), 256, 128, 10240),
    timeout: _integer("--timeout", values.get("--timeout"), 10, 1, 900),
    check,
    layer: layout === "deno-run" && layer !== false,
    help,
  };
}

function _group(value: string | undefined): [string, string[]] {
  const eq = value?.indexOf("=") ?? -1;
  const name = value?.slice(0, eq) ?? "";
  const members = value?.slice(eq + 1).split(",").map((m) => m.trim()).filter((m) => m) ?? [];
  if (eq < 1 || !/^[A-Za-z0-9_-]+$/.test(name) || members.length === 0) {
    throw new TypeError(
      `Cannot parse the arguments: --group needs NAME=module,module (letters, digits, - and _ ` +
        `in NAME), got "${value ?? ""}"`,
    );
  }
  return [name, members];
}

function _flag(name: string, inline: string | undefined): boolean {
  if (inline === undefined || inline === "true") return true;
  if (inline === "false") return false;
  throw new TypeError(`Cannot parse the arguments: ${name} takes no value, got "${inline}"`);
}

function _arches(value: string): Arch[] {
  if (value === "all") return [...ARCHES];
  if (isArch(value)) return [value];
  throw new TypeError(
    `Cannot parse the arguments: --arch must be x86_64, arm64 or all, got "${value}"`,
  );
}

function _integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new TypeError(
      `Cannot parse the arguments: ${name} must be an integer from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}
