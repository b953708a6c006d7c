/**
 * Reverse geocoding: `GET /?lat=48.85&lon=2.35` answers the nearest town or city,
 * `{name, country, admin1?, lat, lon, distanceKm}`; with `&k=3`, a list of the three nearest,
 * nearest first.
 *
 * The places are GeoNames' towns and cities of 1,000 people or more (about 113,000, data under
 * CC BY 4.0), in a k-d tree on the unit sphere, so the antimeridian and the poles need no
 * special case. The tree is built ahead of time (`deno task geocoder-index`) into
 * `handlers/_data/cities.idx`, which loads in a few milliseconds; building it at start-up from
 * the npm package instead costs half a second (see `tests/bench/geocoder_bench.ts`).
 *
 * @module
 */

import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import { flattenIssues, formatIssues } from "../src/events/errors.ts";
import { httpHandler } from "../src/http/mod.ts";
import { decodeGeoIndex, type GeoIndex } from "./_lib/geo_index.ts";

/** At most this many places per answer. */
export const MAX_K = 20;

const _coordinate = (min: number, max: number) =>
  z.string({ error: "required" }).trim().transform((text, ctx) => {
    const value = text === "" ? NaN : Number(text);
    if (!Number.isFinite(value)) {
      ctx.addIssue({ code: "custom", message: `expected a number, got "${text}"` });
      return z.NEVER;
    }
    return value;
  }).pipe(
    z.number().min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`),
  );

/** The query parameters. */
export const GeocoderQuerySchema = z.object({
  lat: _coordinate(-90, 90),
  lon: _coordinate(-180, 180),
  k: z.string().regex(/^\d+$/, `expected a whole number from 1 to ${MAX_K}`)
    .transform(Number)
    .pipe(z.number().min(1, `must be from 1 to ${MAX_K}`).max(MAX_K, `must be from 1 to ${MAX_K}`))
    .optional(),
});

/**
 * Makes the geocoder's fetch handler over an index.
 *
 * @param index The places.
 * @returns A handler for `Deno.serve` or `httpHandler`.
 */
export function createGeocoder(index: GeoIndex): (request: Request) => Response {
  return (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return Response.json({ error: `Cannot ${request.method}: use GET` }, {
        status: 405,
        headers: { allow: "GET, HEAD" },
      });
    }
    const params = new URL(request.url).searchParams;
    const parsed = GeocoderQuerySchema.safeParse({
      lat: params.get("lat") ?? undefined,
      lon: params.get("lon") ?? undefined,
      k: params.get("k") ?? undefined,
    });
    if (!parsed.success) {
      const issues = flattenIssues(parsed.error.issues);
      return Response.json({ error: `Cannot geocode: ${formatIssues(issues)}` }, { status: 400 });
    }
    const { lat, lon, k } = parsed.data;
    const places = index.nearest(lat, lon, k ?? 1);
    // The places never change between deployments, so answers can be cached for a day.
    const headers = { "cache-control": "public, max-age=86400" };
    return Response.json(k === undefined ? places[0] : places, { headers });
  };
}

/** The index, loaded once per sandbox. */
const index = decodeGeoIndex(await Deno.readFile(new URL("./_data/cities.idx", import.meta.url)));

/** The geocoder over the bundled places. */
export const geocoder: (request: Request) => Response = createGeocoder(index);

/** The Lambda handler: {@linkcode geocoder} behind the HTTP adapter. */
export const handler = httpHandler(geocoder);

/** Deployed behind a Function URL that answers with the whole response. */
export const config = {
  handler: { url: "buffered", assets: ["_data/cities.idx"] },
} satisfies HandlerConfig;

/** Lets `deno serve handlers/geocoder.ts` run the same handler locally. */
export default { fetch: geocoder } satisfies Deno.ServeDefaultExport;
