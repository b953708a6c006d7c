/**
 * Handler modules bundled with the runtime. A build (`deno task build`) bundles the runtime and
 * the chosen handler modules into one file whose first module registers, under a global symbol,
 * a loader per handler module; the runtime then takes the handler from there instead of
 * importing a file, so nothing is read or transpiled at cold start. Run from source
 * (`deno run src/main.ts`), nothing is registered and handlers are imported from their files.
 *
 * @module
 */

/** One bundled handler module: its file name under `handlers/` and a loader. */
export interface BundledModule {
  /** The file name under `handlers/`, for messages: `echo.ts`. */
  readonly fileName: string;
  /** Evaluates the module (once) and gives its exports. */
  readonly load: () => Promise<Record<string, unknown>>;
}

/** Bundled handler modules by `_HANDLER` file part (`echo`). */
export type BundledHandlers = Readonly<Record<string, BundledModule>>;

const KEY = Symbol.for("lambdeno.bundledHandlers");

/**
 * Registers the bundled handler modules; called once, by the bundle's first module.
 *
 * @param modules The handler modules in the bundle.
 * @throws {TypeError} If modules are already registered.
 */
export function registerBundledHandlers(modules: BundledHandlers): void {
  const slot = globalThis as { [KEY]?: BundledHandlers };
  if (slot[KEY] !== undefined) {
    throw new TypeError("Cannot register the bundled handlers: they are registered already");
  }
  slot[KEY] = modules;
}

/**
 * The bundled handler modules, if this runtime was built with them.
 *
 * @returns The modules, or `undefined` when running from source.
 */
export function bundledHandlers(): BundledHandlers | undefined {
  return (globalThis as { [KEY]?: BundledHandlers })[KEY];
}
