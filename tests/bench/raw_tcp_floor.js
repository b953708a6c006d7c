/**
 * The floor of a Deno runtime's cold start: the least a Lambda runtime loop can do in Deno, one
 * plain TCP connection speaking HTTP/1.1 by hand, no module but this one. JavaScript, so a fresh
 * `DENO_DIR` has nothing to transpile. It echoes every event back.
 *
 * @module
 */

const [host = "127.0.0.1", port = "9001"] = (Deno.env.get("AWS_LAMBDA_RUNTIME_API") ?? "")
  .split(":");
const conn = await Deno.connect({ hostname: host, port: Number(port) });
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const buffer = new Uint8Array(1 << 16);
let pending = "";

/** Reads one response: its head and its body (Content-Length framed). */
async function read() {
  for (;;) {
    const end = pending.indexOf("\r\n\r\n");
    if (end >= 0) {
      const head = pending.slice(0, end);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length >= end + 4 + length) {
        const body = pending.slice(end + 4, end + 4 + length);
        pending = pending.slice(end + 4 + length);
        return { head, body };
      }
    }
    const n = await conn.read(buffer);
    if (n === null) Deno.exit(0);
    pending += decoder.decode(buffer.subarray(0, n));
  }
}

const path = "/2018-06-01/runtime/invocation";
for (;;) {
  await conn.write(encoder.encode(`GET ${path}/next HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`));
  const { head: response, body } = await read();
  const id = /lambda-runtime-aws-request-id:\s*([^\r\n]+)/i.exec(response)?.[1] ?? "";
  const answer = encoder.encode(body);
  const head = encoder.encode(
    `POST ${path}/${id}/response HTTP/1.1\r\nHost: ${host}:${port}\r\n` +
      `Content-Length: ${answer.length}\r\n\r\n`,
  );
  // One write: a head and a body written apart wait out the server's delayed ACK (about 40 ms).
  const request = new Uint8Array(head.length + answer.length);
  request.set(head);
  request.set(answer, head.length);
  await conn.write(request);
  await read();
}
