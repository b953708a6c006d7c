// A function's output becomes log lines of at most 256 KB, as Lambda cuts them, through a buffer
// that stays within that bound however long a line runs.
import { deepEqual, equal, ok } from "node:assert/strict";
import { LineSplitter, MAX_LOG_LINE_BYTES } from "../../src/emulator/sandbox/log_lines.ts";
import { scratchDir } from "../_scratch.ts";
import { invoke, startEmulator } from "./_support.ts";

const encoder = new TextEncoder();

Deno.test("LineSplitter cuts 40 MB without a newline into 256 KB lines, its buffer bounded", () => {
  const sizes: number[] = [];
  let largestCapacity = 0;
  const splitter = new LineSplitter((line) => sizes.push(encoder.encode(line).length));
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  const total = 40 * 1024 * 1024;
  for (let sent = 0; sent < total; sent += chunk.length) {
    splitter.push(chunk);
    largestCapacity = Math.max(largestCapacity, splitter.capacity);
  }
  splitter.end();
  ok(largestCapacity <= MAX_LOG_LINE_BYTES, `the buffer grew to ${largestCapacity} bytes`);
  equal(sizes.length, total / MAX_LOG_LINE_BYTES);
  ok(sizes.every((size) => size === MAX_LOG_LINE_BYTES));
});

Deno.test("LineSplitter never cuts a UTF-8 character, and drops the CR of CRLF", () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), 8);
  // "aé€😀" is 1 + 2 + 3 + 4 bytes: every cut at 8 bytes falls inside a character.
  const text = "aé€😀".repeat(5);
  const bytes = encoder.encode(`${text}\r\nnext\nlast`);
  // Fed a byte at a time, so that characters also arrive split.
  for (const byte of bytes) splitter.push(Uint8Array.of(byte));
  splitter.end();
  ok(lines.every((line) => !line.includes("\uFFFD")), JSON.stringify(lines));
  ok(lines.every((line) => encoder.encode(line).length <= 8), JSON.stringify(lines));
  equal(lines.slice(0, -2).join(""), text);
  deepEqual(lines.slice(-2), ["next", "last"]);
});

Deno.test("A function's line over 256 KB reaches the emulator's log cut into 256 KB lines", async () => {
  const dir = await scratchDir("lambdeno-long-line-");
  const length = Math.floor(2.5 * MAX_LOG_LINE_BYTES);
  await Deno.writeTextFile(
    `${dir}/chatty.ts`,
    `export function handler() {
  Deno.stdout.writeSync(new TextEncoder().encode("y".repeat(${length})));
  Deno.stdout.writeSync(new TextEncoder().encode("\\n"));
  return "done";
}
`,
  );
  const { emulator, log } = await startEmulator({ handlersDir: dir });
  await using _ = emulator;
  const response = await invoke(emulator, "chatty", "{}");
  equal(await response.text(), '"done"');
  await log.waitFor(/^\[chatty\] REPORT/);
  const pieces = log.matching(/^\[chatty\] y/).map((line) => line.length - "[chatty] ".length);
  deepEqual(pieces, [MAX_LOG_LINE_BYTES, MAX_LOG_LINE_BYTES, length - 2 * MAX_LOG_LINE_BYTES]);
});
