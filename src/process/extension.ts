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

import type { LevelLogger } from "./logging.ts";
import { statusCode, writeAll } from "../runtime_api/http1.ts";
import { ConnectionPool } from "../runtime_api/pool.ts";

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
  readonly log?: LevelLogger;
}

const encoder = new TextEncoder();

/**
 * Registers an internal extension for no events, then holds its `event/next` open on the same
 * connection. It speaks HTTP/1.1 through the runtime's own codec rather than `fetch()`, whose
 * first use costs more start-up time than the whole registration.
 *
 * @param address The Runtime API's `host:port` (`AWS_LAMBDA_RUNTIME_API`).
 * @param options The name and the log.
 * @returns The identifier, and the held poll.
 * @throws {Error} If the registration is refused or cannot be sent.
 */
export async function registerExtension(
  address: string,
  options: RegisterExtensionOptions = {},
): Promise<RegisteredExtension> {
  const { conn, reader } = await new ConnectionPool(address).connectNew();
  let identifier: string;
  try {
    const body = '{"events":[]}';
    await writeAll(
      conn,
      encoder.encode(
        `POST ${PREFIX}/register HTTP/1.1\r\nHost: ${address}\r\n` +
          `Lambda-Extension-Name: ${options.name ?? EXTENSION_NAME}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      ),
    );
    const head = await reader.readHead();
    if (head === null) throw new Error("the Runtime API closed the connection");
    const text = await reader.readBodyText(head);
    const status = statusCode(head);
    const id = head.headers.get("lambda-extension-identifier");
    if (status !== 200 || id === undefined || id === "") {
      throw new Error(`${status} ${text.slice(0, 200)}`);
    }
    identifier = id;
  } catch (error) {
    conn.close();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot register the runtime as an extension: ${detail}`, { cause: error });
  }
  const polling = (async () => {
    await writeAll(
      conn,
      encoder.encode(
        `GET ${PREFIX}/event/next HTTP/1.1\r\nHost: ${address}\r\n` +
          `Lambda-Extension-Identifier: ${identifier}\r\n\r\n`,
      ),
    );
    const head = await reader.readHead();
    if (head === null) throw new Error("the Runtime API closed the connection");
    const text = await reader.readBodyText(head);
    options.log?.("WARN", `The extension's event/next returned ${head.startLine}: ${text}`);
  })().catch((error) => {
    const message = error instanceof Error ? error.message : String(error);
    options.log?.("WARN", `The extension's event/next ended: ${message}`);
  }).finally(() => conn.close());
  return { identifier, polling };
}
