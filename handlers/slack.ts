/**
 * A Slack slash command, `/echo`, behind a Function URL. Each request is checked against
 * Slack's v0 signature (HMAC-SHA256 of `v0:{timestamp}:{body}` under the app's signing secret,
 * env `SLACK_SIGNING_SECRET`) and its timestamp (at most five minutes away from now, either
 * way) before anything in it is read; then the command answers with a JSON message:
 *
 * - `/echo help` (or nothing): the usage, visible only to the caller;
 * - `/echo some text`: the text back, visible only to the caller (`ephemeral`);
 * - `/echo public some text`: the text posted in the channel (`in_channel`).
 *
 * Slack waits three seconds for the answer; longer work should answer at once and post the
 * result to the command's `response_url` later.
 *
 * @module
 */

import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import { hmacSha256, hmacSha256Key, timingSafeEqual } from "../src/crypto.ts";
import { httpHandler } from "../src/http/mod.ts";

/** A slash command, as Slack posts it (the fields this function uses). */
export interface SlashCommand {
  /** The command typed, with its slash: `/echo`. */
  readonly command: string;
  /** What followed the command, possibly empty. */
  readonly text: string;
  readonly userId: string;
  readonly userName: string;
  readonly channelId: string;
  /** Where to post further messages, for up to 30 minutes. */
  readonly responseUrl: string;
}

/** The answer to a slash command. */
export interface SlackMessage {
  /** `ephemeral`: only the caller sees it; `in_channel`: everyone in the channel does. */
  readonly response_type: "ephemeral" | "in_channel";
  /** The message, in Slack's mrkdwn. */
  readonly text: string;
}

/** Runs a verified command. */
export type CommandRunner = (command: SlashCommand) => SlackMessage | Promise<SlackMessage>;

/** Options for {@linkcode createSlackHandler}. */
export interface SlackHandlerOptions {
  /** The app's signing secret; when missing every request is answered 500. */
  readonly secret: string | undefined;
  /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** What to do with a verified command. Defaults to {@linkcode echoCommand}. */
  readonly run?: CommandRunner;
}

/** How far a request's timestamp may be from now, either way: Slack's recommendation. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const FormSchema = z.object({
  command: z.string().startsWith("/"),
  text: z.string(),
  user_id: z.string().min(1),
  user_name: z.string(),
  channel_id: z.string().min(1),
  response_url: z.url({ protocol: /^https$/ }),
});

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * Makes the slash command's request handler.
 *
 * @example Answer a signed request
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hmacSha256, hmacSha256Key } from "../src/crypto.ts";
 * import { createSlackHandler } from "./slack.ts";
 *
 * const secret = "8f742231b10e8888abcd99yyyzzz85a5";
 * const slack = createSlackHandler({ secret, now: () => 1_531_420_618_000 });
 * const body = "command=%2Fecho&text=hi&user_id=U1&user_name=ada&channel_id=C1" +
 *   "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2%2F3";
 * const mac = await hmacSha256(await hmacSha256Key(secret), `v0:1531420618:${body}`);
 * const response = await slack(new Request("https://example.com/", {
 *   method: "POST",
 *   headers: { "x-slack-request-timestamp": "1531420618", "x-slack-signature": `v0=${mac.toHex()}` },
 *   body,
 * }));
 * equal((await response.json()).text, "You said: hi");
 * ```
 *
 * @param options The signing secret, the clock and the command.
 * @returns A fetch handler, for `Deno.serve` or {@linkcode httpHandler}.
 */
export function createSlackHandler(
  options: SlackHandlerOptions,
): (request: Request) => Promise<Response> {
  const { secret, now = Date.now, run = echoCommand } = options;
  if (secret === undefined || secret === "") {
    console.error(
      "Cannot verify Slack requests: SLACK_SIGNING_SECRET is not set; every request will be " +
        "answered 500. Set it to the Signing Secret from your Slack app's Basic Information page.",
    );
    return () =>
      Promise.resolve(_json(500, { error: "The Slack signing secret is not configured" }));
  }
  // Imported once: the key is the slow part of computing a MAC.
  const key = hmacSha256Key(secret);

  return async (request) => {
    if (request.method !== "POST") {
      return new Response("Method Not Allowed\n", { status: 405, headers: { allow: "POST" } });
    }
    const body = await request.text();
    const refusal = await _verify(request.headers, body, await key, now());
    if (refusal !== undefined) {
      console.warn(`Refused a Slack request: ${refusal}`);
      return _json(401, { error: "Unauthorized" });
    }
    const form = FormSchema.safeParse(Object.fromEntries(new URLSearchParams(body)));
    if (!form.success) {
      const fields = form.error.issues.map((issue) => issue.path.join(".")).join(", ");
      return _json(400, { error: `Not a slash command: check ${fields}` });
    }
    const f = form.data;
    const message = await run({
      command: f.command,
      text: f.text,
      userId: f.user_id,
      userName: f.user_name,
      channelId: f.channel_id,
      responseUrl: f.response_url,
    });
    return _json(200, message);
  };
}

/**
 * The `/echo` command: help, a private echo, or a public one.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { echoCommand } from "./slack.ts";
 *
 * const base = { command: "/echo", userId: "U1", userName: "ada", channelId: "C1", responseUrl: "" };
 * deepEqual(echoCommand({ ...base, text: "public <b>hi</b>" }), {
 *   response_type: "in_channel",
 *   text: "<@U1> says: &lt;b&gt;hi&lt;/b&gt;",
 * });
 * ```
 *
 * @param command The verified command.
 * @returns The answer.
 */
export function echoCommand(command: SlashCommand): SlackMessage {
  const text = command.text.trim();
  const [first = "", ...rest] = text.split(/\s+/);
  if (text === "" || first.toLowerCase() === "help") {
    return {
      response_type: "ephemeral",
      text: [
        `*${command.command}* repeats what you say.`,
        `• \`${command.command} some text\`: says it back to you alone`,
        `• \`${command.command} public some text\`: says it to the whole channel`,
        `• \`${command.command} help\`: this message`,
      ].join("\n"),
    };
  }
  if (first.toLowerCase() === "public" && rest.length > 0) {
    return {
      response_type: "in_channel",
      text: `<@${command.userId}> says: ${_escape(text.slice(first.length).trim())}`,
    };
  }
  return { response_type: "ephemeral", text: `You said: ${_escape(text)}` };
}

/** The slash command with the signing secret from the environment. */
export const slack: (request: Request) => Promise<Response> = createSlackHandler({
  secret: Deno.env.get("SLACK_SIGNING_SECRET"),
});

/** The Lambda handler: {@linkcode slack} behind the HTTP adapter. */
export const handler = httpHandler(slack);

/** Deployed behind a Function URL, which Slack calls, with the signing secret given at deploy. */
export const config = {
  handler: {
    url: "buffered",
    environment: {
      SLACK_SIGNING_SECRET: {
        secret: true,
        description: "The Slack app's signing secret (Basic Information > App Credentials)",
      },
    },
  },
} satisfies HandlerConfig;

/** Lets `deno serve handlers/slack.ts` run the same handler locally. */
export default { fetch: slack } satisfies Deno.ServeDefaultExport;

async function _verify(
  headers: Headers,
  body: string,
  key: CryptoKey,
  nowMs: number,
): Promise<string | undefined> {
  const timestamp = headers.get("x-slack-request-timestamp");
  const signature = headers.get("x-slack-signature");
  if (timestamp === null || signature === null) return "a signature header is missing";
  if (!/^\d{1,12}$/.test(timestamp)) return "the timestamp is not a number of seconds";
  // Both ways: a request from the future is as suspect as a replayed old one.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return "the timestamp is more than five minutes from now";
  }
  const sent = /^v0=([0-9a-f]{64})$/.exec(signature)?.[1];
  if (sent === undefined) return "the signature is not v0 and 64 hex digits";
  const expected = await hmacSha256(key, `v0:${timestamp}:${body}`);
  return timingSafeEqual(expected, Uint8Array.fromHex(sent)) ? undefined : "the signature is wrong";
}

function _escape(text: string): string {
  // The three characters Slack's mrkdwn wants escaped, so no one can @-mention the channel
  // through the bot.
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function _json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: JSON_HEADERS });
}
