/**
 * Round trips per second through the Runtime API server: `invoke()`, then `/next` and
 * `/response` from a raw keep-alive HTTP/1.1 client, then the result. Client and server share
 * one process, as they do in the runtime's tests.
 *
 * Run: `deno run -A tests/bench/runtime_api_server_bench.ts [iterations]`
 *
 * @module
 */

import { MessageReader, writeAll } from "../../src/runtime_api/http1.ts";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";

const iterations = Number(Deno.args[0] ?? 20_000);
const encoder = new TextEncoder();
const event = { version: "2.0", routeKey: "$default", rawPath: "/hello", body: "x".repeat(1024) };

await using server = await RuntimeApiServer.start({ recordRequests: false });
const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
conn.setNoDelay(true);
const reader = new MessageReader(conn);
const nextRequest = encoder.encode(
  `GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: ${server.address}\r\n\r\n`,
);

async function roundTrip(): Promise<void> {
  const handle = server.invoke(event);
  await writeAll(conn, nextRequest);
  const head = await reader.readHead();
  const body = await reader.readText(head?.contentLength ?? 0);
  const id = head?.headers.get("lambda-runtime-aws-request-id");
  await writeAll(
    conn,
    encoder.encode(
      `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: ${server.address}\r\n` +
        `Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`,
    ),
  );
  const accepted = await reader.readHead();
  await reader.skipBody(accepted!);
  const result = await handle.result;
  if (result.kind !== "response") throw new Error(`Unexpected result: ${result.kind}`);
}

for (let i = 0; i < 1_000; i++) await roundTrip();
const start = performance.now();
for (let i = 0; i < iterations; i++) await roundTrip();
const seconds = (performance.now() - start) / 1000;
console.log(
  `${iterations} round trips (next + response, 1.1 KB event) in ${seconds.toFixed(2)} s: ` +
    `${Math.round(iterations / seconds)}/s`,
);
conn.close();
