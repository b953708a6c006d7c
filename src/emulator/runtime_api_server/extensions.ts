/**
 * The Extensions API endpoints the server serves: `register`, which hands out an identifier, and
 * `event/next`, which Lambda answers only with `SHUTDOWN` when the sandbox ends — so it is held
 * until the server closes or the extension goes away.
 *
 * @module
 */

import type { MessageHead } from "../../runtime_api/http1.ts";
import type { PendingInvocation } from "./pending_invocation.ts";
import { parseJsonOrUndefined } from "./bodies.ts";
import type { RuntimeApiIo } from "./io.ts";
import type { RequestRecord, RuntimeApiState } from "./state.ts";
import {
  errorResponse,
  H_EXTENSION_ID,
  H_EXTENSION_NAME,
  jsonResponse,
  TOO_LARGE,
} from "./wire.ts";

const decoder = new TextDecoder();

/**
 * Serves `POST /2020-01-01/extension/register`.
 *
 * @param io The connection's reads and writes.
 * @param state The server's state.
 * @param head The request's head.
 * @param record Where to note the request, if the server records requests.
 * @returns Whether to keep the connection open.
 */
export async function registerExtension(
  io: RuntimeApiIo,
  state: RuntimeApiState,
  head: MessageHead,
  record: RequestRecord | undefined,
): Promise<boolean> {
  const name = head.headers.get(H_EXTENSION_NAME);
  if (!name) {
    const response = errorResponse(400, "InvalidRequest", "Missing Lambda-Extension-Name");
    return await io.reject(head, record, response);
  }
  const body = await io.readBody(head, record);
  if (body === false) return false;
  if (body === undefined) return await io.respond(record, TOO_LARGE);
  const identifier = crypto.randomUUID();
  state.extensions.push({
    name,
    identifier,
    body: parseJsonOrUndefined(decoder.decode(body)),
  });
  const { functionName, functionVersion, handler } = state.config;
  const response = jsonResponse(
    200,
    JSON.stringify({ functionName, functionVersion, handler }),
    false,
    `Lambda-Extension-Identifier: ${identifier}\r\n`,
  );
  return await io.respond(record, response);
}

/**
 * Serves `GET /2020-01-01/extension/event/next` for a registered extension.
 *
 * @param io The connection's reads and writes.
 * @param state The server's state.
 * @param head The request's head.
 * @param record Where to note the request, if the server records requests.
 * @param hold Parks the connection until the server closes or the peer leaves.
 * @returns Whether to keep the connection open: after a held poll, never.
 */
export async function nextExtensionEvent(
  io: RuntimeApiIo,
  state: RuntimeApiState,
  head: MessageHead,
  record: RequestRecord | undefined,
  hold: () => Promise<PendingInvocation | null>,
): Promise<boolean> {
  const identifier = head.headers.get(H_EXTENSION_ID);
  if (!state.extensions.some((extension) => extension.identifier === identifier)) {
    const response = errorResponse(
      403,
      "Extension.UnknownExtensionIdentifier",
      "Unknown extension identifier",
    );
    return await io.reject(head, record, response);
  }
  // Lambda answers with SHUTDOWN only when the sandbox ends: hold it until the server closes.
  state.extensionPolls++;
  await hold();
  state.extensionPolls--;
  return false;
}
