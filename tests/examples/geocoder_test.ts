// The reverse geocoder: known places, the antimeridian and the poles, the k-d tree against
// brute force, parameter validation, and the committed index against a fresh build.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createGeocoder, handler } from "../../handlers/geocoder.ts";
import { buildCityIndex, INDEX_URL } from "../../handlers/_lib/cities_index_build.ts";
import { decodeGeoIndex, haversineKm, type Place } from "../../handlers/_lib/geo_index.ts";
import { eventFor } from "../http/_events.ts";
import { asResponse, context } from "../http/_support.ts";

const index = decodeGeoIndex(await Deno.readFile(INDEX_URL));
const geocoder = createGeocoder(index);

async function get(
  query: string,
): Promise<{ status: number; body: Place & Place[] & { error: string } }> {
  const response = geocoder(new Request(`http://localhost/?${query}`));
  return { status: response.status, body: await response.json() };
}

/** A seeded generator, so a failing point can be found again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The `k` smallest haversine distances from a point to every place, smallest first. Compares
 * the haversine term itself, which grows with the distance, and converts only the winners.
 */
let cosLats: Float64Array | undefined;

function nearestByBruteForce(
  lats: Float64Array,
  lons: Float64Array,
  lat: number,
  lon: number,
  k: number,
): number[] {
  const rad = Math.PI / 180;
  cosLats ??= Float64Array.from(lats, (l) => Math.cos(l * rad));
  const cosLat = Math.cos(lat * rad);
  const best: number[] = Array(k).fill(Infinity);
  const bestIndex: number[] = Array(k).fill(-1);
  for (let i = 0; i < lats.length; i++) {
    const a = Math.sin((lats[i]! - lat) * rad / 2) ** 2 +
      cosLat * cosLats[i]! * Math.sin((lons[i]! - lon) * rad / 2) ** 2;
    if (a >= best[k - 1]!) continue;
    let j = k - 1;
    for (; j > 0 && best[j - 1]! > a; j--) {
      best[j] = best[j - 1]!;
      bestIndex[j] = bestIndex[j - 1]!;
    }
    best[j] = a;
    bestIndex[j] = i;
  }
  return bestIndex.map((i) => haversineKm(lat, lon, lats[i]!, lons[i]!));
}

Deno.test("a point in Paris is Paris, Île-de-France, FR", async () => {
  const { status, body } = await get("lat=48.85&lon=2.35");
  equal(status, 200);
  deepEqual(body, {
    name: "Paris",
    country: "FR",
    admin1: "Île-de-France",
    lat: 48.85341,
    lon: 2.3488,
    distanceKm: 0.389,
  });
});

Deno.test("a point in central Tokyo is Tokyo, JP", async () => {
  const { body } = await get("lat=35.685&lon=139.7");
  equal(body.name, "Tokyo");
  equal(body.country, "JP");
  ok(body.distanceKm < 1, `${body.distanceKm} km`);
});

Deno.test("across the antimeridian, Fiji's places are found from either side", async () => {
  // Just west of 180° (lon -179.99) the nearest places are east of it, at +179°.
  const { body } = await get("lat=-16.8&lon=-179.99");
  equal(body.country, "FJ");
  ok(body.lon > 178, `expected a place at +178° or more, got ${body.lon}`);
  ok(body.distanceKm < 150, `${body.distanceKm} km`);
  const samoa = await get("lat=-13.8333&lon=-171.7666");
  equal(samoa.body.name, "Apia");
  equal(samoa.body.country, "WS");
});

Deno.test("near the poles, the nearest are Longyearbyen and McMurdo Station", async () => {
  const north = await get("lat=90&lon=0");
  equal(north.body.name, "Longyearbyen");
  equal(north.body.country, "SJ");
  // At the pole every longitude is the same point.
  deepEqual((await get("lat=90&lon=-135")).body, north.body);
  const south = await get("lat=-89.99&lon=45");
  equal(south.body.name, "McMurdo Station");
  equal(south.body.country, "AQ");
});

Deno.test("k=3 answers the three nearest, nearest first, the first being the k=1 answer", async () => {
  const one = await get("lat=48.85&lon=2.35");
  const { status, body } = await get("lat=48.85&lon=2.35&k=3");
  equal(status, 200);
  equal(body.length, 3);
  deepEqual(body[0], one.body);
  ok(body[0]!.distanceKm <= body[1]!.distanceKm && body[1]!.distanceKm <= body[2]!.distanceKm);
  for (const place of body) {
    equal(
      place.distanceKm,
      Math.round(haversineKm(48.85, 2.35, place.lat, place.lon) * 1000) / 1000,
    );
  }
});

Deno.test("the tree answers what brute force answers, on 300 seeded random points", () => {
  const places = Array.from({ length: index.size }, (_, i) => index.place(i, 0, 0));
  const lats = Float64Array.from(places, (p) => p.lat);
  const lons = Float64Array.from(places, (p) => p.lon);
  const next = random(20_240_601);
  for (let n = 0; n < 300; n++) {
    // Half anywhere on the globe (sphere-uniform), half within a degree of a place.
    let lat: number, lon: number;
    if (n % 2 === 0) {
      lat = Math.asin(2 * next() - 1) * 180 / Math.PI;
      lon = next() * 360 - 180;
    } else {
      const near = places[Math.floor(next() * places.length)]!;
      lat = Math.max(-90, Math.min(90, near.lat + next() * 2 - 1));
      lon = ((near.lon + next() * 2 - 1 + 540) % 360) - 180;
    }
    const brute = nearestByBruteForce(lats, lons, lat, lon, 5);
    const found = index.nearest(lat, lon, 5).map((p) => haversineKm(lat, lon, p.lat, p.lon));
    for (let i = 0; i < 5; i++) {
      ok(
        Math.abs(found[i]! - brute[i]!) < 1e-9,
        `point ${n} (${lat}, ${lon}), neighbour ${i}: tree ${found[i]} km, brute force ${
          brute[i]
        } km`,
      );
    }
  }
});

Deno.test("bad parameters are answered 400 naming the parameter", async () => {
  const cases: [string, RegExp][] = [
    ["lon=2", /^Cannot geocode: lat: required/],
    ["lat=abc&lon=2", /lat: expected a number, got "abc"/],
    ["lat=91&lon=2", /lat: must be from -90 to 90/],
    ["lat=1&lon=-180.5", /lon: must be from -180 to 180/],
    ["lat=1&lon=", /lon: expected a number, got ""/],
    ["lat=1&lon=Infinity", /lon: expected a number/],
    ["lat=1&lon=2&k=0", /k: must be from 1 to 20/],
    ["lat=1&lon=2&k=21", /k: must be from 1 to 20/],
    ["lat=1&lon=2&k=1.5", /k: expected a whole number/],
    ["", /lat: required; lon: required/],
  ];
  for (const [query, message] of cases) {
    const { status, body } = await get(query);
    equal(status, 400, query);
    match(body.error, message, query);
  }
});

Deno.test("only GET and HEAD are allowed", () => {
  const response = geocoder(new Request("http://localhost/?lat=1&lon=2", { method: "POST" }));
  equal(response.status, 405);
  equal(response.headers.get("allow"), "GET, HEAD");
});

Deno.test("the Lambda handler answers a Function URL event, cacheable", async () => {
  const ctx = context();
  const event = eventFor(
    "v2",
    { method: "GET", path: "/", query: "lat=35.68&lon=139.76&k=2" },
    "r",
  );
  const response = asResponse(await handler(event, ctx));
  ctx.dispose();
  equal(response.status, 200);
  equal(response.headers.get("cache-control"), "public, max-age=86400");
  const body = await response.json();
  equal(body.length, 2);
  equal(body[0].name, "Tokyo");
});

Deno.test("the committed index is exactly what the generator builds from the packages", async () => {
  const fresh = buildCityIndex().encode();
  const committed = await Deno.readFile(INDEX_URL);
  equal(committed.length, fresh.length, "run `deno task geocoder-index` to regenerate");
  ok(
    committed.every((byte, i) => byte === fresh[i]),
    "run `deno task geocoder-index` to regenerate",
  );
});
