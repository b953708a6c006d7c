import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { guardRequest } from "../../src/emulator/front/request_guard.ts";
import { FunctionUrlEventSchema } from "../../src/events/http/function_url.ts";
import { scratchDir } from "../_scratch.ts";
import { invoke, shippedFunctions, startEmulator, testHandlersDir } from "./_support.ts";

Deno.test("The HTTP front serves hello at /hello/ and /hello?name=", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const plain = await fetch(`${emulator.url}hello/`);
  equal(plain.status, 200);
  equal(await plain.text(), "Hello, world!\n");
  const named = await fetch(`${emulator.url}hello?name=Ada`);
  equal(await named.text(), "Hello, Ada!\n");
  deepEqual(named.headers.getSetCookie(), ["greeted=Ada; Path=/"]);
  const json = await fetch(`${emulator.url}hello/?name=Ada`, {
    headers: { accept: "application/json" },
  });
  equal((await json.json()).greeting, "Hello, Ada!");
});

Deno.test("A request becomes a Function URL event: path, query, headers, cookies", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const response = await fetch(`${emulator.url}event/a/b%20c?x=1&x=2&y=%2F`, {
    method: "PUT",
    headers: { cookie: "a=1; b=2", "X-Custom": "Yes", "content-type": "text/plain" },
    body: "hello",
  });
  equal(response.status, 200);
  deepEqual(response.headers.getSetCookie(), ["seen=1; Path=/", "again=2"]);
  const event = await response.json();
  equal(event.version, "2.0");
  equal(event.routeKey, "$default");
  equal(event.rawPath, "/a/b%20c");
  equal(event.rawQueryString, "x=1&x=2&y=%2F");
  deepEqual(event.queryStringParameters, { x: "1,2", y: "/" });
  deepEqual(event.cookies, ["a=1", "b=2"]);
  equal(event.headers["x-custom"], "Yes");
  equal(event.headers.cookie, undefined);
  equal(event.body, "hello");
  equal(event.isBase64Encoded, false);
  const context = event.requestContext;
  equal(context.http.method, "PUT");
  equal(context.http.path, "/a/b%20c");
  equal(context.http.sourceIp, "127.0.0.1");
  equal(context.stage, "$default");
  // A Function URL's own domain, as AWS names it; the Host header keeps the emulator's address.
  match(context.domainName, /^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
  equal(context.domainPrefix, context.domainName.split(".")[0]);
  equal(context.apiId, context.domainPrefix);
  equal(event.headers.host, new URL(emulator.url).host);
  ok(context.requestId);
  match(context.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  ok(Math.abs(context.timeEpoch - Date.now()) < 60_000);
});

Deno.test("The front's event is a Function URL event to the schema, and each function has its own URL id", async () => {
  const dir = await scratchDir("lambdeno-url-ids-");
  const echo =
    "export const handler = (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n";
  await Deno.writeTextFile(`${dir}/a.ts`, echo);
  await Deno.writeTextFile(`${dir}/b.ts`, echo);
  const { emulator } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const a = await (await fetch(`${emulator.url}a/?q=1`)).json();
  const parsed = FunctionUrlEventSchema.safeParse(a);
  ok(parsed.success, JSON.stringify(parsed.error?.issues));
  const b = await (await fetch(`${emulator.url}b/`)).json();
  ok(b.requestContext.domainName !== a.requestContext.domainName);
  equal(
    (await (await fetch(`${emulator.url}a/`)).json()).requestContext.domainName,
    a.requestContext.domainName,
  );
});

Deno.test("A path with no trailing slash reaches the function at /", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const event = await (await fetch(`${emulator.url}event`)).json();
  equal(event.rawPath, "/");
  equal(event.rawQueryString, "");
  equal(event.body, undefined);
});

Deno.test("Binary bodies travel base64 both ways", async () => {
  const dir = await testHandlersDir();
  const { emulator } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const image = await fetch(`${emulator.url}image/`);
  equal(image.headers.get("content-type"), "image/png");
  deepEqual(
    [...new Uint8Array(await image.arrayBuffer())],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255],
  );
  const bytes = new Uint8Array([0, 1, 2, 250, 251, 255]);
  const echoed = await fetch(`${emulator.url}image/`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
  equal(echoed.headers.get("x-was-base64"), "true");
  deepEqual(new Uint8Array(await echoed.arrayBuffer()), bytes);
});

Deno.test("A result that is not HTTP-shaped becomes a 200 JSON response", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(`${emulator.url}echo/?q=1`);
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "application/json");
  equal((await response.json()).rawQueryString, "q=1");
});

Deno.test("A failing function answers 502 over HTTP, and the error is logged", async () => {
  const dir = await testHandlersDir();
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const response = await fetch(`${emulator.url}broken/`);
  equal(response.status, 502);
  equal(response.headers.get("x-amz-function-error"), "Unhandled");
  await response.body?.cancel();
  ok(log.matching(/^\[broken\] Invoke Error: .*Runtime.ImportModuleError/).length === 1);
});

Deno.test("A streamed response arrives chunk by chunk, before the function has finished", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(`${emulator.url}stream/`);
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const reader = response.body!.getReader();
  const first = await reader.read();
  match(new TextDecoder().decode(first.value), /^id: 1\nevent: tick\n/);
  // The function is still producing: its invocation has not reported yet.
  equal(log.matching(/^\[stream\] REPORT/).length, 0);
  let rest = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    rest += new TextDecoder().decode(chunk.value);
  }
  equal(rest.match(/event: tick/g)?.length, 4);
  await log.waitFor(/^\[stream\] REPORT/);
});

Deno.test("Another export is reachable over HTTP as file.export", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(`${emulator.url}echo.stream/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  // The HTTP event has no `chunks`, so echo.stream echoes it buffered.
  equal((await response.json()).requestContext.http.method, "POST");
});

Deno.test("A stream that fails part way cuts the connection before the body ends", async () => {
  const dir = await testHandlersDir();
  await Deno.writeTextFile(
    `${dir}/cut.ts`,
    `import { StreamingResponse } from "${new URL(
      "../../src/runtime/streaming.ts",
      import.meta.url,
    )}";
export function handler() {
  async function* body() {
    yield "first\\n";
    await new Promise((r) => setTimeout(r, 50));
    throw new Error("stream failed");
  }
  return new StreamingResponse(body(), { contentType: "text/plain" });
}
`,
  );
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const response = await fetch(`${emulator.url}cut/`);
  equal(response.status, 200);
  const reader = response.body!.getReader();
  equal(new TextDecoder().decode((await reader.read()).value), "first\n");
  await rejects(async () => {
    while (!(await reader.read()).done) {
      // Drain until the cut.
    }
  });
  await log.waitFor(/^\[cut\] REPORT .*Status: error/);
});

Deno.test("/ lists the functions, as text or JSON", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const text = await (await fetch(emulator.url)).text();
  match(text, /echo\s+http:\/\/127\.0\.0\.1:\d+\/echo\//);
  const json = await (await fetch(emulator.url, { headers: { accept: "application/json" } }))
    .json();
  deepEqual(json.functions.map((f: { name: string }) => f.name), shippedFunctions());
  // The default is the first function by name, so it changes as modules are added to handlers/.
  equal(json.default, shippedFunctions()[0]);
});

Deno.test("The default function is the first by name, unless one is named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-handlers-" });
  try {
    for (const name of ["zeta", "alpha", "mid"]) {
      await Deno.writeTextFile(`${dir}/${name}.ts`, "export const handler = (e) => e;\n");
    }
    const listed = async (options: { defaultFunction?: string }) => {
      const { emulator } = await startEmulator({ handlersDir: dir, ...options });
      await using _ = emulator;
      const res = await fetch(emulator.url, { headers: { accept: "application/json" } });
      return await res.json() as { functions: { name: string }[]; default: string | null };
    };
    const first = await listed({});
    deepEqual(first.functions.map((f) => f.name), ["alpha", "mid", "zeta"]);
    equal(first.default, "alpha");
    equal((await listed({ defaultFunction: "zeta" })).default, "zeta");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("An unknown function over HTTP is a 404", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(`${emulator.url}nope/`);
  equal(response.status, 404);
  deepEqual((await response.json()).functions, shippedFunctions());
});

Deno.test("An HTTP body over 6 MB is refused with 413", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  const response = await fetch(`${emulator.url}hello/`, {
    method: "POST",
    body: new Uint8Array(6_291_457),
  });
  equal(response.status, 413);
  await response.body?.cancel();
});

Deno.test("Malformed percent-encoding in a function name is a 400, not a 500", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  for (const path of ["%ZZ/", "%E0%A4%A/x", "2015-03-31/functions/%ZZ/invocations"]) {
    const response = await fetch(`${emulator.url}${path}`, { method: "POST", body: "{}" });
    equal(response.status, 400, path);
    match((await response.json()).message, /percent-encoding is malformed/);
  }
});

Deno.test("A made-up file.export is a 404 listing the exports, and starts no runtime", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  for (const name of ["echo.nope", "echo.alsoNope"]) {
    const response = await fetch(`${emulator.url}${name}/`);
    equal(response.status, 404);
    const body = await response.json();
    match(body.message, new RegExp(`no export "${name.slice(5)}"; it exports .*handler, stream`));
    ok(body.exports.includes("handler") && body.exports.includes("stream"), body.exports);
  }
  const invoked = await fetch(`${emulator.url}2015-03-31/functions/echo.nope/invocations`, {
    method: "POST",
    body: "{}",
  });
  equal(invoked.status, 404);
  await invoked.body?.cancel();
  deepEqual(log.matching(/INIT_START/), []);
});

/** Sends one HTTP/1.1 request by hand, since fetch() sets Host itself. */
async function rawPost(port: number, path: string, host: string): Promise<[number, string]> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(
    `POST /${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
  ));
  const text = await new Response(conn.readable).text();
  return [Number(text.slice(9, 12)), text.slice(text.indexOf("\r\n\r\n") + 4)];
}

Deno.test("A Host that is not the emulator's own address is refused with 403", async () => {
  const { emulator, log } = await startEmulator();
  await using _ = emulator;
  const port = emulator.port;
  for (const host of [`rebound.example:${port}`, "127.0.0.1:1", `localhost.evil.example:${port}`]) {
    for (const path of ["echo/", "2015-03-31/functions/echo/invocations"]) {
      const [status, body] = await rawPost(port, path, host);
      equal(status, 403, `${host} ${path}`);
      match(JSON.parse(body).message, /^Cannot serve a request for Host ".*--host$/);
    }
  }
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
    const [status, body] = await rawPost(port, "2015-03-31/functions/echo/invocations", host);
    equal(status, 200, host);
    equal(body, "{}");
  }
  deepEqual(log.matching(/\[echo\] REPORT/).length, 2);
});

Deno.test("A request from another site's page is refused with 403; the emulator's own pass", async () => {
  const { emulator } = await startEmulator();
  await using _ = emulator;
  for (
    const origin of ["https://example.com", "null", `http://127.0.0.1.example:${emulator.port}`]
  ) {
    const response = await invoke(emulator, "echo", "{}", { origin });
    equal(response.status, 403, origin);
    match((await response.json()).message, /^Cannot serve a request from Origin/);
  }
  for (const origin of [emulator.url.slice(0, -1), `http://localhost:${emulator.port}`]) {
    const response = await fetch(`${emulator.url}echo/`, { method: "POST", headers: { origin } });
    equal(response.status, 200, origin);
    await response.body?.cancel();
  }
});

Deno.test("Bound beyond loopback with --host, any Host and Origin are served", () => {
  const request = new Request("http://192.0.2.1:3000/echo/", {
    headers: { host: "devbox.lan:3000", origin: "http://devbox.lan:8080" },
  });
  equal(guardRequest(request, { hostname: "0.0.0.0", port: 3000 }), undefined);
  equal(guardRequest(request, { hostname: "127.0.0.1", port: 3000 })?.status, 403);
});

Deno.test("A cross-site request a browser sends without Origin (an img, a no-cors GET) is refused", () => {
  const bound = { hostname: "127.0.0.1", port: 3000 };
  const request = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1:3000/echo/", { headers: { host: "127.0.0.1:3000", ...headers } });
  for (const site of ["cross-site", "same-site"]) {
    const refused = guardRequest(
      request({ "sec-fetch-site": site, "sec-fetch-mode": "no-cors" }),
      bound,
    );
    equal(refused?.status, 403, site);
  }
  // The developer's own navigation, a page of the emulator, and tools that send no such header.
  equal(
    guardRequest(request({ "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" }), bound),
    undefined,
  );
  equal(
    guardRequest(request({ "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" }), bound),
    undefined,
  );
  equal(
    guardRequest(request({ "sec-fetch-site": "none", "sec-fetch-mode": "navigate" }), bound),
    undefined,
  );
  equal(guardRequest(request({}), bound), undefined);
});
