/**
 * Server-sent events over a streaming Function URL or API Gateway: five `tick` events, one
 * every 100 ms, each sent as soon as it is produced. The stream ends early, cleanly, when the
 * invocation's signal aborts (deadline or shutdown) or the caller goes away.
 *
 * `_HANDLER=stream.handler`, with the function's invoke mode set to `RESPONSE_STREAM`.
 *
 * @module
 */

import type { HandlerConfig } from "../src/mod.ts";
import type { Context } from "../src/runtime/context.ts";
import { streamingHttpHandler } from "../src/http/mod.ts";

/** Options for {@linkcode ticks}. */
export interface TicksOptions {
  /** How many events to send. Defaults to 5. */
  readonly count?: number;
  /** The pause before each event after the first, in milliseconds. Defaults to 100. */
  readonly intervalMs?: number;
}

/**
 * Makes a fetch handler that answers with server-sent events.
 *
 * @param options How many events, and how far apart.
 * @returns A handler taking the request and the invocation context.
 */
export function ticks(
  options: TicksOptions = {},
): (request: Request, ctx: Pick<Context, "signal">) => Response {
  const count = options.count ?? 5;
  const intervalMs = options.intervalMs ?? 100;
  return (_request, ctx) => {
    const signal = ctx.signal;
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent > 0 && !(await _pause(intervalMs, signal))) {
          controller.close();
          return;
        }
        sent++;
        const data = JSON.stringify({ n: sent, at: new Date().toISOString() });
        controller.enqueue(encoder.encode(`id: ${sent}\nevent: tick\ndata: ${data}\n\n`));
        if (sent >= count) controller.close();
      },
    }, { highWaterMark: 0 });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
      },
    });
  };
}

/** The Lambda handler: five ticks, 100 ms apart, streamed. */
export const handler = streamingHttpHandler(ticks());

/** Deployed behind a Function URL in `RESPONSE_STREAM` mode. */
export const config = { handler: { url: "stream" } } satisfies HandlerConfig;

/** Waits `ms`; resolves `false` instead if the signal aborts first. */
function _pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
