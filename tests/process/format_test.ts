import { equal } from "node:assert/strict";
import { format as nodeFormat } from "node:util";
import { format } from "../../src/process/format.ts";

const cases: [string, unknown[]][] = [
  ["a lone string", ["plain"]],
  ["%s with a string and a number", ["%s=%s", "a", 1]],
  ["%d, %i and %f", ["%d %i %f", "42.5", "42.5", "42.5"]],
  ["%d with a bigint", ["%d", 10n]],
  ["%j with an object", ["%j", { a: [1, 2] }]],
  ["%% is a literal percent", ["100%% of %s", "it"]],
  ["a directive without an argument stays", ["%s and %d", "one"]],
  ["an unknown directive stays", ["%x %s", "y"]],
  ["extra arguments are appended", ["total:", 3, "items", true, null, undefined]],
  ["a leading number", [1, "a", 2]],
  ["an array", [[1, 2, 3]]],
  ["-0 with %d", ["%d", -0]],
];

for (const [what, args] of cases) {
  Deno.test(`format() matches util.format: ${what}`, () => {
    equal(format(...args), nodeFormat(...args));
  });
}

Deno.test("format() reports a circular %j value instead of throwing", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  equal(format("%j", circular), "[Circular]");
});

Deno.test("format() shows objects as Node's util.inspect does: single quotes, depth 2", () => {
  equal(format("got", { a: 1, b: "two" }), "got { a: 1, b: 'two' }");
  equal(format("deep", { a: { b: { c: { d: 1 } } } }), "deep { a: { b: { c: [Object] } } }");
  equal(format("%s", { a: { b: 1 } }), "{ a: [Object] }");
  equal(format(["x", 1n]), "[ 'x', 1n ]");
});

Deno.test("format() drops %c styling", () => {
  equal(format("%cbold", "font-weight: bold"), "bold");
});

Deno.test("format() shows an Error with its stack", () => {
  const error = new Error("boom");
  equal(format("failed:", error).startsWith("failed: Error: boom\n    at "), true);
});
