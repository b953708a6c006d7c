/**
 * Replays the answers AWS's Node.js runtime client gave on Node 22 (kept by `differential.ts`
 * in `tests/fixtures/node_compat/node22_answers.json`) against Lambdeno's bootstrap: error
 * bodies, callbacks and `callbackWaitsForEmptyEventLoop`, `context.succeed`, the context's own
 * properties, unserialisable results, stream error trailers and faults.
 */

import { deepEqual } from "node:assert/strict";
import { startBootstrap } from "../runtime/_bootstrap_support.ts";
import {
  PARITY_CASES,
  PARITY_FIXTURE,
  PARITY_HANDLERS,
  type ParityAnswer,
  type ParityCase,
  reduceAnswer,
} from "./_parity_cases.ts";

const expected = JSON.parse(await Deno.readTextFile(PARITY_FIXTURE)) as Record<
  string,
  ParityAnswer
>;

async function viaLambdeno({ name, event, cold }: ParityCase): Promise<ParityAnswer> {
  await using b = await startBootstrap({
    handler: `parity.${name}`,
    handlersDir: PARITY_HANDLERS,
    timeoutMs: 3_000,
    env: {
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/test-function",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]parity",
    },
  });
  if (!cold) await b.server.invoke({ warm: true }).result;
  return await reduceAnswer(await b.server.invoke(event).result);
}

Deno.test("Lambdeno answers every differential case as Node 22's runtime did", async () => {
  // A few bootstraps at a time: each case needs its own handler.
  const answers: Record<string, ParityAnswer> = {};
  for (let i = 0; i < PARITY_CASES.length; i += 4) {
    const batch = PARITY_CASES.slice(i, i + 4);
    const results = await Promise.all(batch.map(viaLambdeno));
    batch.forEach(({ name }, n) => answers[name] = results[n]!);
  }
  deepEqual(answers, expected);
});
