/**
 * Watching source directories so that a change restarts the runtimes: the next invocation
 * cold-starts with the new code.
 *
 * @module
 */

/** Options for {@linkcode watchSources}. */
export interface WatchOptions {
  /** Milliseconds of quiet before a burst of changes counts as one. Defaults to 100. */
  readonly debounceMs?: number;
  /** Stops watching. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `onChange` once per burst of file changes under `paths`.
 *
 * @param paths Directories or files to watch, recursively.
 * @param onChange Gets the paths that changed in the burst.
 * @param options The debounce, and a signal to stop.
 * @returns Resolves when watching stops.
 * @throws {Deno.errors.NotFound} (rejects) If a path does not exist.
 */
export async function watchSources(
  paths: readonly string[],
  onChange: (changed: string[]) => void,
  options: WatchOptions = {},
): Promise<void> {
  const watcher = Deno.watchFs([...paths], { recursive: true });
  const stop = () => watcher.close();
  options.signal?.addEventListener("abort", stop, { once: true });
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for await (const event of watcher) {
      if (event.kind === "access" || event.kind === "other") continue;
      for (const path of event.paths) changed.add(path);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const paths = [...changed];
        changed.clear();
        onChange(paths);
      }, options.debounceMs ?? 100);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", stop);
  }
}
