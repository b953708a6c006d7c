/**
 * Location tracking for OwnTracks (HTTP mode), kept in S3.
 *
 * - `POST /` takes an OwnTracks message. A `location` is validated and stored; every other
 *   `_type` (waypoints, transitions, cards…) is acknowledged with `[]`, the answer the app
 *   expects. The user and device come from the `X-Limit-U` and `X-Limit-D` headers the app
 *   sends, or from the `u` and `d` query parameters. A fix dated more than five minutes ahead
 *   of the server's clock is refused with 400, so a wrong clock cannot pin `/last`.
 * - `GET /last?user=&device=` answers the newest point.
 * - `GET /track?user=&device=&date=yyyy-mm-dd` answers the day's track as GeoJSON: a
 *   `LineString` through the points, then each point, oldest first. Without `date`, the day of
 *   the newest point.
 *
 * Environment: `LOCATION_BUCKET` (required), `S3_ENDPOINT` (an S3-compatible server for local
 * use), `LOCATION_SECRET` (when set, requests must carry it as the HTTP basic password or a
 * bearer token), and the AWS SDK's own (`AWS_REGION`, credentials).
 *
 * @module
 */

import { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import type { Context } from "../src/runtime/context.ts";
import { flattenIssues, formatIssues } from "../src/events/errors.ts";
import { httpHandler } from "../src/http/mod.ts";
import { LocationStore, type StoredPoint, utcDay } from "./_lib/location_store.ts";

/** An OwnTracks `location` message; fields beyond these are kept as sent. */
export const OwnTracksLocationSchema = z.looseObject({
  _type: z.literal("location"),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  tst: z.number().int().positive(),
  acc: z.number().nonnegative().optional(),
  alt: z.number().optional(),
  vel: z.number().optional(),
  batt: z.number().optional(),
  tid: z.string().optional(),
});

/** Options for {@linkcode createLocationHandler}. */
export interface LocationHandlerOptions {
  /** The S3 client; create it once, outside the handler. */
  readonly s3: S3Client;
  /** The bucket to keep tracks in. */
  readonly bucket: string;
  /** When set, requests must carry it as the basic-auth password or a bearer token. */
  readonly secret?: string;
  /** The clock, in epoch milliseconds; tests pass a fixed one. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** A fetch handler that also takes the Lambda context, when there is one. */
export type LocationFetch = (request: Request, context?: Context) => Promise<Response>;

const _MESSAGE = z.looseObject({ _type: z.string() });
// Safe as one S3 key segment: no slashes, no `.`/`..`, short.
const _NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const _DATE = /^\d{4}-\d{2}-\d{2}$/;
const _encoder = new TextEncoder();
// How far ahead of this server's clock a device's clock may run. A point from further ahead
// would stay the newest one, and so the answer to `/last`, until that time came.
const _MAX_CLOCK_SKEW_S = 5 * 60;
// The largest time a JavaScript Date holds, in seconds.
const _MAX_DATE_S = 8.64e12;

/**
 * Makes the location service's fetch handler.
 *
 * @param options The S3 client, bucket and optional shared secret.
 * @returns A handler for `Deno.serve` or `httpHandler`.
 */
export function createLocationHandler(options: LocationHandlerOptions): LocationFetch {
  const store = new LocationStore(options);
  const now = options.now ?? Date.now;
  const secretDigest = options.secret === undefined ? undefined : _digest(options.secret);
  return async (request, context) => {
    const signal = context?.signal ?? request.signal;
    if (secretDigest !== undefined && !(await _authorized(request, await secretDigest))) {
      return _json({ error: "Cannot answer: missing or wrong credentials" }, 401, {
        "www-authenticate": 'Basic realm="location"',
      });
    }
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const allowed = path === "/" ? "POST" : path === "/last" || path === "/track" ? "GET" : null;
    if (allowed === null) return _json({ error: `Cannot find ${url.pathname}` }, 404);
    if (request.method !== allowed) {
      return _json({ error: `Cannot ${request.method} ${path}` }, 405, { allow: allowed });
    }
    if (path === "/") return await _post(store, request, url, now(), signal);
    return path === "/last" ? await _last(store, url, signal) : await _track(store, url, signal);
  };
}

/**
 * The service as configured by the environment; a missing `LOCATION_BUCKET` fails each request
 * with that explanation, so the module can still be imported (by the build, say) without it.
 *
 * @param env The environment to read.
 * @returns The fetch handler.
 */
export function locationFromEnv(env: Pick<Deno.Env, "get"> = Deno.env): LocationFetch {
  const bucket = env.get("LOCATION_BUCKET");
  if (bucket === undefined || bucket === "") {
    return () => {
      throw new Error("Cannot store locations: LOCATION_BUCKET is not set");
    };
  }
  const endpoint = env.get("S3_ENDPOINT");
  const secret = env.get("LOCATION_SECRET");
  const s3 = new S3Client({
    // Path-style requests work on AWS and are what local S3-compatible servers understand.
    forcePathStyle: true,
    region: env.get("AWS_REGION") ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
  });
  return createLocationHandler({ s3, bucket, ...(secret ? { secret } : {}) });
}

/** The service, configured from the environment once per sandbox. */
export const location: LocationFetch = locationFromEnv();

/** The Lambda handler: {@linkcode location} behind the HTTP adapter. */
export const handler = httpHandler(location);

/**
 * Deployed behind a Function URL that answers with the whole response, storing into a bucket
 * named at deploy time, which it may read and write.
 */
export const config = {
  handler: {
    url: "buffered",
    environment: {
      LOCATION_BUCKET: {
        description: "The S3 bucket (existing) that stores the locations",
      },
      // No default: the URL is public whenever UrlAuthType is NONE, as Slack and GitHub need.
      LOCATION_SECRET: {
        secret: true,
        description: "The password clients must send (basic auth or bearer)",
      },
    },
    policies: [{ S3CrudPolicy: { BucketName: { Ref: "LocationBucket" } } }],
  },
} satisfies HandlerConfig;

/** Lets `deno serve handlers/location.ts` run the same service locally. */
export default { fetch: (request) => location(request) } satisfies Deno.ServeDefaultExport;

async function _post(
  store: LocationStore,
  request: Request,
  url: URL,
  nowMs: number,
  signal: AbortSignal,
): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return _json({ error: "Cannot read the message: the body is not JSON" }, 400);
  }
  const message = _MESSAGE.safeParse(body);
  if (!message.success) {
    return _json({ error: "Cannot read the message: _type: expected string" }, 400);
  }
  // OwnTracks treats any 2xx as delivered and reads the body as a list of commands.
  if (message.data._type !== "location") return _json([], 200);

  const user = request.headers.get("x-limit-u") ?? url.searchParams.get("u");
  const device = request.headers.get("x-limit-d") ?? url.searchParams.get("d");
  const who = _identity(user, device, "X-Limit-U and X-Limit-D headers, or u and d parameters");
  if (who instanceof Response) return who;
  const parsed = OwnTracksLocationSchema.safeParse(body);
  if (!parsed.success) {
    const issues = flattenIssues(parsed.error.issues);
    return _json({
      error: `Cannot store the location: ${formatIssues(issues)}`,
      fields: issues.map((issue) => issue.path),
    }, 400);
  }
  const refused = _refusedTime(parsed.data.tst, nowMs);
  if (refused !== undefined) {
    return _json({ error: `Cannot store the location: tst: ${refused}`, fields: ["tst"] }, 400);
  }
  const { _type: _, ...fields } = parsed.data;
  const point: StoredPoint = { ...fields, user: who.user, device: who.device };
  await store.put(point, signal);
  return _json([], 200);
}

async function _last(store: LocationStore, url: URL, signal: AbortSignal): Promise<Response> {
  const who = _queryIdentity(url);
  if (who instanceof Response) return who;
  const point = await store.latest(who.user, who.device, signal);
  if (point === undefined) {
    return _json({ error: `Cannot find a position for ${who.user}/${who.device}` }, 404);
  }
  return _json(point, 200);
}

async function _track(store: LocationStore, url: URL, signal: AbortSignal): Promise<Response> {
  const who = _queryIdentity(url);
  if (who instanceof Response) return who;
  let date = url.searchParams.get("date");
  if (date !== null && !_validDate(date)) {
    return _json({ error: `Cannot read the track: date must be yyyy-mm-dd, got "${date}"` }, 400);
  }
  if (date === null) {
    const latest = await store.latest(who.user, who.device, signal);
    if (latest === undefined) {
      return _json({ error: `Cannot find a track for ${who.user}/${who.device}` }, 404);
    }
    date = utcDay(latest.tst);
  }
  const points = await store.track(who.user, who.device, date, signal);
  if (points.length === 0) {
    return _json({ error: `Cannot find a track for ${who.user}/${who.device} on ${date}` }, 404);
  }
  return _json(trackGeoJson(points, date), 200, { "content-type": "application/geo+json" });
}

/**
 * A day's points as a GeoJSON FeatureCollection: the `LineString` through them (when there are
 * two or more), then one `Point` per fix, all oldest first.
 *
 * @param points The points, oldest first.
 * @param date Their day, `yyyy-mm-dd`.
 * @returns The feature collection.
 */
export function trackGeoJson(points: readonly StoredPoint[], date: string): unknown {
  const first = points[0];
  const last = points.at(-1);
  const line = first !== undefined && last !== undefined && points.length >= 2
    ? [{
      type: "Feature",
      geometry: { type: "LineString", coordinates: points.map((p) => [p.lon, p.lat]) },
      properties: {
        user: first.user,
        device: first.device,
        date,
        from: new Date(first.tst * 1000).toISOString(),
        to: new Date(last.tst * 1000).toISOString(),
        points: points.length,
      },
    }]
    : [];
  const fixes = points.map(({ lat, lon, user: _u, device: _d, ...properties }) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [lon, lat] },
    properties: { ...properties, time: new Date(properties.tst * 1000).toISOString() },
  }));
  return { type: "FeatureCollection", features: [...line, ...fixes] };
}

/** The `user` and `device` query parameters, as {@linkcode _identity} reads them. */
function _queryIdentity(url: URL): { user: string; device: string } | Response {
  return _identity(
    url.searchParams.get("user"),
    url.searchParams.get("device"),
    "user and device parameters",
  );
}

function _identity(
  user: string | null,
  device: string | null,
  where: string,
): { user: string; device: string } | Response {
  const missing = [user === null ? "user" : "", device === null ? "device" : ""].filter(Boolean);
  if (user === null || device === null) {
    return _json({
      error: `Cannot tell whose location: ${missing.join(" and ")} missing (${where})`,
    }, 400);
  }
  for (const [field, value] of [["user", user], ["device", device]] as const) {
    if (!_NAME.test(value)) {
      return _json({
        error:
          `Cannot tell whose location: ${field} must be 1–64 letters, digits or _.@- , got "${value}"`,
      }, 400);
    }
  }
  return { user, device };
}

/** Why a fix's time cannot be stored, or `undefined` when it can. */
function _refusedTime(tst: number, nowMs: number): string | undefined {
  if (tst > _MAX_DATE_S) return `${tst} is beyond the dates this server can represent`;
  const ahead = tst - Math.floor(nowMs / 1000);
  if (ahead > _MAX_CLOCK_SKEW_S) {
    return `${tst} is ${ahead} s in the future (at most ${_MAX_CLOCK_SKEW_S} s allowed)`;
  }
  return undefined;
}

function _validDate(date: string): boolean {
  if (!_DATE.test(date)) return false;
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(date);
}

async function _authorized(request: Request, expected: Uint8Array): Promise<boolean> {
  const header = request.headers.get("authorization") ?? "";
  let given: string | undefined;
  if (header.startsWith("Bearer ")) given = header.slice(7);
  if (header.startsWith("Basic ")) {
    try {
      const decoded = new TextDecoder().decode(Uint8Array.fromBase64(header.slice(6)));
      given = decoded.slice(decoded.indexOf(":") + 1);
    } catch {
      return false;
    }
  }
  if (given === undefined) return false;
  // Comparing digests keeps the time taken independent of where the strings differ.
  const actual = await _digest(given);
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected[i]! ^ actual[i]!;
  return difference === 0;
}

async function _digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", _encoder.encode(text)));
}

function _json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}
