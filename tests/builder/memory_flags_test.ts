import { deepEqual, equal, throws } from "node:assert/strict";
import { compiledHeapMemory, v8MemoryFlags } from "../../src/builder/layouts/memory_flags.ts";

Deno.test("v8MemoryFlags() sizes Lambda's smallest and largest memory as Node.js does", () => {
  deepEqual(v8MemoryFlags(128), ["--max-semi-space-size=6", "--max-old-space-size=116"]);
  deepEqual(v8MemoryFlags(10240), ["--max-semi-space-size=512", "--max-old-space-size=9216"]);
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    throws(() => v8MemoryFlags(bad), RangeError, String(bad));
  }
});

Deno.test("compiledHeapMemory() takes the smallest function's memory, else the default", () => {
  equal(compiledHeapMemory([512, undefined, 256], 1024), 256);
  equal(compiledHeapMemory([undefined], 1024), 1024);
  // A module in handlers/ that exports no function still makes an artifact.
  equal(compiledHeapMemory([], 1024), 1024);
});
