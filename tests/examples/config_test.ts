// The build imports each handler module and reads its `config`: the examples must pass it,
// and carry what they need to run once deployed.
import { deepEqual, equal } from "node:assert/strict";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import type { FunctionConfig } from "../../src/handler_config.ts";

async function configOf(name: string): Promise<FunctionConfig | undefined> {
  const exports = await import(`../../handlers/${name}.ts`) as Record<string, unknown>;
  return functionsOf(name, exports).find((spec) => spec.exportName === "handler")?.config;
}

Deno.test("the example functions deploy as the build reads them", async () => {
  equal((await configOf("site"))?.url, "buffered");
  deepEqual((await configOf("site"))?.assets, ["public/"]);
  equal((await configOf("slack"))?.url, "buffered");
  equal((await configOf("github"))?.url, "buffered");
  equal((await configOf("location"))?.url, "buffered");
  const scheduled = await configOf("scheduled");
  equal(scheduled?.timeout, 60);
  equal(scheduled?.description, "Checks a list of URLs on a schedule");
  equal(scheduled?.url, undefined);
});

Deno.test("the examples' secrets are deploy-time NoEcho parameters", async () => {
  deepEqual((await configOf("slack"))?.environment?.SLACK_SIGNING_SECRET, {
    secret: true,
    description: "The Slack app's signing secret (Basic Information > App Credentials)",
  });
  const github = (await configOf("github"))?.environment?.GITHUB_WEBHOOK_SECRET;
  equal(typeof github === "object" && github.secret, true);
});

Deno.test("the location example names its bucket and may read and write it", async () => {
  const location = await configOf("location");
  const bucket = location?.environment?.LOCATION_BUCKET;
  equal(typeof bucket === "object" && bucket.secret === undefined, true);
  deepEqual(location?.policies, [{ S3CrudPolicy: { BucketName: { Ref: "LocationBucket" } } }]);
});

Deno.test("the scheduled example runs on a schedule", async () => {
  const events = (await configOf("scheduled"))?.events ?? {};
  deepEqual(Object.values(events).map((e) => e.type), ["Schedule"]);
});

Deno.test("the location example cannot be deployed without its password", async () => {
  // Its Function URL shares UrlAuthType with Slack's and GitHub's, which must be NONE: without a
  // password, anyone could read and write every user's location history.
  const secret = (await configOf("location"))?.environment?.LOCATION_SECRET;
  equal(typeof secret === "object" && secret.secret, true);
  equal(typeof secret === "object" && secret.default, undefined);
});
