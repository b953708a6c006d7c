/**
 * Where the location example keeps its track in S3, and the S3 calls that read and write it.
 *
 * One object per point, `tracks/<user>/<device>/<yyyy-mm-dd>/<tst>.json` (UTC day, `tst` padded
 * so keys sort by time), so concurrent posts never rewrite each other's objects and a repeated
 * post of the same point is harmless. `latest/<user>/<device>.json` holds the newest point; it
 * only moves forward in time and is replaced with a conditional write, so a late or retried
 * post of an older point cannot hide a newer one.
 *
 * @module
 */

import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";

/** A point as stored: the device's report plus who sent it. */
export interface StoredPoint {
  readonly user: string;
  readonly device: string;
  /** Epoch seconds of the fix. */
  readonly tst: number;
  readonly lat: number;
  readonly lon: number;
  /** Everything else the device reported (`acc`, `tid`, `batt`, …). */
  readonly [field: string]: unknown;
}

/** Options for {@linkcode LocationStore}. */
export interface LocationStoreOptions {
  /** The S3 client, created once per sandbox. */
  readonly s3: S3Client;
  /** The bucket holding `tracks/` and `latest/`. */
  readonly bucket: string;
}

// Objects fetched at once when reading a day's track.
const _READ_CONCURRENCY = 8;
// Attempts at replacing the latest point when other writers keep winning the race.
const _LATEST_ATTEMPTS = 4;

/** Reads and writes one bucket's tracks. */
export class LocationStore {
  #s3: S3Client;
  #bucket: string;

  /** @param options The client and the bucket. */
  constructor(options: LocationStoreOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
  }

  /**
   * Stores a point and makes it the latest one unless a newer point is already there.
   *
   * @param point The point.
   * @param signal Aborts the S3 calls.
   */
  async put(point: StoredPoint, signal?: AbortSignal): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: trackKey(point.user, point.device, point.tst),
        Body: JSON.stringify(point),
        ContentType: "application/json",
      }),
      _send(signal),
    );
    await this.#advanceLatest(point, signal);
  }

  /**
   * The newest point of a device.
   *
   * @param user The user.
   * @param device The device.
   * @param signal Aborts the S3 call.
   * @returns The point, or `undefined` if the device never reported.
   */
  async latest(
    user: string,
    device: string,
    signal?: AbortSignal,
  ): Promise<StoredPoint | undefined> {
    return (await this.#get(latestKey(user, device), signal))?.point;
  }

  /**
   * A device's points of one UTC day, oldest first.
   *
   * @param user The user.
   * @param device The device.
   * @param date The day, `yyyy-mm-dd`.
   * @param signal Aborts the S3 calls.
   * @returns The points; empty if there are none.
   */
  async track(
    user: string,
    device: string,
    date: string,
    signal?: AbortSignal,
  ): Promise<StoredPoint[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: `tracks/${user}/${device}/${date}/`,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
        _send(signal),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);

    const points: StoredPoint[] = [];
    for (let i = 0; i < keys.length; i += _READ_CONCURRENCY) {
      const batch = keys.slice(i, i + _READ_CONCURRENCY).map((key) => this.#get(key, signal));
      for (const found of await Promise.all(batch)) if (found) points.push(found.point);
    }
    return points.sort((a, b) => a.tst - b.tst);
  }

  async #advanceLatest(point: StoredPoint, signal: AbortSignal | undefined): Promise<void> {
    const key = latestKey(point.user, point.device);
    for (let attempt = 1; attempt <= _LATEST_ATTEMPTS; attempt++) {
      const current = await this.#get(key, signal);
      if (current !== undefined && current.point.tst >= point.tst) return;
      try {
        await this.#s3.send(
          new PutObjectCommand({
            Bucket: this.#bucket,
            Key: key,
            Body: JSON.stringify(point),
            ContentType: "application/json",
            // Only replace what was read: a writer that got in between makes this one re-check.
            ...(current === undefined ? { IfNoneMatch: "*" } : { IfMatch: current.etag }),
          }),
          _send(signal),
        );
        return;
      } catch (error) {
        if (!_lostRace(error) || attempt === _LATEST_ATTEMPTS) throw error;
      }
    }
  }

  async #get(
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<{ point: StoredPoint; etag: string | undefined } | undefined> {
    try {
      const object = await this.#s3.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
        _send(signal),
      );
      const text = await object.Body?.transformToString("utf-8");
      if (text === undefined) return undefined;
      return { point: JSON.parse(text) as StoredPoint, etag: object.ETag };
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === "NoSuchKey") return undefined;
      throw error;
    }
  }
}

/**
 * The key of one point.
 *
 * @example Keys sort by time within a day
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { trackKey } from "./location_store.ts";
 *
 * equal(trackKey("ada", "phone", 1_700_000_000), "tracks/ada/phone/2023-11-14/1700000000.json");
 * equal(trackKey("ada", "phone", 86_400), "tracks/ada/phone/1970-01-02/0000086400.json");
 * ```
 *
 * @param user The user.
 * @param device The device.
 * @param tst The fix's time in epoch seconds.
 * @returns `tracks/<user>/<device>/<yyyy-mm-dd>/<tst>.json`.
 */
export function trackKey(user: string, device: string, tst: number): string {
  return `tracks/${user}/${device}/${utcDay(tst)}/${String(tst).padStart(10, "0")}.json`;
}

/**
 * The key of a device's newest point.
 *
 * @param user The user.
 * @param device The device.
 * @returns `latest/<user>/<device>.json`.
 */
export function latestKey(user: string, device: string): string {
  return `latest/${user}/${device}.json`;
}

/**
 * The UTC day of an epoch time.
 *
 * @param tst Epoch seconds.
 * @returns `yyyy-mm-dd`.
 */
export function utcDay(tst: number): string {
  return new Date(tst * 1000).toISOString().slice(0, 10);
}

function _lostRace(error: unknown): boolean {
  // 412: the object changed (or appeared) since it was read; 409: a concurrent conditional write.
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  return status === 412 || status === 409;
}

function _send(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}
