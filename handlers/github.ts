/**
 * A GitHub webhook receiver behind a Function URL. Each delivery is checked against its
 * `X-Hub-Signature-256` (`sha256=` and the hex HMAC-SHA256 of the raw body under the webhook's
 * secret, env `GITHUB_WEBHOOK_SECRET`) before its body is parsed; then `ping`, `push` and
 * `pull_request` deliveries are validated and answered with a JSON summary, which GitHub shows
 * under the hook's "Recent Deliveries". Other events are acknowledged with a `202` that says
 * they were ignored, so GitHub does not count them as failures.
 *
 * A delivery whose `X-GitHub-Delivery` id or signature this instance recently processed (a
 * replay, or a redelivery of one that already succeeded) is answered 200 with
 * `duplicate: true` and not processed again; one still being processed is answered 409. The
 * memory holds the last {@linkcode GitHubHandlerOptions.rememberDeliveries} deliveries of one
 * runtime instance.
 *
 * The webhook may send `application/json` or `application/x-www-form-urlencoded` (the payload
 * in a `payload` field); both are read.
 *
 * @module
 */

import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import { hmacSha256Key, verifyHmacSha256Hex } from "../src/crypto.ts";
import { flattenIssues } from "../src/events/errors.ts";
import { httpHandler } from "../src/http/mod.ts";
import { type IdState, RecentIds } from "./_lib/recent_ids.ts";

const Repository = z.looseObject({ full_name: z.string() });
const Commit = z.looseObject({ id: z.string(), message: z.string() });

/** The fields of a `ping` delivery this function reads. */
export const PingPayloadSchema = z.looseObject({
  zen: z.string(),
  hook_id: z.number().int(),
  repository: Repository.optional(),
});

/** The fields of a `push` delivery this function reads. */
export const PushPayloadSchema = z.looseObject({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  repository: Repository,
  pusher: z.looseObject({ name: z.string() }),
  commits: z.array(Commit),
  // null when the push deletes a branch.
  head_commit: Commit.nullable(),
});

/** The fields of a `pull_request` delivery this function reads. */
export const PullRequestPayloadSchema = z.looseObject({
  action: z.string(),
  number: z.number().int().positive(),
  repository: Repository,
  pull_request: z.looseObject({
    title: z.string(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullish(),
    html_url: z.string(),
    user: z.looseObject({ login: z.string() }),
  }),
});

/** What the function answers for a handled delivery. */
export type DeliverySummary =
  | {
    readonly event: "ping";
    readonly delivery: string | null;
    readonly hookId: number;
    readonly zen: string;
  }
  | {
    readonly event: "push";
    readonly delivery: string | null;
    readonly repository: string;
    readonly ref: string;
    readonly commits: number;
    readonly headCommit: string | null;
    readonly pusher: string;
    readonly deleted: boolean;
  }
  | {
    readonly event: "pull_request";
    readonly delivery: string | null;
    readonly repository: string;
    readonly action: string;
    readonly number: number;
    readonly title: string;
    readonly author: string;
    readonly merged: boolean;
  };

/** Options for {@linkcode createGitHubHandler}. */
export interface GitHubHandlerOptions {
  /** The webhook's secret; when missing every delivery is answered 500. */
  readonly secret: string | undefined;
  /** Called with each verified, valid delivery before it is answered. */
  readonly onDelivery?: (summary: DeliverySummary) => void | Promise<void>;
  /** How many recent deliveries to remember and refuse to process twice; 1000 by default. */
  readonly rememberDeliveries?: number;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Makes the webhook's request handler.
 *
 * @example Answer a signed ping
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hmacSha256, hmacSha256Key } from "../src/crypto.ts";
 * import { createGitHubHandler } from "./github.ts";
 *
 * const github = createGitHubHandler({ secret: "s3cret" });
 * const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
 * const mac = await hmacSha256(await hmacSha256Key("s3cret"), body);
 * const response = await github(new Request("https://example.com/", {
 *   method: "POST",
 *   headers: { "x-github-event": "ping", "x-hub-signature-256": `sha256=${mac.toHex()}` },
 *   body,
 * }));
 * equal((await response.json()).zen, "Keep it logically awesome.");
 * ```
 *
 * @param options The webhook secret, and what to do with each delivery.
 * @returns A fetch handler, for `Deno.serve` or {@linkcode httpHandler}.
 */
export function createGitHubHandler(
  options: GitHubHandlerOptions,
): (request: Request) => Promise<Response> {
  const { secret, onDelivery } = options;
  if (secret === undefined || secret === "") {
    console.error(
      "Cannot verify GitHub deliveries: GITHUB_WEBHOOK_SECRET is not set; every delivery will " +
        "be answered 500. Set it to the secret given in the webhook's settings.",
    );
    return () =>
      Promise.resolve(_json(500, { error: "The GitHub webhook secret is not configured" }));
  }
  const key = hmacSha256Key(secret);
  // Two keys per delivery: its id and its signature.
  const recent = new RecentIds(2 * (options.rememberDeliveries ?? 1000));

  return async (request) => {
    if (request.method !== "POST") {
      return new Response("Method Not Allowed\n", { status: 405, headers: { allow: "POST" } });
    }
    // The MAC covers the bytes as sent, so they are checked before being decoded.
    const body = new Uint8Array(await request.arrayBuffer());
    const signature = /^sha256=([0-9a-f]{64})$/.exec(
      request.headers.get("x-hub-signature-256") ?? "",
    )?.[1];
    if (signature === undefined || !(await verifyHmacSha256Hex(await key, body, signature))) {
      console.warn("Refused a GitHub delivery: missing or wrong X-Hub-Signature-256");
      return _json(401, { error: "Unauthorized" });
    }

    const event = request.headers.get("x-github-event");
    const delivery = request.headers.get("x-github-delivery");
    if (event === null) return _json(400, { error: "The X-GitHub-Event header is missing" });
    if (event !== "ping" && event !== "push" && event !== "pull_request") {
      return _json(202, { ignored: event, delivery, message: `Event ${event} is not handled` });
    }

    let payload: unknown;
    try {
      payload = _payload(body, request.headers.get("content-type"));
    } catch (error) {
      return _json(400, { error: `The body is not a JSON payload: ${_message(error)}` });
    }
    const summary = _summarize(event, delivery, payload);
    if ("issues" in summary) {
      return _json(400, { error: `Invalid ${event} payload`, issues: summary.issues });
    }
    // Claimed only once verified and valid, and released on failure: GitHub's redelivery of a
    // failed delivery keeps its id and must be processed. The signature is remembered too, as
    // it does not cover the headers: a replayed body may come with any delivery id.
    const keys = [`sha256=${signature}`, ...(delivery === null ? [] : [`id=${delivery}`])];
    const seen = _claim(recent, keys);
    if (seen === "done") {
      return _json(200, {
        duplicate: true,
        delivery,
        message: "This delivery was already processed",
      });
    }
    if (seen === "pending") {
      return _json(409, { error: "This delivery is being processed" });
    }
    try {
      await onDelivery?.(summary);
    } catch (error) {
      for (const key of keys) recent.release(key);
      throw error;
    }
    for (const key of keys) recent.done(key);
    return _json(200, summary);
  };
}

/** The webhook with the secret from the environment. */
export const github: (request: Request) => Promise<Response> = createGitHubHandler({
  secret: Deno.env.get("GITHUB_WEBHOOK_SECRET"),
  onDelivery: (summary) => console.log(JSON.stringify(summary)),
});

/** The Lambda handler: {@linkcode github} behind the HTTP adapter. */
export const handler = httpHandler(github);

/** Deployed behind a Function URL, which the webhook calls. */
export const config = {
  handler: {
    url: "buffered",
    environment: {
      GITHUB_WEBHOOK_SECRET: {
        secret: true,
        description: "The secret set in the GitHub webhook's settings",
      },
    },
  },
} satisfies HandlerConfig;

/** Lets `deno serve handlers/github.ts` run the same handler locally. */
export default { fetch: github } satisfies Deno.ServeDefaultExport;

interface _Invalid {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

function _summarize(
  event: "ping" | "push" | "pull_request",
  delivery: string | null,
  payload: unknown,
): DeliverySummary | _Invalid {
  switch (event) {
    case "ping": {
      const parsed = PingPayloadSchema.safeParse(payload);
      if (!parsed.success) return { issues: flattenIssues(parsed.error.issues) };
      return { event, delivery, hookId: parsed.data.hook_id, zen: parsed.data.zen };
    }
    case "push": {
      const parsed = PushPayloadSchema.safeParse(payload);
      if (!parsed.success) return { issues: flattenIssues(parsed.error.issues) };
      const p = parsed.data;
      return {
        event,
        delivery,
        repository: p.repository.full_name,
        ref: p.ref,
        commits: p.commits.length,
        headCommit: p.head_commit?.message ?? null,
        pusher: p.pusher.name,
        deleted: p.deleted ?? false,
      };
    }
    case "pull_request": {
      const parsed = PullRequestPayloadSchema.safeParse(payload);
      if (!parsed.success) return { issues: flattenIssues(parsed.error.issues) };
      const p = parsed.data;
      return {
        event,
        delivery,
        repository: p.repository.full_name,
        action: p.action,
        number: p.number,
        title: p.pull_request.title,
        author: p.pull_request.user.login,
        merged: p.pull_request.merged ?? false,
      };
    }
  }
}

/** Claims every key, or none: the state of the first key already known, if any. */
function _claim(recent: RecentIds, keys: readonly string[]): IdState | undefined {
  const claimed: string[] = [];
  for (const key of keys) {
    const state = recent.claim(key);
    if (state !== undefined) {
      for (const mine of claimed) recent.release(mine);
      return state;
    }
    claimed.push(key);
  }
  return undefined;
}

function _payload(body: Uint8Array, contentType: string | null): unknown {
  const text = decoder.decode(body);
  if (contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new SyntaxError("the form has no payload field");
    return JSON.parse(payload);
  }
  return JSON.parse(text);
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function _json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: JSON_HEADERS });
}
