/**
 * handlers/github.ts: `X-Hub-Signature-256` checked over the raw body before anything is
 * parsed, the three handled events summarized, others acknowledged, bad payloads named.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  createGitHubHandler,
  type DeliverySummary,
  type GitHubHandlerOptions,
} from "../../handlers/github.ts";
import { hmacSha256, hmacSha256Key } from "../../src/crypto.ts";
import { httpHandler } from "../../src/http/mod.ts";
import { asResponse, captureErrors } from "../http/_support.ts";
import { fakeContext, fixtureText, functionUrlEvent, quietly } from "./_support.ts";

const SECRET = "whsec-7d1c0a9b8e2f4a6c";
const DELIVERY = "f1e2d3c4-abcd-11ef-8e2a-7b9c0d1e2f3a";

async function sign(body: string | Uint8Array, secret = SECRET): Promise<string> {
  return `sha256=${(await hmacSha256(await hmacSha256Key(secret), body)).toHex()}`;
}

function setup(options: Partial<GitHubHandlerOptions> = {}) {
  const delivered: DeliverySummary[] = [];
  const handler = httpHandler(
    createGitHubHandler({ secret: SECRET, onDelivery: (s) => void delivered.push(s), ...options }),
  );
  const deliver = async (
    event: string,
    body: string,
    headers: Record<string, string> = {},
    base64 = false,
  ) =>
    asResponse(
      await handler(
        functionUrlEvent("github_function_url.json", {
          method: "POST",
          path: "/",
          headers: { "x-github-event": event, ...headers },
          body,
          base64,
        }),
        fakeContext(),
      ),
    );
  return { delivered, deliver };
}

Deno.test("github answers a signed ping with the zen and hook id", async () => {
  const { delivered, deliver } = setup();
  const body = fixtureText("github_ping.json");
  const response = await deliver("ping", body, { "x-hub-signature-256": await sign(body) });
  equal(response.status, 200);
  const summary = {
    event: "ping",
    delivery: DELIVERY,
    hookId: 512345678,
    zen: "Design for failure.",
  };
  deepEqual(await response.json(), summary);
  deepEqual(delivered, [summary]);
});

Deno.test("github summarizes a push: repository, ref, commit count, head commit", async () => {
  const { deliver } = setup();
  const body = fixtureText("github_push.json");
  const response = await deliver("push", body, { "x-hub-signature-256": await sign(body) });
  equal(response.status, 200);
  deepEqual(await response.json(), {
    event: "push",
    delivery: DELIVERY,
    repository: "octo-org/lambda-site",
    ref: "refs/heads/main",
    commits: 2,
    headCommit: "Serve brotli when the client accepts it\n\nThe variants are cached per file.",
    pusher: "octocat",
    deleted: false,
  });
});

Deno.test("github summarizes a branch deletion, whose head commit is null", async () => {
  const { deliver } = setup();
  const payload = JSON.parse(fixtureText("github_push.json"));
  Object.assign(payload, {
    ref: "refs/heads/brotli",
    deleted: true,
    commits: [],
    head_commit: null,
  });
  const body = JSON.stringify(payload);
  const summary = await (await deliver("push", body, { "x-hub-signature-256": await sign(body) }))
    .json();
  equal(summary.headCommit, null);
  equal(summary.commits, 0);
  equal(summary.deleted, true);
});

Deno.test("github summarizes a merged pull request", async () => {
  const { deliver } = setup();
  const body = fixtureText("github_pull_request.json");
  const response = await deliver("pull_request", body, { "x-hub-signature-256": await sign(body) });
  equal(response.status, 200);
  deepEqual(await response.json(), {
    event: "pull_request",
    delivery: DELIVERY,
    repository: "octo-org/lambda-site",
    action: "closed",
    number: 42,
    title: "Serve <b>brotli</b> & gzip",
    author: "octocat",
    merged: true,
  });
});

Deno.test("github reads a form-encoded delivery, signed over the form", async () => {
  const { deliver } = setup();
  const body = new URLSearchParams({ payload: fixtureText("github_ping.json") }).toString();
  const response = await deliver("ping", body, {
    "content-type": "application/x-www-form-urlencoded",
    "x-hub-signature-256": await sign(body),
  }, true);
  equal(response.status, 200);
  equal((await response.json()).hookId, 512345678);
});

Deno.test("github checks the signature over the raw UTF-8 bytes", async () => {
  const { deliver } = setup();
  const payload = JSON.parse(fixtureText("github_push.json"));
  payload.head_commit.message = "Grüße 🚀 and ünïcödé";
  const body = JSON.stringify(payload);
  const response = await deliver("push", body, { "x-hub-signature-256": await sign(body) }, true);
  equal(response.status, 200);
  equal((await response.json()).headCommit, "Grüße 🚀 and ünïcödé");
});

Deno.test("github refuses missing and wrong signatures with 401, processing nothing", async () => {
  const body = fixtureText("github_push.json");
  const good = await sign(body);
  const cases: [string, Record<string, string>, string?][] = [
    ["no signature", {}],
    ["empty", { "x-hub-signature-256": "" }],
    ["wrong secret", { "x-hub-signature-256": await sign(body, "not-the-secret") }],
    ["sha1 header only", { "x-hub-signature": "sha1=" + "0".repeat(40) }],
    ["no prefix", { "x-hub-signature-256": good.slice("sha256=".length) }],
    ["upper-case hex", { "x-hub-signature-256": `sha256=${good.slice(7).toUpperCase()}` }],
    ["truncated", { "x-hub-signature-256": good.slice(0, -2) }],
    ["body changed", { "x-hub-signature-256": good }, body.replace('"commits"', '"commitz"')],
  ];
  for (const [name, headers, sent = body] of cases) {
    const { delivered, deliver } = setup();
    const response = await quietly(() => deliver("push", sent, headers));
    equal(response.status, 401, name);
    deepEqual(await response.json(), { error: "Unauthorized" }, name);
    equal(delivered.length, 0, name);
  }
});

Deno.test("github acknowledges other events with 202, once signed", async () => {
  const { delivered, deliver } = setup();
  const body = JSON.stringify({ action: "created", starred_at: "2024-11-26T16:30:00Z" });
  const response = await deliver("star", body, { "x-hub-signature-256": await sign(body) });
  equal(response.status, 202);
  deepEqual(await response.json(), {
    ignored: "star",
    delivery: DELIVERY,
    message: "Event star is not handled",
  });
  equal(delivered.length, 0);
  const unsigned = await quietly(() => deliver("star", body));
  equal(unsigned.status, 401, "the signature comes first, whatever the event");
});

Deno.test("github answers 400 naming every failing field of an invalid payload", async () => {
  const { delivered, deliver } = setup();
  const payload = JSON.parse(fixtureText("github_pull_request.json"));
  payload.number = "42";
  delete payload.pull_request.title;
  payload.pull_request.user = null;
  const body = JSON.stringify(payload);
  const response = await deliver("pull_request", body, { "x-hub-signature-256": await sign(body) });
  equal(response.status, 400);
  const answer = await response.json();
  equal(answer.error, "Invalid pull_request payload");
  deepEqual(answer.issues.map((i: { path: string }) => i.path), [
    "number",
    "pull_request.title",
    "pull_request.user",
  ]);
  match(answer.issues[0].message, /expected number, received string/);
  equal(delivered.length, 0);
});

Deno.test("github answers 400 to a body that is not JSON, or no event header", async () => {
  const { deliver } = setup();
  const body = "{not json";
  const notJson = await deliver("push", body, { "x-hub-signature-256": await sign(body) });
  equal(notJson.status, 400);
  match((await notJson.json()).error, /not a JSON payload/);

  const handler = createGitHubHandler({ secret: SECRET });
  const ok = fixtureText("github_ping.json");
  const noEvent = await handler(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "x-hub-signature-256": await sign(ok) },
      body: ok,
    }),
  );
  equal(noEvent.status, 400);
  match((await noEvent.json()).error, /X-GitHub-Event/);
});

Deno.test("github without a secret logs once and answers 500", async () => {
  let github: ((request: Request) => Promise<Response>) | undefined;
  const logged = await captureErrors(() => {
    github = createGitHubHandler({ secret: "" });
    return Promise.resolve();
  });
  equal(logged.length, 1);
  match(String(logged[0]?.[0]), /GITHUB_WEBHOOK_SECRET is not set/);
  const response = await github!(new Request("http://localhost/", { method: "POST", body: "{}" }));
  equal(response.status, 500);
  ok((await response.text()).includes("not configured"));
});

Deno.test("github answers a replayed delivery id without processing it again", async () => {
  const { delivered, deliver } = setup();
  const body = fixtureText("github_push.json");
  const headers = { "x-hub-signature-256": await sign(body) };
  equal((await deliver("push", body, headers)).status, 200);
  const replay = await deliver("push", body, headers);
  equal(replay.status, 200);
  deepEqual(await replay.json(), {
    duplicate: true,
    delivery: DELIVERY,
    message: "This delivery was already processed",
  });
  equal(delivered.length, 1);
  const next = body.replace('"commits"', '"created": false, "commits"');
  const other = {
    "x-hub-signature-256": await sign(next),
    "x-github-delivery": "0a1b2c3d-abcd-11ef-8e2a-7b9c0d1e2f3a",
  };
  equal((await deliver("push", next, other)).status, 200);
  equal(delivered.length, 2, "another delivery is processed");
});

Deno.test("github processes a delivery again when its first attempt failed", async () => {
  let calls = 0;
  const { deliver } = setup({
    onDelivery: () => {
      calls++;
      if (calls === 1) throw new Error("downstream unavailable");
    },
  });
  const body = fixtureText("github_ping.json");
  const headers = { "x-hub-signature-256": await sign(body) };
  let first: Response | undefined;
  await captureErrors(async () => void (first = await deliver("ping", body, headers)));
  equal(first?.status, 500);
  equal((await deliver("ping", body, headers)).status, 200);
  equal(calls, 2);
  const invalid = JSON.stringify({ zen: 1, hook_id: 1 });
  const invalidHeaders = {
    "x-hub-signature-256": await sign(invalid),
    "x-github-delivery": "bad-1",
  };
  equal((await deliver("ping", invalid, invalidHeaders)).status, 400);
  equal((await deliver("ping", invalid, invalidHeaders)).status, 400, "a 400 is not remembered");
});

Deno.test("github answers a replay whose delivery id was changed without processing it", async () => {
  // The signature covers the body only, so a replayed body can come with any delivery id.
  const { delivered, deliver } = setup();
  const body = fixtureText("github_push.json");
  const signature = await sign(body);
  equal((await deliver("push", body, { "x-hub-signature-256": signature })).status, 200);
  const forged = { "x-hub-signature-256": signature, "x-github-delivery": "forged-1" };
  const replay = await deliver("push", body, forged);
  equal(replay.status, 200);
  equal((await replay.json()).duplicate, true);
  equal(delivered.length, 1);
});

Deno.test("github remembers only the most recent deliveries", async () => {
  const { delivered, deliver } = setup({ rememberDeliveries: 2 });
  const send = async (id: string) => {
    const body = JSON.stringify({ zen: `Ping ${id}.`, hook_id: 1 });
    const headers = { "x-hub-signature-256": await sign(body), "x-github-delivery": id };
    return await deliver("ping", body, headers);
  };
  for (const id of ["a", "b", "c"]) equal((await send(id)).status, 200);
  equal((await (await send("c")).json()).duplicate, true);
  equal((await (await send("b")).json()).duplicate, true);
  equal(delivered.length, 3);
  equal((await (await send("a")).json()).duplicate, undefined, "the oldest id was forgotten");
  equal(delivered.length, 4);
});

Deno.test("github answers 409 to a copy of a delivery that is still being processed", async () => {
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  let calls = 0;
  const { deliver } = setup({
    onDelivery: async () => {
      calls++;
      await held;
    },
  });
  const body = fixtureText("github_ping.json");
  const headers = { "x-hub-signature-256": await sign(body) };
  const first = deliver("ping", body, headers);
  const copy = await deliver("ping", body, headers);
  equal(copy.status, 409);
  release();
  equal((await first).status, 200);
  equal(calls, 1);
});
