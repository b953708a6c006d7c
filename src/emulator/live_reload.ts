/**
 * Live changes for `deno task dev`: when a watched file changes (a handler module, its `config`,
 * the runtime's source, or a new build of the artifact being served), every function's runtime
 * restarts on its next invocation, the functions' settings are read again, and functions added
 * or removed are served or dropped, all without restarting the emulator.
 *
 * @module
 */

import type { Emulator } from "./emulator.ts";
import type { FunctionSettings } from "./front/function_configs.ts";
import type { FunctionSource } from "./function_sources.ts";
import { watchSources } from "./sandbox/watch.ts";

/** Options for {@linkcode reloadOnChange}. */
export interface LiveReloadOptions {
  /** The settings the emulator started with. */
  readonly settings: ReadonlyMap<string, FunctionSettings>;
  /** Where to say what changed. */
  readonly log: (line: string) => void;
  /** Shows a path as the user knows it (relative to the project, say). */
  readonly shown?: (path: string) => string;
  /** Milliseconds of quiet before a burst of changes counts as one. Defaults to 100. */
  readonly debounceMs?: number;
  /** Stops watching. */
  readonly signal?: AbortSignal;
}

/**
 * Restarts the emulator's functions, with their settings read again, whenever the source's
 * files change. Says what changed: the files, each function whose settings changed, each
 * function added or gone; a source that cannot be read (a malformed `config`) is said too, and
 * the functions keep their previous settings.
 *
 * @param emulator The running emulator.
 * @param source What to watch and how to read the functions.
 * @param options The starting settings, the log, and a signal to stop.
 * @returns Resolves when watching stops.
 * @throws {Deno.errors.NotFound} (rejects) If a watched path does not exist.
 */
export function reloadOnChange(
  emulator: Emulator,
  source: FunctionSource,
  options: LiveReloadOptions,
): Promise<void> {
  const { log } = options;
  const shown = options.shown ?? ((path: string) => path);
  let settings = options.settings;
  // One reload at a time, in the order the changes came.
  let reloading = Promise.resolve();
  const reload = async (paths: readonly string[]) => {
    log(
      `[watch] ${paths.map(shown).join(", ")} changed: functions restart on their next invocation`,
    );
    const before = new Set(emulator.functions.map((fn) => fn.name));
    // The code applies at once; new settings once read.
    await emulator.restart();
    let read: Awaited<ReturnType<FunctionSource["read"]>>;
    try {
      read = await source.read();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return log(`[watch] ${message} (the functions keep their previous config)`);
    }
    const changed = [...new Set([...settings.keys(), ...read.settings.keys()])]
      .filter((handler) => !_same(settings.get(handler), read.settings.get(handler)));
    settings = read.settings;
    if (changed.length > 0 || read.functions !== undefined) {
      await emulator.restart(read.settings, read.functions);
    }
    for (const handler of changed) {
      log(`[watch] ${handler}'s config changed: it applies from the next invocation`);
    }
    const after = new Set(emulator.functions.map((fn) => fn.name));
    for (const name of after) {
      if (!before.has(name)) log(`[watch] new function: ${name}  ${emulator.url}${name}/`);
    }
    for (const name of before) {
      if (!after.has(name)) log(`[watch] ${name} is no longer served`);
    }
  };
  return watchSources(source.paths, (paths) => {
    reloading = reloading.then(() => reload(paths)).catch((error) =>
      log(`[watch] Cannot reload the functions: ${error instanceof Error ? error.message : error}`)
    );
  }, {
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

function _same(a: FunctionSettings | undefined, b: FunctionSettings | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
