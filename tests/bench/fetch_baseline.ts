/**
 * The baseline the runtime is measured against: the smallest Lambda runtime loop Deno can have,
 * written with `fetch()`. It echoes every event back, and does nothing else.
 *
 * @module
 */

const api = Deno.env.get("AWS_LAMBDA_RUNTIME_API");
const base = `http://${api}/2018-06-01/runtime/invocation`;
for (;;) {
  const next = await fetch(`${base}/next`);
  const id = next.headers.get("lambda-runtime-aws-request-id");
  const event = await next.json();
  const answer = await fetch(`${base}/${id}/response`, {
    method: "POST",
    body: JSON.stringify(event),
  });
  await answer.body?.cancel();
}
