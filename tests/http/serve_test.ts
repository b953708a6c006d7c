/**
 * One table of requests, run against handlers/hello.ts twice over: under `Deno.serve` on a real
 * socket, and through the adapter from each event shape AWS would send for the same request.
 * Both must answer alike, which is the adapter's whole promise.
 */

import { deepEqual, equal } from "node:assert/strict";
import { handler, hello } from "../../handlers/hello.ts";
import { type ClientRequest, eventFor, type EventKind } from "./_events.ts";
import { asResponse, context } from "./_support.ts";

interface Case {
  readonly name: string;
  readonly request: ClientRequest;
  readonly status: number;
  readonly contentType: string;
  /** The body as text, or for JSON the greeting in it. */
  readonly text?: string;
  readonly greeting?: string;
  readonly setCookie?: string[];
  readonly allow?: string;
  /**
   * The body through a single-value ALB, where it must differ: without multi-value headers an
   * ALB sends only the last of repeated query parameters.
   */
  readonly singleValueAlbText?: string;
}

const TEXT = "text/plain; charset=utf-8";

const CASES: Case[] = [
  {
    name: "a name from the query",
    request: { method: "GET", path: "/hello", query: "name=Ada" },
    status: 200,
    contentType: TEXT,
    text: "Hello, Ada!\n",
    setCookie: ["greeted=Ada; Path=/"],
  },
  {
    name: "no name",
    request: { method: "GET", path: "/" },
    status: 200,
    contentType: TEXT,
    text: "Hello, world!\n",
    setCookie: ["greeted=world; Path=/"],
  },
  {
    name: "an encoded non-ASCII name",
    request: { method: "GET", path: "/hello", query: "name=Zo%C3%AB%20%26%20Co" },
    status: 200,
    contentType: TEXT,
    text: "Hello, Zoë & Co!\n",
    setCookie: ["greeted=Zo%C3%AB%20%26%20Co; Path=/"],
  },
  {
    name: "a repeated name takes the first",
    request: { method: "GET", path: "/hello", query: "name=first&name=second" },
    status: 200,
    contentType: TEXT,
    text: "Hello, first!\n",
    singleValueAlbText: "Hello, second!\n",
  },
  {
    name: "JSON when accepted",
    request: {
      method: "GET",
      path: "/hello",
      query: "name=Ada",
      headers: [["Accept", "application/json"]],
    },
    status: 200,
    contentType: "application/json",
    greeting: "Hello, Ada!",
  },
  {
    name: "a name from a form body",
    request: {
      method: "POST",
      path: "/hello",
      headers: [["Content-Type", "application/x-www-form-urlencoded"]],
      body: "name=Grace+Hopper",
    },
    status: 200,
    contentType: TEXT,
    text: "Hello, Grace Hopper!\n",
  },
  {
    name: "a name from a JSON body, with cookies sent",
    request: {
      method: "POST",
      path: "/hello",
      headers: [["Content-Type", "application/json"], ["Cookie", "a=1; b=2"]],
      body: '{"name":"Linus"}',
    },
    status: 200,
    contentType: TEXT,
    text: "Hello, Linus!\n",
  },
  {
    name: "an unsupported method",
    request: { method: "DELETE", path: "/hello" },
    status: 405,
    contentType: TEXT,
    text: "Method Not Allowed\n",
    allow: "GET, HEAD, POST",
  },
];

async function check(c: Case, response: Response, kind?: EventKind): Promise<void> {
  equal(response.status, c.status, c.name);
  equal(response.headers.get("content-type"), c.contentType, c.name);
  if (c.allow !== undefined) equal(response.headers.get("allow"), c.allow, c.name);
  if (c.setCookie !== undefined) deepEqual(response.headers.getSetCookie(), c.setCookie, c.name);
  if (c.greeting !== undefined) {
    equal((await response.json() as { greeting: string }).greeting, c.greeting, c.name);
  } else {
    const text = kind === "alb" ? c.singleValueAlbText ?? c.text : c.text;
    equal(await response.text(), text, c.name);
  }
}

Deno.test("hello.ts answers the request table under Deno.serve", async (t) => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, hello);
  try {
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const { method, path, query, headers, body } = c.request;
        const url = `http://127.0.0.1:${server.addr.port}${path}${query ? `?${query}` : ""}`;
        const response = await fetch(url, {
          method,
          headers: (headers ?? []).map(([k, v]): [string, string] => [k, v]),
          ...(body === undefined ? {} : { body }),
        });
        equal(response.headers.get("x-request-id"), null, "no request id outside Lambda");
        await check(c, response);
      });
    }
  } finally {
    await server.shutdown();
  }
});

for (const kind of ["v1", "v2", "alb", "alb_multi_value"] satisfies EventKind[]) {
  Deno.test(`hello.ts answers the request table through a ${kind} event`, async (t) => {
    for (const [i, c] of CASES.entries()) {
      await t.step(c.name, async () => {
        const requestId = `req-${i}`;
        const result = await handler(eventFor(kind, c.request, requestId), context());
        const response = asResponse(result);
        const expectedId = kind.startsWith("alb") ? null : requestId;
        if (c.status === 200) equal(response.headers.get("x-request-id"), expectedId);
        await check(c, response, kind);
      });
    }
  });
}
