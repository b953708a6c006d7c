/**
 * The permissions the bootstrap runs with, and how they become Deno flags. The same set is
 * baked into a compiled binary and written into the `deno run` bootstrap script.
 *
 * By default a function may do everything (`--allow-all`), as on Lambda's Node.js runtime: Node
 * has no permission model, so the npm packages Lambda functions use take the operating system
 * for granted (the AWS SDK reads the user id and the OS release while it builds its credential
 * chain and user agent, native addons load through FFI, some tools run a binary), and Lambda's
 * own sandbox (a read-only code directory, the execution role) is the security boundary. A
 * function narrows its set in its `config` (`permissions`, see `FunctionPermissions`); what the
 * runtime itself needs stays granted.
 *
 * @module
 */

import type { FunctionPermissions, PermissionGrant } from "../../handler_config.ts";

export type { FunctionPermissions, PermissionGrant } from "../../handler_config.ts";

/** What the runtime and its handlers may do, kind by kind. */
export interface Permissions {
  /** Paths it may read. */
  readonly read: PermissionGrant;
  /** Paths it may write; on Lambda only `/tmp` is writable anyway. */
  readonly write: PermissionGrant;
  /** Hosts it may reach. */
  readonly net: PermissionGrant;
  /** Environment variables it may read and set. */
  readonly env: PermissionGrant;
  /** The system information it may read (`Deno.osRelease()`, `process.geteuid()`…). */
  readonly sys: PermissionGrant;
  /** Programs it may run. */
  readonly run: PermissionGrant;
  /** Native libraries it may load. */
  readonly ffi: PermissionGrant;
}

/** Where Lambda unpacks a function's code. */
export const LAMBDA_TASK_ROOT = "/var/task";

/** Where the Runtime API listens in a Lambda sandbox (`127.0.0.1:9001`). */
export const RUNTIME_API_HOST = "127.0.0.1";

/** Everything, as Node.js allows: the default. */
export const DEFAULT_PERMISSIONS: Permissions = {
  read: true,
  write: true,
  net: true,
  env: true,
  sys: true,
  run: true,
  ffi: true,
};

/** The kinds a function's `permissions` may narrow. */
const NARROWABLE = ["read", "write", "net", "sys", "run", "ffi"] as const;

/** The system information Deno can grant by name (`--allow-sys=…`). */
const SYS_NAMES = [
  "hostname",
  "osRelease",
  "osUptime",
  "loadavg",
  "networkInterfaces",
  "systemMemoryInfo",
  "uid",
  "gid",
  "cpus",
  "homedir",
  "getegid",
  "username",
  "statfs",
  "getPriority",
  "setPriority",
  "userInfo",
] as const;

/**
 * Checks a function's `permissions` as written in its `config`.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkPermissions } from "./permissions.ts";
 *
 * checkPermissions("geo.handler", { net: ["s3.eu-west-1.amazonaws.com"], sys: ["uid"] });
 * throws(() => checkPermissions("geo.handler", { env: false }), /env is always granted/);
 * ```
 *
 * @param name The function, for messages: `geo.handler`.
 * @param value The field's value.
 * @returns The permissions, checked.
 * @throws {TypeError} Naming the function and the kind that is wrong: an unknown kind, a value
 * that is neither `true`, `false` nor a list of names, a name Deno would split or not know.
 */
export function checkPermissions(name: string, value: unknown): FunctionPermissions {
  const fail = (detail: string): never => {
    throw new TypeError(`Cannot deploy ${name}: permissions ${detail}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail('must be an object such as { net: ["example.com"], sys: ["uid"] }');
  }
  const checked: Record<string, PermissionGrant> = {};
  for (const [kind, grant] of Object.entries(value)) {
    if (kind === "env") {
      fail("env is always granted: the runtime reads Lambda's variables");
    }
    if (!(NARROWABLE as readonly string[]).includes(kind)) {
      fail(`has an unknown kind "${kind}" (known: ${NARROWABLE.join(", ")})`);
    }
    if (typeof grant === "boolean") {
      checked[kind] = grant;
      continue;
    }
    if (!Array.isArray(grant) || !grant.every((item) => typeof item === "string")) {
      fail(`${kind} must be true, false or a list of strings`);
    }
    for (const item of grant as string[]) {
      if (item === "" || item.includes(",") || /[\0\n\r]/.test(item)) {
        fail(`${kind} has "${item}": empty, or with a comma or a line break Deno cannot take`);
      }
      if (kind === "sys" && !(SYS_NAMES as readonly string[]).includes(item)) {
        fail(`sys has "${item}", which Deno does not know (known: ${SYS_NAMES.join(", ")})`);
      }
    }
    checked[kind] = [...grant as string[]];
  }
  return checked;
}

/**
 * The permissions a function runs with: everything, or what its `permissions` grant plus what
 * the runtime needs (every environment variable, its own code, the Runtime API). A kind its
 * `permissions` leave out is not granted.
 *
 * @example Narrowed to one host and the user id
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { functionPermissions } from "./permissions.ts";
 *
 * deepEqual(functionPermissions({ net: ["example.com"], sys: ["uid"] }), {
 *   read: ["/var/task"],
 *   write: false,
 *   net: ["example.com", "127.0.0.1"],
 *   env: true,
 *   sys: ["uid"],
 *   run: false,
 *   ffi: false,
 * });
 * ```
 *
 * @param declared The function's `permissions`, checked, or `undefined`.
 * @returns The full set.
 */
export function functionPermissions(declared: FunctionPermissions | undefined): Permissions {
  if (declared === undefined) return DEFAULT_PERMISSIONS;
  const plus = (grant: PermissionGrant | undefined, needed: string): PermissionGrant =>
    grant === true ? true : [...(grant === undefined || grant === false ? [] : grant), needed];
  return {
    read: plus(declared.read, LAMBDA_TASK_ROOT),
    write: declared.write ?? false,
    net: plus(declared.net, RUNTIME_API_HOST),
    env: true,
    sys: declared.sys ?? false,
    run: declared.run ?? false,
    ffi: declared.ffi ?? false,
  };
}

/**
 * The one set an artifact's bootstrap runs with: its functions must agree, since they share the
 * bootstrap.
 *
 * @param artifact The artifact's name, for messages.
 * @param functions Its functions: `file.export` and their declared `permissions`.
 * @returns The set.
 * @throws {TypeError} If two functions of the artifact declare different permissions.
 */
export function artifactPermissions(
  artifact: string,
  functions: readonly { readonly name: string; readonly permissions?: FunctionPermissions }[],
): Permissions {
  const first = functions[0];
  const set = functionPermissions(first?.permissions);
  for (const fn of functions.slice(1)) {
    if (JSON.stringify(functionPermissions(fn.permissions)) !== JSON.stringify(set)) {
      throw new TypeError(
        `Cannot build ${artifact}: ${first!.name} and ${fn.name} declare different permissions, ` +
          "but share one bootstrap; give them the same permissions, or build them apart",
      );
    }
  }
  return set;
}

/**
 * Turns permissions into `deno run` / `deno compile` flags: `--allow-all` for everything,
 * otherwise one flag per kind granted.
 *
 * @example The default set, and a narrowed one
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { DEFAULT_PERMISSIONS, functionPermissions, permissionFlags } from "./permissions.ts";
 *
 * deepEqual(permissionFlags(DEFAULT_PERMISSIONS), ["--allow-all"]);
 * deepEqual(permissionFlags(functionPermissions({ sys: true, write: ["/tmp"] })), [
 *   "--allow-net=127.0.0.1",
 *   "--allow-env",
 *   "--allow-sys",
 *   "--allow-read=/var/task",
 *   "--allow-write=/tmp",
 * ]);
 * ```
 *
 * @param permissions The permissions.
 * @returns The flags, in a fixed order.
 * @throws {TypeError} If a path or name contains a comma (Deno's list separator) or is empty.
 */
export function permissionFlags(permissions: Permissions): string[] {
  const kinds = ["net", "env", "sys", "run", "ffi", "read", "write"] as const;
  if (kinds.every((kind) => permissions[kind] === true)) return ["--allow-all"];
  const flags: string[] = [];
  for (const kind of kinds) {
    const value = permissions[kind];
    const flag = `--allow-${kind}`;
    if (value === true) flags.push(flag);
    else if (value !== false && value.length > 0) flags.push(`${flag}=${_list(flag, value)}`);
  }
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
