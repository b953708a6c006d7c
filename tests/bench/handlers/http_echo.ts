/**
 * The HTTP flavour of the echo function, for the benchmark: the request body comes back as the
 * response body, through the HTTP adapter.
 *
 * @module
 */

import { httpHandler } from "../../../src/http/mod.ts";

/** Answers with the request's own body and content type. */
export const handler = httpHandler(async (request) =>
  new Response(await request.text(), {
    headers: { "content-type": request.headers.get("content-type") ?? "text/plain" },
  })
);
