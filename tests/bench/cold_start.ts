// Cold-start cost of importing src/events/streams/sqs.ts: spawns `deno run` of a file importing it and of
// one importing nothing, alternately, and prints the medians and their difference.
// Run with: deno run -A tests/bench/cold_start.ts [runs]
const runs = Number(Deno.args[0] ?? 15);
const root = new URL("../../", import.meta.url);
const config = new URL("deno.json", root).pathname;
const dir = await Deno.makeTempDir({ dir: new URL("tests/bench/", root).pathname });

try {
  const files = {
    nothing: `${dir}/empty.ts`,
    sqs: `${dir}/sqs.ts`,
  };
  await Deno.writeTextFile(files.nothing, "globalThis.x = 1;\n");
  await Deno.writeTextFile(
    files.sqs,
    `import { SqsEventSchema } from "${new URL("src/events/streams/sqs.ts", root).href}";\n` +
      "globalThis.x = SqsEventSchema;\n",
  );
  const time = async (file: string): Promise<number> => {
    const start = performance.now();
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-lock", `--config=${config}`, file],
      stdout: "null",
    }).output();
    if (!success) throw new Error(`Cannot run ${file}`);
    return performance.now() - start;
  };
  // The first runs fill the module and code caches; a cold Lambda has them from the deploy.
  await time(files.sqs);
  await time(files.nothing);
  const samples = { nothing: [] as number[], sqs: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.nothing.push(await time(files.nothing));
    samples.sqs.push(await time(files.sqs));
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const a = median(samples.nothing);
  const b = median(samples.sqs);
  console.log(`runs: ${runs} each`);
  console.log(`median, importing nothing:           ${a.toFixed(1)} ms`);
  console.log(`median, importing src/events/streams/sqs.ts: ${b.toFixed(1)} ms`);
  console.log(`median difference:                   ${(b - a).toFixed(1)} ms`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
