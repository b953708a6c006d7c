/**
 * Runs a runtime at build time up to its first `/next`, which is where a cold start ends, so
 * that what it loaded on the way (and V8's code cache of it) is what Deno records. A stand-in
 * Runtime API on 127.0.0.1 takes the requests a runtime makes before that (an extension's
 * registration, an init error) and stops the runtime at its first poll; a runtime that fails
 * its init ends on its own.
 *
 * @module
 */

/** What {@linkcode runToFirstPoll} runs. */
export interface FirstPollOptions {
  /** The `deno` to run. */
  readonly deno: string;
  /** Its arguments (`run …`). */
  readonly args: readonly string[];
  /** Its working directory. */
  readonly cwd?: string;
  /** Its whole environment, but for `AWS_LAMBDA_RUNTIME_API`. */
  readonly env: Readonly<Record<string, string>>;
  /** How long a runtime may take to reach its first poll; default 60 s. */
  readonly limitMs?: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Runs the runtime until its first `GET …/runtime/invocation/next`, its exit, or the limit.
 *
 * @param options The `deno`, its arguments and its environment.
 * @returns Whether the runtime reached its first poll (else it ended, or hung, before).
 */
export async function runToFirstPoll(options: FirstPollOptions): Promise<boolean> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  const child = new Deno.Command(options.deno, {
    args: [...options.args],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    clearEnv: true,
    env: { ...options.env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const { promise: polled, resolve } = Promise.withResolvers<boolean>();
  const connections: Deno.Conn[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      connections.push(conn);
      _serve(conn, () => resolve(true)).catch(() => {});
    }
  })().catch(() => {});
  const limit = setTimeout(() => resolve(false), options.limitMs ?? 60_000);
  const reached = await Promise.race([polled, child.status.then(() => false)]);
  clearTimeout(limit);
  try {
    child.kill("SIGKILL");
  } catch {
    // It has exited already.
  }
  await child.status;
  listener.close();
  for (const conn of connections) {
    try {
      conn.close();
    } catch {
      // Closed by the runtime.
    }
  }
  await serving;
  return reached;
}

/** Answers one connection's requests until the first poll for an invocation. */
async function _serve(conn: Deno.Conn, onPoll: () => void): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  let pending = "";
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) return;
    pending += decoder.decode(buffer.subarray(0, n));
    for (;;) {
      const end = pending.indexOf("\r\n\r\n");
      if (end < 0) break;
      const head = pending.slice(0, end);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < end + 4 + length) break;
      pending = pending.slice(end + 4 + length);
      const path = head.split(" ")[1] ?? "";
      if (path.endsWith("/runtime/invocation/next")) return onPoll();
      // An extension's poll for events is never answered, as for an idle extension.
      if (path.endsWith("/extension/event/next")) continue;
      const answer = path.endsWith("/extension/register")
        ? "HTTP/1.1 200 OK\r\nLambda-Extension-Identifier: build\r\nContent-Length: 2\r\n\r\n{}"
        : "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}";
      await conn.write(encoder.encode(answer));
    }
  }
}
