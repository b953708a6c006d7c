/**
 * A greeting over HTTP, written as a plain `Deno.serve` handler and exported for Lambda too:
 * `deno serve handlers/hello.ts` runs it locally, `_HANDLER=hello.handler` behind API Gateway,
 * a Function URL or an ALB.
 *
 * - `GET /?name=Ada` answers `Hello, Ada!` as text, or as JSON when the client accepts JSON;
 * - `POST` takes the name from a form or JSON body;
 * - the answer names the API Gateway request id (`x-request-id`; `null` outside Lambda) and
 *   sets a `greeted` cookie.
 *
 * @module
 */

import type { HandlerConfig } from "../src/mod.ts";
import { httpHandler, requestInfo } from "../src/http/mod.ts";

/**
 * Greets the caller by the name the request gives.
 *
 * @param request The request.
 * @returns The greeting, as text or JSON.
 */
export async function hello(request: Request): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD" && request.method !== "POST") {
    return new Response("Method Not Allowed\n", {
      status: 405,
      headers: { allow: "GET, HEAD, POST", "content-type": "text/plain; charset=utf-8" },
    });
  }
  const name = (await _name(request)) || "world";
  const greeting = `Hello, ${name}!`;
  const requestId = requestInfo(request)?.requestId ?? null;
  const headers = new Headers({ "set-cookie": `greeted=${encodeURIComponent(name)}; Path=/` });
  if (requestId !== null) headers.set("x-request-id", requestId);
  if (request.headers.get("accept")?.includes("application/json")) {
    return Response.json({ greeting, requestId }, { headers });
  }
  headers.set("content-type", "text/plain; charset=utf-8");
  return new Response(`${greeting}\n`, { headers });
}

/** The Lambda handler: {@linkcode hello} behind the HTTP adapter. */
export const handler = httpHandler(hello);

/** Deployed behind a Function URL that answers with the whole response. */
export const config = { handler: { url: "buffered" } } satisfies HandlerConfig;

/** Lets `deno serve handlers/hello.ts` run the same handler locally. */
export default { fetch: hello } satisfies Deno.ServeDefaultExport;

async function _name(request: Request): Promise<string | null> {
  if (request.method !== "POST") return new URL(request.url).searchParams.get("name");
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) {
    const body: unknown = await request.json().catch(() => null);
    return typeof body === "object" && body !== null && "name" in body &&
        typeof body.name === "string"
      ? body.name
      : null;
  }
  const form = new URLSearchParams(await request.text());
  return form.get("name");
}
