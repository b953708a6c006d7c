import { deepEqual, equal, match } from "node:assert/strict";
import { ROOT, shippedFunctions } from "./_support.ts";

const CLI = `${ROOT}/src/emulator/cli.ts`;

async function run(args: string[], stdin?: string, env: Record<string, string> = {}) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    cwd: ROOT,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  return {
    code,
    stdout: new TextDecoder().decode(stdout),
    stderr: new TextDecoder().decode(stderr),
  };
}

Deno.test("A port in use is a one-line error naming the port and the flag", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr;
  const { code, stdout, stderr } = await run(["serve", "--port", String(port)]);
  equal(code, 1);
  equal(stdout, "");
  equal(
    stderr,
    `Cannot listen on 127.0.0.1:${port}: the port is in use; pick another with --port\n`,
  );
});

Deno.test("invoke runs a function once and prints its answer", async () => {
  const { code, stdout, stderr } = await run(["invoke", "echo", "-"], '{"log":"hi","n":1}');
  equal(code, 0);
  equal(stdout, '{"log":"hi","n":1}\n');
  match(stderr, /\[echo\] \S+\t[0-9a-f-]{36}\tINFO\thi\n/);
  match(stderr, /\[echo\] REPORT RequestId: \S+\tDuration: .*Init Duration/);
});

Deno.test("invoke prints a function error and exits 1", async () => {
  const { code, stdout } = await run(["invoke", "echo", "-"], '{"throw":"boom"}');
  equal(code, 1);
  equal(JSON.parse(stdout).errorMessage, "boom");
});

Deno.test("invoke streams a streaming export", async () => {
  const { code, stdout } = await run(["invoke", "echo.stream", "-"], '{"chunks":2,"bytes":3}');
  equal(code, 0);
  equal(stdout, "xxxxxx");
});

Deno.test("invoke names the functions when asked for an unknown one", async () => {
  const { code, stderr } = await run(["invoke", "nope"]);
  equal(code, 1);
  equal(
    stderr,
    `Cannot invoke nope: no such function; there are ${shippedFunctions().join(", ")}\n`,
  );
});

Deno.test("invoke passes the proxy and TLS variables through to the function", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-env-" });
  try {
    await Deno.writeTextFile(
      `${dir}/env.ts`,
      `const NAMES = ["DENO_TLS_CA_STORE", "HTTPS_PROXY", "no_proxy", "NO_COLOR", "SECRET"];
export function handler() {
  return Object.fromEntries(NAMES.map((name) => [name, Deno.env.get(name) ?? null]));
}
`,
    );
    const { code, stdout } = await run(["invoke", "env", "--handlers", dir], undefined, {
      DENO_TLS_CA_STORE: "system,mozilla",
      HTTPS_PROXY: "http://127.0.0.1:9",
      no_proxy: "127.0.0.1,localhost",
      NO_COLOR: "",
      SECRET: "kept-out",
    });
    equal(code, 0);
    deepEqual(JSON.parse(stdout), {
      DENO_TLS_CA_STORE: "system,mozilla",
      HTTPS_PROXY: "http://127.0.0.1:9",
      no_proxy: "127.0.0.1,localhost",
      NO_COLOR: "1",
      SECRET: null,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
