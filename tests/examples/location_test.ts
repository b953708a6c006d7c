// The location example against a real S3-compatible server (s3rver on 127.0.0.1), driven
// through the HTTP adapter with API Gateway HTTP API events.
import { deepEqual, equal, match } from "node:assert/strict";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { createLocationHandler, locationFromEnv } from "../../handlers/location.ts";
import { httpHandler } from "../../src/http/mod.ts";
import { type ClientRequest, eventFor } from "../http/_events.ts";
import { asResponse, context } from "../http/_support.ts";
import { startS3 } from "./_s3.ts";

const BUCKET = "tracks";
// 2023-11-14 22:13:20 UTC and later the same day.
const T0 = 1_700_000_000;

async function call(
  fetch: Parameters<typeof httpHandler>[0],
  request: ClientRequest,
): Promise<Response> {
  const ctx = context();
  try {
    return asResponse(await httpHandler(fetch)(eventFor("v2", request, "req-1"), ctx));
  } finally {
    ctx.dispose();
  }
}

function post(body: unknown, who: { u?: string; d?: string } = { u: "ada", d: "phone" }) {
  const headers: [string, string][] = [["content-type", "application/json"]];
  if (who.u !== undefined) headers.push(["x-limit-u", who.u]);
  if (who.d !== undefined) headers.push(["x-limit-d", who.d]);
  return { method: "POST", path: "/", headers, body: JSON.stringify(body) };
}

function fix(tst: number, lat: number, lon: number) {
  return { _type: "location", lat, lon, tst, acc: 12, tid: "ap", batt: 80 };
}

async function readObject(s3: S3Client, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await object.Body!.transformToString());
}

async function keys(s3: S3Client): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((object) => object.Key ?? "");
}

Deno.test("a location post is stored as its own object and as the latest point", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  const response = await call(location, post(fix(T0, 48.8566, 2.3522)));
  equal(response.status, 200);
  deepEqual(await response.json(), []);
  const stored = {
    lat: 48.8566,
    lon: 2.3522,
    tst: T0,
    acc: 12,
    tid: "ap",
    batt: 80,
    user: "ada",
    device: "phone",
  };
  deepEqual(await readObject(server.s3, "tracks/ada/phone/2023-11-14/1700000000.json"), stored);
  deepEqual(await readObject(server.s3, "latest/ada/phone.json"), stored);
});

Deno.test("the user and device may come from the u and d query parameters", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  const request = { ...post(fix(T0, 1, 2), {}), query: "u=bob&d=watch" };
  equal((await call(location, request)).status, 200);
  deepEqual(await keys(server.s3), [
    "latest/bob/watch.json",
    "tracks/bob/watch/2023-11-14/1700000000.json",
  ]);
});

Deno.test("an invalid location is answered 400 naming each bad field, and nothing is stored", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  const response = await call(location, post({ _type: "location", lat: 91, lon: "2", tst: 1.5 }));
  equal(response.status, 400);
  const body = await response.json();
  deepEqual(body.fields, ["lat", "lon", "tst"]);
  match(body.error, /^Cannot store the location: lat: .*; lon: expected number.*; tst: /);
  deepEqual(await keys(server.s3), []);
});

Deno.test("a body that is not an OwnTracks message is answered 400", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  const notJson = { ...post(null), body: "lat=1" };
  equal((await call(location, notJson)).status, 400);
  const noType = await call(location, post({ lat: 1, lon: 2, tst: T0 }));
  equal(noType.status, 400);
  match((await noType.json()).error, /_type/);
});

Deno.test("a post without user or device is answered 400 saying which is missing", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  const response = await call(location, post(fix(T0, 1, 2), { u: "ada" }));
  equal(response.status, 400);
  match((await response.json()).error, /device missing/);
  const unsafe = await call(location, post(fix(T0, 1, 2), { u: "../etc", d: "phone" }));
  equal(unsafe.status, 400);
});

Deno.test("other OwnTracks messages are acknowledged with [] and not stored", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  for (const message of [{ _type: "transition", event: "enter" }, { _type: "waypoints" }]) {
    const response = await call(location, post(message, {}));
    equal(response.status, 200);
    deepEqual(await response.json(), []);
  }
  deepEqual(await keys(server.s3), []);
});

Deno.test("/last answers the newest point even when an older one arrives later", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  await call(location, post(fix(T0 + 60, 48.86, 2.35)));
  await call(location, post(fix(T0, 48.85, 2.34)));
  const response = await call(location, {
    method: "GET",
    path: "/last",
    query: "user=ada&device=phone",
  });
  equal(response.status, 200);
  const last = await response.json();
  equal(last.tst, T0 + 60);
  equal(last.lat, 48.86);
});

Deno.test("a point from the far future is refused 400 and cannot pin /last", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  // 10000-01-01: valid for JavaScript, but no device reports from there.
  const response = await call(location, post(fix(253_402_300_800, 1, 2)));
  equal(response.status, 400);
  const body = await response.json();
  match(body.error, /^Cannot store the location: tst: .*in the future/);
  deepEqual(body.fields, ["tst"]);
  deepEqual(await keys(server.s3), []);
  equal((await call(location, post(fix(T0, 48.85, 2.34)))).status, 200);
  const last = await call(location, {
    method: "GET",
    path: "/last",
    query: "user=ada&device=phone",
  });
  equal((await last.json()).tst, T0);
});

Deno.test("a time JavaScript cannot represent as a date is refused 400, not 500", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  // Past Date's limit of 8.64e15 ms, still a safe integer of seconds.
  const response = await call(location, post(fix(9_000_000_000_000, 1, 2)));
  equal(response.status, 400);
  match((await response.json()).error, /^Cannot store the location: tst: /);
  deepEqual(await keys(server.s3), []);
});

Deno.test("a point a little ahead of the server's clock is accepted", async () => {
  await using server = await startS3(BUCKET);
  const now = () => T0 * 1000;
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET, now });
  equal((await call(location, post(fix(T0 + 60, 1, 2)))).status, 200);
  const late = await call(location, post(fix(T0 + 3600, 1, 2)));
  equal(late.status, 400);
  match((await late.json()).error, /in the future/);
});

Deno.test("/track answers the day's GeoJSON, line and points in time order", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  // Posted out of order, plus one point on the next day that must not appear.
  for (const [tst, lat, lon] of [[T0 + 120, 3, 30], [T0, 1, 10], [T0 + 60, 2, 20]] as const) {
    equal((await call(location, post(fix(tst, lat, lon)))).status, 200);
  }
  await call(location, post(fix(T0 + 86_400, 9, 90)));
  const response = await call(location, {
    method: "GET",
    path: "/track",
    query: "user=ada&device=phone&date=2023-11-14",
  });
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "application/geo+json");
  const geojson = await response.json();
  equal(geojson.type, "FeatureCollection");
  const [line, ...points] = geojson.features;
  deepEqual(line.geometry, { type: "LineString", coordinates: [[10, 1], [20, 2], [30, 3]] });
  deepEqual(line.properties, {
    user: "ada",
    device: "phone",
    date: "2023-11-14",
    from: "2023-11-14T22:13:20.000Z",
    to: "2023-11-14T22:15:20.000Z",
    points: 3,
  });
  deepEqual(points.map((p: { geometry: unknown }) => p.geometry), [
    { type: "Point", coordinates: [10, 1] },
    { type: "Point", coordinates: [20, 2] },
    { type: "Point", coordinates: [30, 3] },
  ]);
  deepEqual(points[0].properties, {
    tst: T0,
    acc: 12,
    tid: "ap",
    batt: 80,
    time: "2023-11-14T22:13:20.000Z",
  });

  // Without a date: the day of the newest point, which has one fix and so no line.
  const latestDay = await call(location, {
    method: "GET",
    path: "/track",
    query: "user=ada&device=phone",
  });
  const day = await latestDay.json();
  deepEqual(day.features.map((f: { geometry: { type: string } }) => f.geometry.type), ["Point"]);
});

Deno.test("an unknown user or device is answered 404", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  await call(location, post(fix(T0, 1, 2)));
  for (const query of ["user=eve&device=phone", "user=ada&device=tablet"]) {
    equal((await call(location, { method: "GET", path: "/last", query })).status, 404);
    equal((await call(location, { method: "GET", path: "/track", query })).status, 404);
  }
  const otherDay = "user=ada&device=phone&date=2023-11-15";
  equal((await call(location, { method: "GET", path: "/track", query: otherDay })).status, 404);
  const badDate = "user=ada&device=phone&date=2023-02-30";
  equal((await call(location, { method: "GET", path: "/track", query: badDate })).status, 400);
});

Deno.test("with a secret, requests need it as the basic password or a bearer token", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET, secret: "s3cret" });
  const request = post(fix(T0, 1, 2));
  const denied = await call(location, request);
  equal(denied.status, 401);
  equal(denied.headers.get("www-authenticate"), 'Basic realm="location"');
  const wrong = [...request.headers, ["authorization", `Basic ${btoa("ada:nope")}`]] as const;
  equal((await call(location, { ...request, headers: wrong })).status, 401);
  const basic = [...request.headers, ["authorization", `Basic ${btoa("ada:s3cret")}`]] as const;
  equal((await call(location, { ...request, headers: basic })).status, 200);
  const bearer = [["authorization", "Bearer s3cret"]] as const;
  const last = { method: "GET", path: "/last", query: "user=ada&device=phone", headers: bearer };
  equal((await call(location, last)).status, 200);
});

Deno.test("other paths are 404 and other methods 405", async () => {
  await using server = await startS3(BUCKET);
  const location = createLocationHandler({ s3: server.s3, bucket: BUCKET });
  equal((await call(location, { method: "GET", path: "/nope" })).status, 404);
  const wrongMethod = await call(location, { method: "GET", path: "/" });
  equal(wrongMethod.status, 405);
  equal(wrongMethod.headers.get("allow"), "POST");
});

Deno.test("without LOCATION_BUCKET every request fails with that explanation", async () => {
  const location = locationFromEnv({ get: () => undefined });
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(...args);
  try {
    equal((await call(location, post(fix(T0, 1, 2)))).status, 500);
  } finally {
    console.error = original;
  }
  match(String(errors.at(-1)), /LOCATION_BUCKET is not set/);
});

Deno.test("the environment's S3_ENDPOINT and bucket reach the server", async () => {
  await using server = await startS3(BUCKET);
  const env: Record<string, string> = {
    LOCATION_BUCKET: BUCKET,
    S3_ENDPOINT: server.endpoint,
    AWS_REGION: "eu-west-1",
  };
  const previous = {
    id: Deno.env.get("AWS_ACCESS_KEY_ID"),
    key: Deno.env.get("AWS_SECRET_ACCESS_KEY"),
  };
  Deno.env.set("AWS_ACCESS_KEY_ID", "S3RVER");
  Deno.env.set("AWS_SECRET_ACCESS_KEY", "S3RVER");
  try {
    const location = locationFromEnv({ get: (name) => env[name] });
    equal((await call(location, post(fix(T0, 1, 2)))).status, 200);
  } finally {
    for (
      const [name, value] of [["AWS_ACCESS_KEY_ID", previous.id], [
        "AWS_SECRET_ACCESS_KEY",
        previous.key,
      ]] as const
    ) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
  deepEqual(await keys(server.s3), [
    "latest/ada/phone.json",
    "tracks/ada/phone/2023-11-14/1700000000.json",
  ]);
});
