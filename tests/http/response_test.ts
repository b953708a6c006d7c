import { deepEqual, equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { type ResultShape, toResult } from "../../src/http/mod.ts";

const V1: ResultShape = { source: "v1", multiValue: true };
const V2: ResultShape = { source: "v2", multiValue: false };
const ALB: ResultShape = { source: "alb", multiValue: false };
const ALB_MULTI: ResultShape = { source: "alb", multiValue: true };

function withCookies(): Response {
  const headers = new Headers({ "content-type": "text/plain" });
  headers.append("set-cookie", "a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT");
  headers.append("set-cookie", "b=2; HttpOnly");
  return new Response("ok", { headers });
}

const COOKIES = ["a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "b=2; HttpOnly"];

Deno.test("Set-Cookie goes to cookies for v2", async () => {
  const result = await toResult(withCookies(), V2);
  deepEqual(result.cookies, COOKIES);
  deepEqual(result.headers, { "content-type": "text/plain" });
  equal(result.multiValueHeaders, undefined);
});

Deno.test("Set-Cookie goes to multiValueHeaders for v1", async () => {
  const result = await toResult(withCookies(), V1);
  deepEqual(result.multiValueHeaders, { "set-cookie": COOKIES });
  deepEqual(result.headers, { "content-type": "text/plain" });
  equal(result.cookies, undefined);
});

Deno.test("a multi-value ALB gets every header in multiValueHeaders", async () => {
  const result = await toResult(withCookies(), ALB_MULTI);
  deepEqual(result.multiValueHeaders, {
    "content-type": ["text/plain"],
    "set-cookie": COOKIES,
  });
  equal(result.headers, undefined);
});

Deno.test("a single-value ALB gets each cookie under its own spelling of Set-Cookie", async () => {
  const result = await toResult(withCookies(), ALB);
  deepEqual(result.headers, {
    "content-type": "text/plain",
    "set-cookie": COOKIES[0],
    "Set-cookie": COOKIES[1],
  });
  equal(result.multiValueHeaders, undefined);
});

Deno.test("ALB results carry a statusDescription, API Gateway results do not", async () => {
  equal(
    (await toResult(new Response(null, { status: 404 }), ALB)).statusDescription,
    "404 Not Found",
  );
  equal((await toResult(new Response(null, { status: 299 }), ALB)).statusDescription, "299");
  equal("statusDescription" in await toResult(new Response(null), V2), false);
});

Deno.test("gzip-encoded responses are base64-encoded", async () => {
  const gzipped = new Uint8Array(gzipSync("hello hello hello"));
  const response = new Response(gzipped, {
    headers: { "content-type": "text/plain", "content-encoding": "gzip" },
  });
  const result = await toResult(response, V2);
  equal(result.isBase64Encoded, true);
  deepEqual(Uint8Array.fromBase64(result.body), gzipped);
});

Deno.test("br and deflate encoded responses are base64-encoded even when valid UTF-8", async () => {
  for (const encoding of ["br", "deflate"]) {
    const response = new Response("abc", {
      headers: { "content-type": "application/json", "content-encoding": encoding },
    });
    const result = await toResult(response, V1);
    equal(result.isBase64Encoded, true, encoding);
    equal(result.body, btoa("abc"));
  }
});

Deno.test("binary content types are base64-encoded", async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const result = await toResult(
    new Response(png, { headers: { "content-type": "image/png" } }),
    V2,
  );
  equal(result.isBase64Encoded, true);
  deepEqual(Uint8Array.fromBase64(result.body), png);
  // Even a body that happens to be valid UTF-8 is sent as bytes when its type says bytes.
  const pdf = new Response("%PDF-1.7", { headers: { "content-type": "application/pdf" } });
  equal((await toResult(pdf, V2)).isBase64Encoded, true);
});

Deno.test("text content types stay text", async () => {
  const types = [
    "text/html; charset=utf-8",
    "text/event-stream",
    "application/json",
    "application/problem+json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
    "application/x-www-form-urlencoded",
  ];
  for (const type of types) {
    const result = await toResult(
      new Response("é<ok/>", { headers: { "content-type": type } }),
      V2,
    );
    deepEqual([type, result.isBase64Encoded, result.body], [type, false, "é<ok/>"]);
  }
});

Deno.test("a text type whose bytes are not UTF-8 is base64-encoded rather than mangled", async () => {
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
  const response = new Response(latin1, {
    headers: { "content-type": "text/plain; charset=iso-8859-1" },
  });
  const result = await toResult(response, V2);
  equal(result.isBase64Encoded, true);
  deepEqual(Uint8Array.fromBase64(result.body), latin1);
});

Deno.test("a body without a content type is text when it is valid UTF-8", async () => {
  const text = await toResult(new Response(new TextEncoder().encode("plain")), V2);
  deepEqual([text.isBase64Encoded, text.body], [false, "plain"]);
  const bytes = await toResult(new Response(new Uint8Array([0xff, 0xfe])), V2);
  deepEqual([bytes.isBase64Encoded, bytes.body], [true, "//4="]);
});

Deno.test("an empty body is an empty string", async () => {
  const result = await toResult(new Response(null, { status: 204 }), V2);
  deepEqual(result, { statusCode: 204, headers: {}, body: "", isBase64Encoded: false });
});

Deno.test("non-ASCII response header values are sent as text", async () => {
  const value = String.fromCharCode(...new TextEncoder().encode("Zoë 🎉"));
  const response = new Response(null, { headers: { "x-name": value } });
  deepEqual((await toResult(response, V2)).headers, { "x-name": "Zoë 🎉" });
});

Deno.test("repeated response headers other than Set-Cookie are comma-joined", async () => {
  const headers = new Headers();
  headers.append("vary", "accept");
  headers.append("vary", "origin");
  deepEqual((await toResult(new Response(null, { headers }), V1)).headers, {
    vary: "accept, origin",
  });
});
