/**
 * A scheduled uptime check: on each EventBridge schedule, fetch a list of URLs a few at a time
 * and report each one's status and time. The URLs come from the event's `detail.urls` when it
 * has them (an EventBridge Scheduler or rule target with a custom input), else from env
 * `CHECK_URLS` (comma-separated). Env `CHECK_CONCURRENCY` (default 4) and `CHECK_TIMEOUT_MS`
 * (per URL, default 5000) tune it.
 *
 * Every request gives up after its own timeout, and all of them when the invocation's deadline
 * is near: the function stops a margin before it (1 s by default), aborts what is in flight,
 * reports what was never started as skipped, and still returns its report in time.
 *
 * @module
 */

import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import type { Context } from "../src/runtime/context.ts";
import { defineHandler } from "../src/events/define_handler.ts";
import { eventBridgeEventSchema } from "../src/events/operations/eventbridge.ts";

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * A scheduled EventBridge event, whose `detail` may list the URLs to check. A plain scheduled
 * rule's event (`detail: {}`) matches too.
 */
export const CheckEventSchema = eventBridgeEventSchema(
  z.looseObject({ urls: z.array(HttpUrl).min(1).optional() }),
);

/** The outcome for one URL. */
export interface UrlCheck {
  readonly url: string;
  /** The HTTP status, `null` when no answer came (error, timeout, skipped). */
  readonly status: number | null;
  /** Whether the status was 2xx. */
  readonly ok: boolean;
  /** How long the request took, in whole milliseconds; `null` when it never started. */
  readonly ms: number | null;
  /** Why there is no status. */
  readonly error?: string;
  /** Set when the deadline came before the URL's turn. */
  readonly skipped?: true;
}

/** What one run found, URL by URL in the order given. */
export interface CheckReport {
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results: readonly UrlCheck[];
}

/** Options for {@linkcode createUrlChecker}. */
export interface UrlCheckerOptions {
  /** The URLs to check when the event lists none. */
  readonly urls?: readonly string[];
  /** How many requests may be in flight at once. Defaults to 4. */
  readonly concurrency?: number;
  /** How long each request may take, in milliseconds. Defaults to 5000. */
  readonly perUrlTimeoutMs?: number;
  /** How long before the invocation's deadline to stop, in milliseconds. Defaults to 1000. */
  readonly deadlineMarginMs?: number;
  /** The `fetch` to use. Defaults to the global one. */
  readonly fetch?: typeof fetch;
}

/**
 * Makes the scheduled handler.
 *
 * @example Check one URL with a stand-in fetch
 * ```ts
 * import { equal } from "node:assert/strict";
 * import type { Context } from "../src/runtime/context.ts";
 * import { createUrlChecker } from "./scheduled.ts";
 *
 * const check = createUrlChecker({
 *   urls: ["https://example.com/health"],
 *   fetch: () => Promise.resolve(new Response("ok")),
 * });
 * const event = {
 *   version: "0", id: "1", "detail-type": "Scheduled Event", source: "aws.events",
 *   account: "123456789012", time: "2024-11-26T16:00:00Z", region: "eu-west-1",
 *   resources: [], detail: {},
 * };
 * const ctx = { signal: new AbortController().signal, getRemainingTimeInMillis: () => 60_000 };
 * const report = await check(event, ctx as Context);
 * equal(report.results[0]?.status, 200);
 * ```
 *
 * @param options The default URLs, limits and `fetch`.
 * @returns The Lambda handler; it validates the event and resolves with the report.
 * @throws {TypeError} If a default URL is not an http(s) URL.
 * @throws {RangeError} If a limit is not a positive integer.
 */
export function createUrlChecker(
  options: UrlCheckerOptions = {},
): (event: unknown, context: Context) => Promise<CheckReport> {
  const defaults = (options.urls ?? []).map((url) => {
    if (!HttpUrl.safeParse(url).success) {
      throw new TypeError(`Cannot check ${JSON.stringify(url)}: it is not an http(s) URL`);
    }
    return url;
  });
  const concurrency = _positive("concurrency", options.concurrency ?? 4);
  const perUrlTimeoutMs = _positive("perUrlTimeoutMs", options.perUrlTimeoutMs ?? 5000);
  const marginMs = options.deadlineMarginMs ?? 1000;
  const fetchUrl = options.fetch ?? fetch;

  return defineHandler({
    event: CheckEventSchema,
    handler: async (event, context) => {
      const urls = event.detail.urls ?? defaults;
      if (urls.length === 0) {
        throw new TypeError(
          "Cannot check URLs: the event has no detail.urls and CHECK_URLS is empty",
        );
      }
      // Stop early enough to answer: the context's own signal fires only at the deadline.
      const early = new AbortController();
      const timer = setTimeout(
        () => early.abort(new DOMException("The deadline is near", "TimeoutError")),
        Math.max(0, context.getRemainingTimeInMillis() - marginMs),
      );
      const stop = AbortSignal.any([context.signal, early.signal]);
      try {
        const results = await _checkAll(
          urls,
          concurrency,
          (url) => stop.aborted ? _skipped(url) : _check(fetchUrl, url, stop, perUrlTimeoutMs),
        );
        const report = _report(results);
        console.log(JSON.stringify(report));
        return report;
      } finally {
        clearTimeout(timer);
      }
    },
  });
}

/** The check, with its URLs and limits from the environment. */
export const handler: (event: unknown, context: Context) => Promise<CheckReport> = createUrlChecker(
  {
    urls: (Deno.env.get("CHECK_URLS") ?? "").split(",").map((s) => s.trim()).filter((s) => s),
    concurrency: _envInteger("CHECK_CONCURRENCY", 4),
    perUrlTimeoutMs: _envInteger("CHECK_TIMEOUT_MS", 5000),
  },
);

/** Run on a schedule, with time for a few slow URLs. */
export const config = {
  handler: {
    timeout: 60,
    description: "Checks a list of URLs on a schedule",
    environment: {
      CHECK_URLS: { description: "The URLs to check, comma-separated" },
      CHECK_CONCURRENCY: "4",
      CHECK_TIMEOUT_MS: "5000",
    },
    events: { Every15Minutes: { type: "Schedule", schedule: "rate(15 minutes)" } },
  },
} satisfies HandlerConfig;

async function _checkAll(
  urls: readonly string[],
  concurrency: number,
  check: (url: string) => Promise<UrlCheck> | UrlCheck,
): Promise<UrlCheck[]> {
  const results = new Array<UrlCheck>(urls.length);
  let next = 0;
  // Each worker takes the next URL when it is free, so at most `concurrency` are in flight.
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      results[i] = await check(urls[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
  return results;
}

async function _check(
  fetchUrl: typeof fetch,
  url: string,
  stop: AbortSignal,
  timeoutMs: number,
): Promise<UrlCheck> {
  const started = performance.now();
  const signal = AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]);
  try {
    const response = await fetchUrl(url, {
      signal,
      headers: { "user-agent": "lambdeno-url-check/1.0" },
    });
    // Only the status matters; cancelling frees the connection at once.
    await response.body?.cancel();
    return { url, status: response.status, ok: response.ok, ms: _since(started) };
  } catch (error) {
    const reason = stop.aborted
      ? "stopped: the invocation's deadline was near"
      : signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : _describe(error);
    return { url, status: null, ok: false, ms: _since(started), error: reason };
  }
}

function _skipped(url: string): UrlCheck {
  return {
    url,
    status: null,
    ok: false,
    ms: null,
    error: "skipped: the invocation's deadline was near",
    skipped: true,
  };
}

function _report(results: UrlCheck[]): CheckReport {
  let ok = 0;
  let skipped = 0;
  for (const result of results) {
    if (result.ok) ok++;
    if (result.skipped) skipped++;
  }
  return { ok, failed: results.length - ok - skipped, skipped, results };
}

function _describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch says only "fetch failed"; the cause says what failed (DNS, refused, TLS…).
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function _since(started: number): number {
  return Math.round(performance.now() - started);
}

function _positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot check URLs: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function _envInteger(name: string, fallback: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot read ${name}: expected a positive integer, got "${text}"`);
  }
  return value;
}
