/**
 * `printf`-style formatting of `console.*` arguments, as Node's `util.format` does it, built on
 * `Deno.inspect`. The runtime formats every log line with it; importing `node:util` instead
 * would add its Node compatibility layer (15–20 ms) to every cold start.
 *
 * `Deno.inspect` shares its implementation with Deno's `node:util`; given Node's defaults
 * (depth 2, single quotes first, `compact: 3`, `breakLength: 80`) it writes what Node's
 * `util.inspect` writes, but for a symbol key (Node writes `[Symbol(k)]`) and an `ArrayBuffer`'s
 * `byteLength` (Node writes `[byteLength]`).
 *
 * @module
 */

/** Node's `util.inspect` defaults; `quotes` is an option Deno's inspect reads but does not type. */
const INSPECT = {
  depth: 2,
  colors: false,
  compact: 3,
  breakLength: 80,
  quotes: ["'", '"', "`"],
} as unknown as Deno.InspectOptions;

/**
 * Formats arguments the way `console.log` joins them: a leading string may hold `%s`, `%d`,
 * `%i`, `%f`, `%j`, `%o`, `%O`, `%c` and `%%`; the rest are appended, separated by spaces,
 * strings as they are and other values inspected.
 *
 * @param args What was passed to `console.*`.
 * @returns One string.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { format } from "./format.ts";
 *
 * equal(format("%s has %d items", "cart", 3, { more: true }), "cart has 3 items { more: true }");
 * ```
 */
export function format(...args: unknown[]): string {
  const first = args[0];
  let out: string;
  let next = 1;
  if (typeof first === "string") {
    if (args.length === 1) return first;
    out = "";
    let from = 0;
    for (
      let at = first.indexOf("%");
      at >= 0 && at + 1 < first.length;
      at = first.indexOf("%", from)
    ) {
      const directive = first[at + 1]!;
      if (directive === "%") {
        out += first.slice(from, at) + "%";
        from = at + 2;
        continue;
      }
      if (!"sdifjoOc".includes(directive) || next >= args.length) {
        out += first.slice(from, at + 1);
        from = at + 1;
        continue;
      }
      out += first.slice(from, at) + _directive(directive, args[next++]);
      from = at + 2;
    }
    out += first.slice(from);
  } else {
    out = _show(first);
  }
  for (; next < args.length; next++) out += ` ${_show(args[next])}`;
  return out;
}

function _directive(directive: string, value: unknown): string {
  switch (directive) {
    case "s":
      return typeof value === "string"
        ? value
        : typeof value === "bigint"
        ? `${value}n`
        : typeof value === "object" && value !== null
        ? Deno.inspect(value, { ...INSPECT, depth: 0 })
        : String(value);
    case "d":
      return typeof value === "bigint" ? `${value}n` : _number(Number(value));
    case "i":
      return typeof value === "bigint" ? `${value}n` : _number(parseInt(String(value), 10));
    case "f":
      return _number(parseFloat(String(value)));
    case "j":
      try {
        return JSON.stringify(value) ?? "undefined";
      } catch {
        return "[Circular]";
      }
    case "o":
      return Deno.inspect(value, { ...INSPECT, depth: 4, showHidden: true, showProxy: true });
    case "O":
      return Deno.inspect(value, INSPECT);
    default: // %c: CSS, which a log line has no use for
      return "";
  }
}

function _number(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

function _show(value: unknown): string {
  return typeof value === "string" ? value : Deno.inspect(value, INSPECT);
}
