/**
 * The runtime as its own internal extension. Lambda sends SIGTERM at shutdown only when an
 * extension is registered, so the bootstrap registers one, for no events, before its first
 * `/next` (registration is only open during init).
 *
 * AWS's Extensions API documentation says init completes once the runtime and every registered
 * extension have called their `next`; so the extension also holds one
 * `GET /2020-01-01/extension/event/next` open, which for an extension registered for no events
 * never returns until the environment ends. It is one idle connection, off the hot path.
 *
 * @module
 */

/** The name the runtime registers under (`Lambda-Extension-Name`). */
export const EXTENSION_NAME = "lambdeno";

const PREFIX = "/2020-01-01/extension";

/** A registered extension. */
export interface RegisteredExtension {
  /** `Lambda-Extension-Identifier`, sent back with every Extensions API call. */
  readonly identifier: string;
  /** Settles when the held `event/next` ends (it normally never does); never rejects. */
  readonly polling: Promise<void>;
}

/** Options for {@linkcode registerExtension}. */
export interface RegisterExtensionOptions {
  /** `Lambda-Extension-Name`. Defaults to {@linkcode EXTENSION_NAME}. */
  readonly name?: string;
  /** Reports an `event/next` that ended unexpectedly. */
  readonly log?: (level: "WARN" | "ERROR", message: string) => void;
  /** The fetch to use. Defaults to `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * Registers an internal extension for no events, then holds its `event/next` open.
 *
 * @param address The Runtime API's `host:port` (`AWS_LAMBDA_RUNTIME_API`).
 * @param options The name, the log, and the fetch to use.
 * @returns The identifier, and the held poll.
 * @throws {Error} If the registration is refused or cannot be sent.
 */
export async function registerExtension(
  address: string,
  options: RegisterExtensionOptions = {},
): Promise<RegisteredExtension> {
  const fetcher = options.fetch ?? fetch;
  const response = await fetcher(`http://${address}${PREFIX}/register`, {
    method: "POST",
    headers: {
      "Lambda-Extension-Name": options.name ?? EXTENSION_NAME,
      "Content-Type": "application/json",
    },
    body: '{"events":[]}',
  });
  const text = await response.text();
  const identifier = response.headers.get("Lambda-Extension-Identifier");
  if (!response.ok || identifier === null || identifier === "") {
    throw new Error(
      `Cannot register the runtime as an extension: ${response.status} ${text.slice(0, 200)}`,
    );
  }
  const polling = fetcher(`http://${address}${PREFIX}/event/next`, {
    headers: { "Lambda-Extension-Identifier": identifier },
  }).then(async (next) => {
    const body = await next.text();
    options.log?.("WARN", `The extension's event/next returned ${next.status}: ${body}`);
  }, (error) => {
    const message = error instanceof Error ? error.message : String(error);
    options.log?.("WARN", `The extension's event/next ended: ${message}`);
  });
  return { identifier, polling };
}
