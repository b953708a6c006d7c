// Modules written for Lambda's Node.js runtime, built as they ship and run from their read-only
// artifacts with only Lambda's variables: the same cases as from source
// (tests/node_compat/node_style_test.ts), the AWS SDK and Powertools calling local services.
import { NODE_STYLE_CASES, NODE_STYLE_DIR, startLocalAws } from "../node_compat/_node_style.ts";
import { CAN_RUN, sharedBuild, userProject } from "./_artifact.ts";
import { invoke, Sandbox, startFunction } from "./_sandbox.ts";

Deno.test({
  name: "Node-style modules build, and run from their artifacts as on Node.js's runtime",
  ignore: !CAN_RUN,
  async fn(t) {
    const built = await sharedBuild(await userProject(NODE_STYLE_DIR), [
      "--layer",
      "--arch",
      "x86_64",
    ]);
    await using aws = await startLocalAws();
    for (const c of NODE_STYLE_CASES) {
      await t.step(c.name, async () => {
        await using sandbox = await Sandbox.of(built, c.handler.slice(0, c.handler.indexOf(".")));
        await using fn = await startFunction(sandbox, { handler: c.handler, env: aws.env });
        await c.check((event) => invoke(fn, event), aws);
      });
    }
  },
});
