/**
 * The permissions the bootstrap runs with, and how they become Deno flags. The same set is
 * baked into a compiled binary and written into the `deno run` bootstrap script.
 *
 * @module
 */

/** What the runtime and its handlers may do. */
export interface Permissions {
  /** Paths it may read: its own code and assets, and `/tmp`. */
  readonly read: readonly string[];
  /** Paths it may write; on Lambda only `/tmp` is writable. */
  readonly write: readonly string[];
  /** `true` for any host, or the hosts it may reach. The runtime needs the Runtime API. */
  readonly net: true | readonly string[];
  /** `true` for every variable, or the names it may read. The runtime reads Lambda's. */
  readonly env: true | readonly string[];
  /** `false` for none, `true` for all, or the `Deno` system APIs it may call. */
  readonly sys: boolean | readonly string[];
}

/** Where Lambda unpacks a function's code. */
export const LAMBDA_TASK_ROOT = "/var/task";

/**
 * The default: its code (at `/var/task`) and `/tmp` readable, `/tmp` writable, any network
 * and all environment variables; no subprocesses, FFI or system information.
 */
export const DEFAULT_PERMISSIONS: Permissions = {
  read: [LAMBDA_TASK_ROOT, "/tmp"],
  write: ["/tmp"],
  net: true,
  env: true,
  sys: false,
};

/**
 * Turns permissions into `deno run` / `deno compile` flags.
 *
 * @example The default set
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { DEFAULT_PERMISSIONS, permissionFlags } from "./permissions.ts";
 *
 * deepEqual(permissionFlags(DEFAULT_PERMISSIONS), [
 *   "--allow-net",
 *   "--allow-env",
 *   "--allow-read=/var/task,/tmp",
 *   "--allow-write=/tmp",
 * ]);
 * ```
 *
 * @param permissions The permissions.
 * @returns The flags, one per permission granted, in a fixed order.
 * @throws {TypeError} If a path or name contains a comma (Deno's list separator) or is empty.
 */
export function permissionFlags(permissions: Permissions): string[] {
  const flags: string[] = [];
  const add = (flag: string, value: boolean | readonly string[]) => {
    if (value === true) flags.push(flag);
    else if (value !== false && value.length > 0) flags.push(`${flag}=${_list(flag, value)}`);
  };
  add("--allow-net", permissions.net);
  add("--allow-env", permissions.env);
  add("--allow-sys", permissions.sys);
  add("--allow-read", permissions.read);
  add("--allow-write", permissions.write);
  return flags;
}

function _list(flag: string, values: readonly string[]): string {
  for (const value of values) {
    if (value === "" || value.includes(",")) {
      throw new TypeError(
        `Cannot use ${flag}: "${value}" is empty or contains a comma, which Deno reads as a separator`,
      );
    }
  }
  return values.join(",");
}
