/**
 * A nearest-place index for the reverse geocoder: places on the unit sphere in a k-d tree,
 * stored as typed arrays so the whole index can be written to one file and loaded back without
 * parsing or rebuilding anything.
 *
 * Points are kept in 3D (x, y, z on the unit sphere) rather than as latitude and longitude, so
 * that there is no seam at the antimeridian and no squeeze at the poles: the straight-line
 * (chord) distance grows with the great-circle distance, so the nearest by chord is the nearest
 * on the globe. The tree is implicit, in the order of the arrays (each range's median at its
 * middle, as in kdbush), so it costs no memory beyond the points.
 *
 * @module
 */

/** A place to index. */
export interface PlaceInput {
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** The first-level division's name, when known. */
  readonly admin1: string | undefined;
  readonly lat: number;
  readonly lon: number;
}

/** A place found near a point. */
export interface Place {
  readonly name: string;
  readonly country: string;
  readonly admin1?: string;
  readonly lat: number;
  readonly lon: number;
  /** Great-circle (haversine) distance from the point asked about, in km, to the metre. */
  readonly distanceKm: number;
}

/** The mean Earth radius (IUGG), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const _MAGIC = 0x4f45474c; // "LGEO" read as little-endian u32
const _VERSION = 1;
const _HEADER_WORDS = 7;
const _NO_ADMIN = 0xffff;
// Ranges this small are scanned rather than split further.
const _LEAF = 8;
const _RAD = Math.PI / 180;

/** A k-d tree of places, searchable by nearest neighbour. */
export class GeoIndex {
  /** How many places. */
  readonly size: number;
  #latE5: Int32Array;
  #lonE5: Int32Array;
  #xyz: Float64Array;
  #nameEnd: Uint32Array;
  #names: Uint8Array;
  #country: Uint16Array;
  #admin1: Uint16Array;
  #countries: readonly string[];
  #admins: readonly string[];
  #decoder = new TextDecoder();

  /** Use {@linkcode buildGeoIndex} or {@linkcode decodeGeoIndex}. */
  constructor(parts: _Parts) {
    this.size = parts.latE5.length;
    this.#latE5 = parts.latE5;
    this.#lonE5 = parts.lonE5;
    this.#nameEnd = parts.nameEnd;
    this.#names = parts.names;
    this.#country = parts.country;
    this.#admin1 = parts.admin1;
    this.#countries = parts.countries;
    this.#admins = parts.admins;
    // Filled in as searches reach each point: computing all of them up front would cost tens
    // of milliseconds of cold start, and a search visits a few hundred points at most.
    this.#xyz = new Float64Array(this.size * 3).fill(NaN);
  }

  /**
   * The `k` places nearest to a point, nearest first.
   *
   * @param lat Latitude in degrees, -90 to 90.
   * @param lon Longitude in degrees, -180 to 180.
   * @param k How many places.
   * @returns Up to `k` places, nearest first.
   */
  nearest(lat: number, lon: number, k = 1): Place[] {
    const q = new Float64Array(3);
    _toXyz(lat, lon, q, 0);
    const count = Math.min(k, this.size);
    if (count <= 0) return [];
    const bestD = new Float64Array(count).fill(Infinity);
    const bestI = new Int32Array(count).fill(-1);
    const xyz = this.#xyz;
    const latE5 = this.#latE5, lonE5 = this.#lonE5;
    const point = (i: number) => {
      if (Number.isNaN(xyz[i * 3])) _toXyz(latE5[i]! / 1e5, lonE5[i]! / 1e5, xyz, i * 3);
    };
    const consider = (i: number) => {
      point(i);
      const dx = xyz[i * 3]! - q[0]!, dy = xyz[i * 3 + 1]! - q[1]!, dz = xyz[i * 3 + 2]! - q[2]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d >= bestD[count - 1]!) return;
      let j = count - 1;
      for (; j > 0 && bestD[j - 1]! > d; j--) {
        bestD[j] = bestD[j - 1]!;
        bestI[j] = bestI[j - 1]!;
      }
      bestD[j] = d;
      bestI[j] = i;
    };
    // Ranges still to search: left, right, axis, and a lower bound of their squared distance.
    const stack: number[] = [0, this.size - 1, 0, 0];
    while (stack.length > 0) {
      const bound = stack.pop()!, axis = stack.pop()!, right = stack.pop()!, left = stack.pop()!;
      if (bound >= bestD[count - 1]!) continue;
      if (right - left <= _LEAF) {
        for (let i = left; i <= right; i++) consider(i);
        continue;
      }
      const m = (left + right) >> 1;
      consider(m); // also makes sure m's coordinates are there
      const d = q[axis]! - xyz[m * 3 + axis]!;
      const next = (axis + 1) % 3;
      // The far side goes on the stack first, so the near side is searched first and shrinks
      // the radius the far side is then checked against.
      if (d <= 0) stack.push(m + 1, right, next, d * d, left, m - 1, next, 0);
      else stack.push(left, m - 1, next, d * d, m + 1, right, next, 0);
    }
    return Array.from(bestI, (i) => this.place(i, lat, lon));
  }

  /**
   * One place, with its distance from a point.
   *
   * @param i The place's position in the index.
   * @param lat The point's latitude.
   * @param lon The point's longitude.
   * @returns The place.
   */
  place(i: number, lat: number, lon: number): Place {
    const placeLat = this.#latE5[i]! / 1e5;
    const placeLon = this.#lonE5[i]! / 1e5;
    const admin = this.#admin1[i]!;
    return {
      name: this.#decoder.decode(
        this.#names.subarray(i === 0 ? 0 : this.#nameEnd[i - 1]!, this.#nameEnd[i]!),
      ),
      country: this.#countries[this.#country[i]!]!,
      ...(admin === _NO_ADMIN ? {} : { admin1: this.#admins[admin]! }),
      lat: placeLat,
      lon: placeLon,
      distanceKm: Math.round(haversineKm(lat, lon, placeLat, placeLon) * 1000) / 1000,
    };
  }

  /**
   * Writes the index as bytes for {@linkcode decodeGeoIndex}.
   *
   * @returns The bytes.
   */
  encode(): Uint8Array {
    const n = this.size;
    const strings = new TextEncoder().encode(
      JSON.stringify({ countries: this.#countries, admin1: this.#admins }),
    );
    const namesStart = (_HEADER_WORDS + 3 * n) * 4 + 4 * n;
    const stringsStart = _align4(namesStart + this.#names.length);
    const bytes = new Uint8Array(stringsStart + strings.length);
    const header = new Uint32Array(bytes.buffer, 0, _HEADER_WORDS);
    header.set([_MAGIC, _VERSION, n, this.#names.length, strings.length, 0, 0]);
    let at = _HEADER_WORDS * 4;
    for (const array of [this.#latE5, this.#lonE5, this.#nameEnd, this.#country, this.#admin1]) {
      bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    bytes.set(this.#names, namesStart);
    bytes.set(strings, stringsStart);
    return bytes;
  }
}

/**
 * Builds the index: sorts the places into k-d order.
 *
 * @example Nearest of three
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { buildGeoIndex } from "./geo_index.ts";
 *
 * const index = buildGeoIndex([
 *   { name: "Paris", country: "FR", admin1: "Île-de-France", lat: 48.85341, lon: 2.3488 },
 *   { name: "Lyon", country: "FR", admin1: undefined, lat: 45.74846, lon: 4.84671 },
 *   { name: "Suva", country: "FJ", admin1: "Central", lat: -18.14161, lon: 178.44149 },
 * ]);
 * equal(index.nearest(48.8, 2.3)[0]?.name, "Paris");
 * equal(index.nearest(-18, -179.9)[0]?.name, "Suva");
 * ```
 *
 * @param places The places.
 * @returns The index.
 * @throws {RangeError} If there are more than 65,535 countries or first-level divisions.
 */
export function buildGeoIndex(places: readonly PlaceInput[]): GeoIndex {
  const n = places.length;
  const xyz = new Float64Array(n * 3);
  places.forEach((p, i) => _toXyz(p.lat, p.lon, xyz, i * 3));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  _sortKd(order, xyz, 0, n - 1, 0);

  const countries = new _Interner();
  const admins = new _Interner();
  const encoder = new TextEncoder();
  const nameBytes: Uint8Array[] = [];
  const parts: _Parts = {
    latE5: new Int32Array(n),
    lonE5: new Int32Array(n),
    nameEnd: new Uint32Array(n),
    names: new Uint8Array(0),
    country: new Uint16Array(n),
    admin1: new Uint16Array(n),
    countries: countries.values,
    admins: admins.values,
  };
  let end = 0;
  order.forEach((from, i) => {
    const p = places[from]!;
    parts.latE5[i] = Math.round(p.lat * 1e5);
    parts.lonE5[i] = Math.round(p.lon * 1e5);
    const name = encoder.encode(p.name);
    nameBytes.push(name);
    end += name.length;
    parts.nameEnd[i] = end;
    parts.country[i] = countries.id(p.country);
    parts.admin1[i] = p.admin1 === undefined ? _NO_ADMIN : admins.id(p.admin1);
  });
  const names = new Uint8Array(end);
  let at = 0;
  for (const name of nameBytes) {
    names.set(name, at);
    at += name.length;
  }
  return new GeoIndex({ ...parts, names });
}

/**
 * Loads an index written by {@linkcode GeoIndex.encode}. The arrays are views of `bytes`,
 * except when `bytes` is not 4-byte aligned, when it is copied once.
 *
 * @param bytes The encoded index.
 * @returns The index.
 * @throws {TypeError} If the bytes are not an index of this version.
 */
export function decodeGeoIndex(bytes: Uint8Array): GeoIndex {
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const header = bytes.length >= _HEADER_WORDS * 4
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, _HEADER_WORDS)
    : undefined;
  if (header?.[0] !== _MAGIC || header[1] !== _VERSION) {
    throw new TypeError(`Cannot load the place index: not a version ${_VERSION} index file`);
  }
  const [, , n = 0, namesLength = 0, stringsLength = 0] = header;
  const buffer = bytes.buffer;
  let at = bytes.byteOffset + _HEADER_WORDS * 4;
  const take = <T>(make: (offset: number) => T, byteLength: number): T => {
    const array = make(at);
    at += byteLength;
    return array;
  };
  const latE5 = take((o) => new Int32Array(buffer, o, n), 4 * n);
  const lonE5 = take((o) => new Int32Array(buffer, o, n), 4 * n);
  const nameEnd = take((o) => new Uint32Array(buffer, o, n), 4 * n);
  const country = take((o) => new Uint16Array(buffer, o, n), 2 * n);
  const admin1 = take((o) => new Uint16Array(buffer, o, n), 2 * n);
  const names = new Uint8Array(buffer, at, namesLength);
  const stringsAt = bytes.byteOffset + _align4(at - bytes.byteOffset + namesLength);
  const strings = JSON.parse(
    new TextDecoder().decode(new Uint8Array(buffer, stringsAt, stringsLength)),
  ) as { countries: string[]; admin1: string[] };
  return new GeoIndex({
    latE5,
    lonE5,
    nameEnd,
    names,
    country,
    admin1,
    countries: strings.countries,
    admins: strings.admin1,
  });
}

/**
 * The great-circle distance between two points, by the haversine formula.
 *
 * @example Paris to London
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { haversineKm } from "./geo_index.ts";
 *
 * equal(Math.round(haversineKm(48.8566, 2.3522, 51.5074, -0.1278)), 344);
 * ```
 *
 * @param lat1 The first point's latitude, in degrees.
 * @param lon1 The first point's longitude.
 * @param lat2 The second point's latitude.
 * @param lon2 The second point's longitude.
 * @returns The distance in km.
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * _RAD;
  const dLon = (lon2 - lon1) * _RAD;
  const a = Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * _RAD) * Math.cos(lat2 * _RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The arrays an index is made of. */
interface _Parts {
  readonly latE5: Int32Array;
  readonly lonE5: Int32Array;
  readonly nameEnd: Uint32Array;
  readonly names: Uint8Array;
  readonly country: Uint16Array;
  readonly admin1: Uint16Array;
  readonly countries: readonly string[];
  readonly admins: readonly string[];
}

class _Interner {
  readonly values: string[] = [];
  #ids = new Map<string, number>();

  id(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      if (id >= _NO_ADMIN) throw new RangeError("Cannot index: more than 65,535 distinct names");
      this.#ids.set(value, id);
    }
    return id;
  }
}

function _toXyz(lat: number, lon: number, out: Float64Array, at: number): void {
  const phi = lat * _RAD, lambda = lon * _RAD;
  const c = Math.cos(phi);
  out[at] = c * Math.cos(lambda);
  out[at + 1] = c * Math.sin(lambda);
  out[at + 2] = Math.sin(phi);
}

function _align4(n: number): number {
  return (n + 3) & ~3;
}

/** Puts each range's median (on the range's axis) in its middle, recursively, as kdbush does. */
function _sortKd(order: Int32Array, xyz: Float64Array, left: number, right: number, axis: number) {
  if (right - left <= _LEAF) return;
  const m = (left + right) >> 1;
  _select(order, xyz, m, left, right, axis);
  const next = (axis + 1) % 3;
  _sortKd(order, xyz, left, m - 1, next);
  _sortKd(order, xyz, m + 1, right, next);
}

/** Floyd–Rivest selection: after it, `order[k]` is the k-th smallest on `axis` in the range. */
function _select(
  order: Int32Array,
  xyz: Float64Array,
  k: number,
  left: number,
  right: number,
  axis: number,
): void {
  const value = (i: number) => xyz[order[i]! * 3 + axis]!;
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      _select(order, xyz, k, newLeft, newRight, axis);
    }
    const t = value(k);
    let i = left;
    let j = right;
    _swap(order, left, k);
    if (value(right) > t) _swap(order, left, right);
    while (i < j) {
      _swap(order, i, j);
      i++;
      j--;
      while (value(i) < t) i++;
      while (value(j) > t) j--;
    }
    if (value(left) === t) _swap(order, left, j);
    else {
      j++;
      _swap(order, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function _swap(order: Int32Array, i: number, j: number): void {
  const t = order[i]!;
  order[i] = order[j]!;
  order[j] = t;
}
