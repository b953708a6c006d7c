// An invocation's log capture (`X-Amz-Log-Type: Tail`) ends with the request, however it ends.
import { equal, rejects } from "node:assert/strict";
import { invokeApi } from "../../src/emulator/front/invoke_api.ts";
import type { LambdaFunction } from "../../src/emulator/sandbox/lambda_function.ts";

Deno.test("invokeApi() finishes the log capture when the function cannot be invoked", async () => {
  // As a function closed while the request waited for a slot.
  const closed = {
    name: "closed",
    invoke: () => Promise.reject(new Error("Cannot invoke closed: the function is closed")),
  } as unknown as LambdaFunction;
  let started = 0;
  let finished = 0;
  const request = new Request("http://127.0.0.1/2015-03-31/functions/closed/invocations", {
    method: "POST",
    headers: { "x-amz-log-type": "Tail" },
    body: "{}",
  });
  await rejects(
    invokeApi(request, closed, {
      streaming: false,
      captureLog: () => {
        started++;
        return {
          finish: () => {
            finished++;
            return "";
          },
        };
      },
    }),
    /the function is closed/,
  );
  equal(started, 1);
  equal(finished, 1);
});
