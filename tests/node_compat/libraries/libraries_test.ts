/**
 * The libraries Lambda users deploy on Node.js, run unchanged through the real bootstrap on API
 * Gateway REST and HTTP API events: one bootstrap per library serves all its requests, and each
 * answer must be the one AWS's Node.js runtime client gave on Node 22 for the same handler file
 * and event (recorded by `../differential.ts --libraries`).
 */

import { deepEqual } from "node:assert/strict";
import { startBootstrap } from "../../runtime/_bootstrap_support.ts";
import {
  LIBRARIES,
  LIBRARY_FIXTURE,
  LIBRARY_HANDLERS,
  type LibraryAnswer,
  libraryEvent,
  reduceLibraryAnswer,
  requestId,
  requestName,
} from "./_cases.ts";

const node22 = JSON.parse(await Deno.readTextFile(LIBRARY_FIXTURE)) as Record<
  string,
  Record<string, LibraryAnswer>
>;

for (const library of LIBRARIES) {
  Deno.test(`${library.name} answers every request as on Node 22`, async () => {
    await using b = await startBootstrap({
      handler: library.handler,
      handlersDir: LIBRARY_HANDLERS,
      env: { AWS_LAMBDA_FUNCTION_VERSION: "$LATEST" },
    });
    const answers: Record<string, LibraryAnswer> = {};
    for (const [n, request] of library.requests.entries()) {
      const result = await b.invoke(libraryEvent(request), { requestId: requestId(n) });
      answers[requestName(request)] = reduceLibraryAnswer(result);
    }
    deepEqual(answers, node22[library.name]);
  });
}
