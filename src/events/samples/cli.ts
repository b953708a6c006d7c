/**
 * `deno task event [<source> [--option value]…]`: prints a sample event (see `mod.ts`), or,
 * without a source, the list of sources and their options.
 *
 * @module
 */

import { SAMPLE_SOURCES, sampleEvent, type SampleOptions } from "./mod.ts";

/**
 * Runs the command.
 *
 * @param args The arguments after `deno task event`.
 * @param out Where the event or the list goes.
 * @returns The exit status.
 * @throws {TypeError} If the source or an option is unknown or lacks its value.
 */
export function main(args: readonly string[], out: (text: string) => void): number {
  const [source, ...rest] = args;
  if (source === undefined || source === "--help" || source === "-h") {
    out(_list());
    return 0;
  }
  out(`${JSON.stringify(sampleEvent(source, _options(source, rest)), null, 2)}\n`);
  return 0;
}

function _options(source: string, args: readonly string[]): SampleOptions {
  const options: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      throw new TypeError(`Cannot make a ${source} event: "${arg}" is not an --option`);
    }
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    const value = equals < 0 ? args[++i] : arg.slice(equals + 1);
    if (value === undefined) {
      throw new TypeError(`Cannot make a ${source} event: --${name} needs a value`);
    }
    (options[name] ??= []).push(value);
  }
  return options;
}

function _list(): string {
  const lines = ["Usage: deno task event <source> [--option value]…", "", "Sources:"];
  for (const [name, source] of Object.entries(SAMPLE_SOURCES)) {
    lines.push(`  ${name.padEnd(31)} ${source.description}`);
    for (const [option, help] of Object.entries(source.options)) {
      lines.push(`      --${option.padEnd(25)} ${help}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  try {
    Deno.exit(main(Deno.args, (text) => Deno.stdout.writeSync(new TextEncoder().encode(text))));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
