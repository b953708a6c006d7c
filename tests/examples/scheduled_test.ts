/**
 * handlers/scheduled.ts against a local server with fast, failing and never-answering
 * endpoints: statuses in order, the concurrency limit, the per-URL timeout, and the deadline,
 * driven by a context whose signal the test aborts.
 */

import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { CheckEventSchema, createUrlChecker, type UrlCheck } from "../../handlers/scheduled.ts";
import { fakeContext, fixtureText, quietly } from "./_support.ts";

const SCHEDULED = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/events/scheduled.json", import.meta.url)),
);

interface TestServer extends AsyncDisposable {
  readonly base: string;
  /** Resolves each time a request for `/slow` arrives. */
  slowArrived(): Promise<void>;
}

/**
 * A server on 127.0.0.1: `/ok` 200, `/missing` 404, `/broken` 500, `/moved` a redirect to `/ok`,
 * and `/slow`, which answers only when the server is disposed of, long after any client gave up.
 */
function startServer(): TestServer {
  const waiting: (() => void)[] = [];
  const release = Promise.withResolvers<void>();
  let arrivals = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/ok") return new Response("fine");
    if (path === "/missing") return new Response("no", { status: 404 });
    if (path === "/broken") return new Response("oops", { status: 500 });
    if (path === "/moved") return Response.redirect(new URL("/ok", req.url), 302);
    if (path === "/slow") {
      arrivals++;
      waiting.shift()?.();
      await release.promise;
      return new Response("too late");
    }
    return new Response("?", { status: 400 });
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    slowArrived: () =>
      arrivals > 0 ? (arrivals--, Promise.resolve()) : new Promise((resolve) => {
        waiting.push(() => {
          arrivals--;
          resolve();
        });
      }),
    [Symbol.asyncDispose]: () => {
      release.resolve();
      return server.shutdown();
    },
  };
}

function eventWith(urls?: string[]): Record<string, unknown> {
  return urls === undefined ? SCHEDULED : { ...SCHEDULED, detail: { urls } };
}

const quietlyLog = <T>(fn: () => Promise<T>) => quietly(fn, "log");

Deno.test("scheduled reports each URL's status, in the order given", async () => {
  await using server = startServer();
  const event = JSON.parse(
    fixtureText("scheduled_check_urls.json").replaceAll(
      "http://127.0.0.1:PORT",
      server.base,
    ),
  );
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedUrl = `http://127.0.0.1:${closed.addr.port}/`;
  closed.close();
  event.detail.urls.push(closedUrl);

  const report = await quietlyLog(() => createUrlChecker().call(null, event, fakeContext()));
  deepEqual(
    report.results.map((r) => [r.url.replace(server.base, ""), r.status, r.ok]),
    [["/ok", 200, true], ["/missing", 404, false], ["/broken", 500, false], ["/moved", 200, true], [
      closedUrl,
      null,
      false,
    ]],
  );
  for (const result of report.results) ok(typeof result.ms === "number" && result.ms >= 0);
  match(report.results[4]?.error ?? "", /refused/i, "a refused connection says why");
  equal(report.ok, 2);
  equal(report.failed, 3);
  equal(report.skipped, 0);
});

Deno.test("scheduled logs its report as one JSON line", async () => {
  const lines: unknown[] = [];
  const original = console.log;
  console.log = (line: unknown) => lines.push(line);
  try {
    await createUrlChecker({
      urls: ["https://example.com/"],
      fetch: () => Promise.resolve(new Response(null, { status: 204 })),
    })(SCHEDULED, fakeContext());
  } finally {
    console.log = original;
  }
  equal(lines.length, 1);
  const logged = JSON.parse(String(lines[0]));
  equal(logged.results[0].status, 204);
  equal(logged.ok, 1);
});

Deno.test("scheduled keeps at most `concurrency` requests in flight", async () => {
  const pending: { url: string; answer: (r: Response) => void }[] = [];
  let inFlight = 0;
  let most = 0;
  let started = 0;
  const arrived: (() => void)[] = [];
  const fakeFetch = ((input: string | URL | Request) => {
    started++;
    inFlight++;
    most = Math.max(most, inFlight);
    return new Promise<Response>((resolve) => {
      pending.push({
        url: String(input),
        answer: (response) => {
          inFlight--;
          resolve(response);
        },
      });
      arrived.shift()?.();
    });
  }) as typeof fetch;
  const whenStarted = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (started >= n ? resolve() : arrived.push(check));
      check();
    });

  const urls = Array.from({ length: 7 }, (_, i) => `https://status.example.com/${i}`);
  const run = quietlyLog(() =>
    createUrlChecker({ urls, concurrency: 3, fetch: fakeFetch })(SCHEDULED, fakeContext())
  );
  await whenStarted(3);
  // Give a broken limit every chance to start a fourth request.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  equal(started, 3);
  deepEqual(pending.map((p) => p.url), urls.slice(0, 3));

  pending.shift()!.answer(new Response("ok"));
  await whenStarted(4);
  equal(pending.at(-1)?.url, urls[3], "the next URL starts as soon as a slot frees");
  while (started < urls.length || pending.length > 0) {
    const next = pending.shift();
    if (next === undefined) await whenStarted(started + 1);
    else next.answer(new Response("ok"));
  }
  const report = await run;
  equal(most, 3);
  equal(report.ok, 7);
});

Deno.test("scheduled gives up on a URL after its own timeout, and carries on", async () => {
  await using server = startServer();
  const urls = [`${server.base}/ok`, `${server.base}/slow`, `${server.base}/missing`];
  const started = performance.now();
  const report = await quietlyLog(() =>
    createUrlChecker({ urls, concurrency: 1, perUrlTimeoutMs: 50 })(SCHEDULED, fakeContext())
  );
  const slow = report.results[1]!;
  equal(slow.status, null);
  equal(slow.error, "no answer within 50 ms");
  ok(slow.ms! >= 45, `waited ${slow.ms} ms`);
  equal(report.results[2]?.status, 404, "the URL after the slow one was still checked");
  equal(report.skipped, 0);
  ok(performance.now() - started < 5_000);
});

Deno.test("scheduled stops at the invocation's signal and skips what it did not start", async () => {
  await using server = startServer();
  const urls = [
    `${server.base}/ok`,
    `${server.base}/slow`,
    `${server.base}/ok`,
    `${server.base}/missing`,
    `${server.base}/ok`,
  ];
  const ctx = fakeContext();
  const run = quietlyLog(() =>
    createUrlChecker({ urls, concurrency: 1, perUrlTimeoutMs: 60_000 })(SCHEDULED, ctx)
  );
  await server.slowArrived();
  ctx.expire();
  const report = await run;

  const [first, slow, ...rest] = report.results;
  equal(first?.status, 200);
  equal(slow?.status, null);
  equal(slow?.error, "stopped: the invocation's deadline was near");
  for (const skipped of rest) {
    deepEqual(
      skipped,
      {
        url: skipped.url,
        status: null,
        ok: false,
        ms: null,
        error: "skipped: the invocation's deadline was near",
        skipped: true,
      } satisfies UrlCheck,
    );
  }
  deepEqual([report.ok, report.failed, report.skipped], [1, 1, 3]);
});

Deno.test("scheduled stops a margin before the deadline the context reports", async () => {
  await using server = startServer();
  const urls = [`${server.base}/slow`, `${server.base}/slow`, `${server.base}/ok`];
  const started = performance.now();
  // 1,080 ms left with a 1,000 ms margin: it must stop after about 80 ms, long before the
  // per-URL timeout, and without the context's signal ever firing.
  const report = await quietlyLog(() =>
    createUrlChecker({ urls, concurrency: 2, perUrlTimeoutMs: 30_000, deadlineMarginMs: 1_000 })(
      SCHEDULED,
      fakeContext(1_080),
    )
  );
  const elapsed = performance.now() - started;
  ok(elapsed >= 70 && elapsed < 5_000, `stopped after ${elapsed} ms`);
  equal(report.results[0]?.error, "stopped: the invocation's deadline was near");
  equal(report.results[1]?.error, "stopped: the invocation's deadline was near");
  equal(report.results[2]?.skipped, true);
});

Deno.test("scheduled prefers the event's detail.urls over its configured list", async () => {
  const asked: string[] = [];
  const check = createUrlChecker({
    urls: ["https://configured.example.com/"],
    fetch: (input) => {
      asked.push(String(input));
      return Promise.resolve(new Response("ok"));
    },
  });
  await quietlyLog(() => check(eventWith(["https://from-event.example.com/"]), fakeContext()));
  await quietlyLog(() => check(eventWith(), fakeContext()));
  deepEqual(asked, ["https://from-event.example.com/", "https://configured.example.com/"]);
});

Deno.test("scheduled refuses events that are not EventBridge events or list bad URLs", async () => {
  const check = createUrlChecker({ urls: ["https://example.com/"] });
  await rejects(check({ hello: "world" }, fakeContext()), { name: "EventValidationError" });
  await rejects(check(eventWith(["file:///etc/passwd"]), fakeContext()), {
    name: "EventValidationError",
    message: /detail\.urls\[0\]/,
  });
  await rejects(createUrlChecker()(SCHEDULED, fakeContext()), {
    name: "TypeError",
    message: /no detail\.urls and CHECK_URLS is empty/,
  });
  equal(CheckEventSchema.safeParse(SCHEDULED).success, true, "a plain scheduled event is fine");
});

Deno.test("createUrlChecker() refuses bad defaults at start-up", () => {
  let error: unknown;
  try {
    createUrlChecker({ urls: ["not a url"] });
  } catch (e) {
    error = e;
  }
  ok(error instanceof TypeError);
  match(error.message, /"not a url": it is not an http\(s\) URL/);
  try {
    createUrlChecker({ concurrency: 0 });
  } catch (e) {
    error = e;
  }
  ok(error instanceof RangeError);
});
