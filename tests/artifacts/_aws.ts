// The example functions that call AWS (location, email), each built as it ships and run from its
// read-only artifact with only Lambda's variables and dummy credentials, calling a real
// S3-compatible server (s3rver on 127.0.0.1) through the AWS SDK's default credential chain, with
// the assertions of their tests in tests/examples/.
import { deepEqual, equal, match } from "node:assert/strict";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { HttpResult } from "../../src/http/mod.ts";
import { type ClientRequest, eventFor } from "../http/_events.ts";
import { asResponse } from "../http/_support.ts";
import { type LocalS3, startS3 } from "../examples/_s3.ts";
import type { Bootstrap } from "../runtime/_bootstrap_support.ts";
import { type ArtifactTest, exampleBuild, ROOT } from "./_artifact.ts";
import { invoke, json, Sandbox, startFunction, stopAndRead } from "./_sandbox.ts";

const BUCKET = "tracks";
// 2023-11-14 22:13:20 UTC.
const T0 = 1_700_000_000;

function post(body: unknown, who: { u?: string; d?: string } = { u: "ada", d: "phone" }) {
  const headers: [string, string][] = [["content-type", "application/json"]];
  if (who.u !== undefined) headers.push(["x-limit-u", who.u]);
  if (who.d !== undefined) headers.push(["x-limit-d", who.d]);
  return { method: "POST", path: "/", headers, body: JSON.stringify(body) };
}

function fix(tst: number, lat: number, lon: number) {
  return { _type: "location", lat, lon, tst, acc: 12, tid: "ap", batt: 80 };
}

async function keys(s3: LocalS3): Promise<string[]> {
  const listed = await s3.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((object) => object.Key ?? "");
}

async function read(s3: LocalS3, bucket: string, key: string): Promise<unknown> {
  const object = await s3.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString());
}

async function call(fn: Bootstrap, request: ClientRequest): Promise<Response> {
  return asResponse(json(await invoke(fn, eventFor("v2", request, "req-1"))) as HttpResult);
}

const location: ArtifactTest = {
  name: "location stores and reads points in S3 from its artifact, through the SDK",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await using s3 = await startS3(BUCKET);
    await using sandbox = await Sandbox.of(built, "location");
    const env = { LOCATION_BUCKET: BUCKET, S3_ENDPOINT: s3.endpoint };
    await t.step("a post is stored as its own object and as the latest point", async () => {
      await using fn = await startFunction(sandbox, { handler: "location.handler", env });
      const response = await call(fn, post(fix(T0, 48.8566, 2.3522)));
      equal(response.status, 200);
      deepEqual(await response.json(), []);
      const stored = {
        lat: 48.8566,
        lon: 2.3522,
        tst: T0,
        acc: 12,
        tid: "ap",
        batt: 80,
        user: "ada",
        device: "phone",
      };
      deepEqual(await read(s3, BUCKET, "tracks/ada/phone/2023-11-14/1700000000.json"), stored);
      deepEqual(await read(s3, BUCKET, "latest/ada/phone.json"), stored);

      await call(fn, post(fix(T0 - 60, 48.85, 2.34)));
      const last = await call(fn, { method: "GET", path: "/last", query: "user=ada&device=phone" });
      equal(last.status, 200);
      equal((await last.json()).tst, T0, "the newest point, though an older one came later");
      const track = await call(fn, {
        method: "GET",
        path: "/track",
        query: "user=ada&device=phone&date=2023-11-14",
      });
      equal(track.headers.get("content-type"), "application/geo+json");
      const [line] = (await track.json()).features;
      deepEqual(line.geometry, {
        type: "LineString",
        coordinates: [[2.34, 48.85], [2.3522, 48.8566]],
      });
    });
    await t.step("bad posts are 400 and store nothing; unknown devices 404", async () => {
      await using fn = await startFunction(sandbox, { handler: "location.handler", env });
      const before = await keys(s3);
      const invalid = await call(fn, post({ _type: "location", lat: 91, lon: "2", tst: 1.5 }));
      equal(invalid.status, 400);
      deepEqual((await invalid.json()).fields, ["lat", "lon", "tst"]);
      const noDevice = await call(fn, post(fix(T0, 1, 2), { u: "ada" }));
      equal(noDevice.status, 400);
      match((await noDevice.json()).error, /device missing/);
      deepEqual(await keys(s3), before);
      const query = "user=eve&device=phone";
      equal((await call(fn, { method: "GET", path: "/last", query })).status, 404);
      equal((await call(fn, { method: "GET", path: "/nope" })).status, 404);
      equal((await call(fn, { method: "GET", path: "/" })).status, 405);
    });
    await t.step("with LOCATION_SECRET, requests need it", async () => {
      await using fn = await startFunction(sandbox, {
        handler: "location.handler",
        env: { ...env, LOCATION_SECRET: "s3cret" },
      });
      const request = post(fix(T0 + 60, 1, 2));
      const denied = await call(fn, request);
      equal(denied.status, 401);
      equal(denied.headers.get("www-authenticate"), 'Basic realm="location"');
      const basic = [...request.headers, ["authorization", `Basic ${btoa("ada:s3cret")}`]];
      equal((await call(fn, { ...request, headers: basic as [string, string][] })).status, 200);
    });
  },
};

const EXAMPLES = `${ROOT}/tests/fixtures/examples`;
const MULTIPART_TEXT = "Bonjour,\n\nVoici le rapport de l'été en pièce jointe. Les ventes ont " +
  "augmenté de 12 % par rapport à l'an dernier, surtout grâce aux ventes en ligne.\n\n" +
  "Cordialement,\nÉloise\n";

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(`${EXAMPLES}/${name}`));
}

/** The `received` summaries a function logged, in order (see `stopAndRead`). */
async function summaries(fn: Bootstrap): Promise<Record<string, unknown>[]> {
  return (await stopAndRead(fn)).filter((line) => line.includes('{"received":')).map((line) =>
    JSON.parse(line.slice(line.indexOf('{"received":'))).received
  );
}

const email: ArtifactTest = {
  name: "email parses SES mail from its artifact, reading the stored body from S3",
  async fn(t: Deno.TestContext) {
    const built = await exampleBuild();
    await using sandbox = await Sandbox.of(built, "email");
    await t.step(
      "an SNS notification's raw message is parsed and logged without its body",
      async () => {
        await using fn = await startFunction(sandbox, { handler: "email.handler" });
        deepEqual(json(await invoke(fn, fixture("sns_email_event.json"))), [{
          messageId: "o3v8k2j6tq1p0c9a4b7d5e1f2g3h4i5j6k7l8m01",
          accepted: true,
          failed: [],
        }]);
        const malformed = await invoke(fn, { Records: [] });
        equal(malformed.kind, "error");
        if (malformed.kind === "error") {
          equal(malformed.error.errorType, "EventValidationError");
          match(malformed.error.errorMessage, /Records: Too small/i);
        }
        const [logged, ...more] = await summaries(fn);
        equal(logged?.subject, "Rapport mensuel – été 📊");
        equal(logged?.textLength, MULTIPART_TEXT.length);
        equal(logged !== undefined && "text" in logged, false);
        equal(more.length, 0);
      },
    );
    await t.step(
      "the Lambda action reads what an S3 action stored; a FAIL verdict stops",
      async () => {
        await using s3 = await startS3("inbound-mail");
        const sesEvent = fixture("ses_event.json") as { Records: { ses: { mail: Json } }[] };
        const messageId = sesEvent.Records[0]!.ses.mail.messageId;
        await s3.s3.send(
          new PutObjectCommand({
            Bucket: "inbound-mail",
            Key: `incoming/${messageId}`,
            Body: await Deno.readFile(`${EXAMPLES}/multipart.eml`),
          }),
        );
        await using fn = await startFunction(sandbox, {
          handler: "email.handler",
          env: {
            EMAIL_BUCKET: "inbound-mail",
            EMAIL_PREFIX: "incoming/",
            S3_ENDPOINT: s3.endpoint,
          },
        });
        deepEqual(json(await invoke(fn, sesEvent)), { disposition: "CONTINUE" });
        deepEqual(json(await invoke(fn, fixture("ses_spam_event.json"))), {
          disposition: "STOP_RULE",
        });
        const [logged, ...more] = await summaries(fn);
        equal(logged?.messageId, messageId);
        equal(logged?.textLength, MULTIPART_TEXT.length, "the body was read from S3");
        equal(logged?.hasContent, true);
        equal(more.length, 0, "the rejected message is not processed");
      },
    );
  },
};

type Json = Record<string, unknown>;

/** The tests, for `examples_test.ts` to run on one build. */
export const AWS_TESTS: readonly ArtifactTest[] = [location, email];
