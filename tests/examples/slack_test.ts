/**
 * handlers/slack.ts: Slack's v0 signature checked before anything is run, the timestamp window
 * both ways, and the `/echo` answers, through Function URL events.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  createSlackHandler,
  echoCommand,
  type SlackHandlerOptions,
  type SlashCommand,
} from "../../handlers/slack.ts";
import { hmacSha256, hmacSha256Key } from "../../src/crypto.ts";
import { httpHandler } from "../../src/http/mod.ts";
import { asResponse, captureErrors } from "../http/_support.ts";
import { fakeContext, fixtureText, functionUrlEvent, quietly } from "./_support.ts";

const SECRET = "3c1f7e2a9b5d4c8e0f6a1b2c3d4e5f60";
const NOW_S = 1_732_637_697;
const ECHO_BODY = fixtureText("slack_echo.txt");

async function sign(body: string, timestamp: number, secret = SECRET): Promise<string> {
  const mac = await hmacSha256(await hmacSha256Key(secret), `v0:${timestamp}:${body}`);
  return `v0=${mac.toHex()}`;
}

/** A handler whose command is a spy, and the commands it was asked to run. */
function spied(options: Partial<SlackHandlerOptions> = {}) {
  const ran: SlashCommand[] = [];
  const slack = createSlackHandler({
    secret: SECRET,
    now: () => NOW_S * 1000,
    run: (command) => {
      ran.push(command);
      return echoCommand(command);
    },
    ...options,
  });
  const handler = httpHandler(slack);
  const call = async (headers: Record<string, string>, body = ECHO_BODY) =>
    asResponse(
      await handler(
        functionUrlEvent("slack_function_url.json", {
          method: "POST",
          path: "/",
          headers,
          body,
          base64: true,
        }),
        fakeContext(),
      ),
    );
  return { ran, call };
}

Deno.test("slack answers a correctly signed command, through a Function URL", async () => {
  const { ran, call } = spied();
  const response = await call({
    "x-slack-request-timestamp": String(NOW_S),
    "x-slack-signature": await sign(ECHO_BODY, NOW_S),
  });
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  deepEqual(await response.json(), { response_type: "ephemeral", text: "You said: 94070" });
  deepEqual(ran, [{
    command: "/echo",
    text: "94070",
    userId: "U2147483697",
    userName: "Steve",
    channelId: "C2147483705",
    responseUrl: "https://hooks.slack.com/commands/1234/5678",
  }]);
});

Deno.test("slack verifies the example from Slack's documentation", async () => {
  const body = fixtureText("slack_docs_example.txt");
  const { ran, call } = spied({
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    now: () => 1531420618_000,
  });
  const response = await call({
    "x-slack-request-timestamp": "1531420618",
    "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
  }, body);
  equal(response.status, 200);
  equal(ran[0]?.command, "/webhook-collect");
  match((await response.json()).text, /repeats what you say/, "empty text → help");
});

Deno.test("slack accepts a timestamp just inside five minutes, either way", async () => {
  for (const skew of [-300, 300]) {
    const { ran, call } = spied();
    const timestamp = NOW_S + skew;
    const response = await call({
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": await sign(ECHO_BODY, timestamp),
    });
    equal(response.status, 200, `skew ${skew}`);
    equal(ran.length, 1);
  }
});

Deno.test("slack refuses bad signatures and stale timestamps with 401, running nothing", async () => {
  const good = await sign(ECHO_BODY, NOW_S);
  const cases: [string, Record<string, string>][] = [
    ["no headers", {}],
    ["no signature", { "x-slack-request-timestamp": String(NOW_S) }],
    ["no timestamp", { "x-slack-signature": good }],
    ["wrong secret", {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": await sign(ECHO_BODY, NOW_S, "another-secret"),
    }],
    ["one byte off", {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": good.slice(0, -1) + (good.endsWith("0") ? "1" : "0"),
    }],
    ["truncated", {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": good.slice(0, 40),
    }],
    ["upper-case scheme", {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": good.replace("v0=", "V0="),
    }],
    ["v1 scheme", {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": good.replace("v0=", "v1="),
    }],
    ["signed for another timestamp", {
      "x-slack-request-timestamp": String(NOW_S + 1),
      "x-slack-signature": good,
    }],
    ["6 minutes old", {
      "x-slack-request-timestamp": String(NOW_S - 360),
      "x-slack-signature": await sign(ECHO_BODY, NOW_S - 360),
    }],
    ["6 minutes in the future", {
      "x-slack-request-timestamp": String(NOW_S + 360),
      "x-slack-signature": await sign(ECHO_BODY, NOW_S + 360),
    }],
    ["timestamp not a number", {
      "x-slack-request-timestamp": `${NOW_S}.5`,
      "x-slack-signature": await sign(ECHO_BODY, NOW_S),
    }],
  ];
  for (const [name, headers] of cases) {
    const { ran, call } = spied();
    const response = await quietly(() => call(headers));
    equal(response.status, 401, name);
    deepEqual(await response.json(), { error: "Unauthorized" }, name);
    equal(ran.length, 0, `${name}: the command must not run`);
  }
});

Deno.test("slack refuses a body changed after signing", async () => {
  const { ran, call } = spied();
  const signature = await sign(ECHO_BODY, NOW_S);
  const response = await quietly(() =>
    call({
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": signature,
    }, ECHO_BODY.replace("text=94070", "text=public%20pwned"))
  );
  equal(response.status, 401);
  equal(ran.length, 0);
});

Deno.test("slack answers 400 to a signed body that is not a slash command", async () => {
  const { ran, call } = spied();
  const body = "command=echo&text=hi";
  const response = await call({
    "x-slack-request-timestamp": String(NOW_S),
    "x-slack-signature": await sign(body, NOW_S),
  }, body);
  equal(response.status, 400);
  match((await response.json()).error, /command, user_id, user_name, channel_id, response_url/);
  equal(ran.length, 0);
});

Deno.test("slack without a signing secret logs once and answers 500", async () => {
  let slack: ((request: Request) => Promise<Response>) | undefined;
  const logged = await captureErrors(() => {
    slack = createSlackHandler({ secret: undefined });
    return Promise.resolve();
  });
  equal(logged.length, 1);
  match(String(logged[0]?.[0]), /SLACK_SIGNING_SECRET is not set/);
  const response = await slack!(new Request("http://localhost/", { method: "POST", body: "" }));
  equal(response.status, 500);
  match((await response.json()).error, /signing secret is not configured/);
});

Deno.test("slack refuses methods other than POST", async () => {
  const slack = createSlackHandler({ secret: SECRET });
  const response = await slack(new Request("http://localhost/"));
  equal(response.status, 405);
  equal(response.headers.get("allow"), "POST");
});

Deno.test("echoCommand() explains itself on help and on nothing", () => {
  const base = {
    command: "/echo",
    userId: "U1",
    userName: "ada",
    channelId: "C1",
    responseUrl: "https://hooks.slack.com/commands/1/2",
  };
  for (const text of ["help", "  HELP ", ""]) {
    const message = echoCommand({ ...base, text });
    equal(message.response_type, "ephemeral", text);
    ok(message.text.includes("`/echo public some text`"), text);
  }
});

Deno.test("echoCommand() posts in the channel on public, escaping mentions", () => {
  const message = echoCommand({
    command: "/echo",
    text: "public hello <!channel> & <@U999>",
    userId: "U2147483697",
    userName: "Steve",
    channelId: "C1",
    responseUrl: "https://hooks.slack.com/commands/1/2",
  });
  deepEqual(message, {
    response_type: "in_channel",
    text: "<@U2147483697> says: hello &lt;!channel&gt; &amp; &lt;@U999&gt;",
  });
  equal(
    echoCommand({
      ...message,
      command: "/echo",
      text: "public",
      userId: "U1",
      userName: "a",
      channelId: "C",
      responseUrl: "",
    }).text,
    "You said: public",
  );
});
