import { deepEqual, equal, ok } from "node:assert/strict";
import {
  ErrorRecord,
  formatJsonLine,
  formatTextLine,
  installConsoleLogging,
  parseLogFormat,
  parseLogLevel,
} from "../../src/process/logging.ts";

const T = "2026-11-27T10:00:00.000Z";

Deno.test("formatTextLine() writes timestamp, request id, level and message, tab-separated", () => {
  equal(formatTextLine(T, "r1", "INFO", ["hello"]), `${T}\tr1\tINFO\thello\n`);
});

Deno.test("formatTextLine() writes undefined for the request id outside an invocation", () => {
  equal(formatTextLine(T, undefined, "WARN", ["init"]), `${T}\tundefined\tWARN\tinit\n`);
});

Deno.test("formatTextLine() keeps a multi-line message on one line, with \\r", () => {
  const line = formatTextLine(T, "r1", "ERROR", ["one\ntwo\nthree"]);
  equal(line, `${T}\tr1\tERROR\tone\rtwo\rthree\n`);
  equal(line.split("\n").length, 2);
});

Deno.test("formatTextLine() formats arguments like console.log", () => {
  equal(
    formatTextLine(T, "r1", "INFO", ["%s=%d", "n", 42, { a: 1 }]),
    `${T}\tr1\tINFO\tn=42 { a: 1 }\n`,
  );
  // A lone string is never treated as a format.
  equal(formatTextLine(T, "r1", "INFO", ["100%%"]), `${T}\tr1\tINFO\t100%%\n`);
});

Deno.test("formatJsonLine() keeps a lone object as structured data", () => {
  const record = JSON.parse(formatJsonLine(T, "r1", undefined, "INFO", [{ user: { id: 7 } }]));
  deepEqual(record, { timestamp: T, level: "INFO", requestId: "r1", message: { user: { id: 7 } } });
});

Deno.test("formatJsonLine() formats a string with arguments into the message", () => {
  const record = JSON.parse(formatJsonLine(T, "r1", undefined, "DEBUG", ["n=%d", 3]));
  equal(record.message, "n=3");
});

Deno.test("formatJsonLine() adds the tenant id when there is one", () => {
  const record = JSON.parse(formatJsonLine(T, "r1", "tenant-a", "INFO", ["x"]));
  equal(record.tenantId, "tenant-a");
  ok(!("tenantId" in JSON.parse(formatJsonLine(T, "r1", undefined, "INFO", ["x"]))));
});

Deno.test("formatJsonLine() omits the request id outside an invocation", () => {
  ok(!("requestId" in JSON.parse(formatJsonLine(T, undefined, undefined, "INFO", ["x"]))));
});

Deno.test("formatJsonLine() adds errorType, errorMessage and stackTrace for an Error argument", () => {
  const error = new RangeError("out of range");
  const record = JSON.parse(formatJsonLine(T, "r1", undefined, "ERROR", ["failed:", error]));
  equal(record.errorType, "RangeError");
  equal(record.errorMessage, "out of range");
  deepEqual(record.stackTrace, error.stack!.split("\n"));
  ok(record.message.startsWith("failed: RangeError: out of range"));
});

Deno.test("formatJsonLine() describes a lone Error as the message object", () => {
  const error = new TypeError("bad");
  const record = JSON.parse(formatJsonLine(T, "r1", undefined, "ERROR", [error]));
  equal(record.message.errorType, "TypeError");
  equal(record.message.errorMessage, "bad");
  deepEqual(record.message.stackTrace, error.stack!.split("\n"));
});

Deno.test("formatJsonLine() falls back to a string for values JSON cannot hold", () => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const record = JSON.parse(formatJsonLine(T, "r1", undefined, "INFO", [cyclic]));
  equal(typeof record.message, "string");
  ok(record.message.includes("loop"));
  equal(JSON.parse(formatJsonLine(T, "r1", undefined, "INFO", [10n])).message, "10n");
});

Deno.test("formatJsonLine() writes exactly one line", () => {
  const line = formatJsonLine(T, "r1", undefined, "INFO", [{ text: "a\nb" }, "c\nd"]);
  equal(line.indexOf("\n"), line.length - 1);
});

Deno.test("parseLogFormat() and parseLogLevel() read Lambda's variables in any case", () => {
  equal(parseLogFormat("json"), "JSON");
  equal(parseLogFormat(undefined), "TEXT");
  equal(parseLogFormat("xml"), "TEXT");
  equal(parseLogLevel("warn"), "WARN");
  equal(parseLogLevel("verbose"), undefined);
});

Deno.test("installConsoleLogging() maps console methods to levels and drops those below the minimum", () => {
  const lines: string[] = [];
  const fake = {} as Console;
  installConsoleLogging(fake, {
    format: "JSON",
    minLevel: "DEBUG",
    scope: () => undefined,
    write: (line) => lines.push(line),
    now: () => 0,
  });
  fake.trace("t");
  fake.debug("d");
  fake.log("l");
  fake.info("i");
  fake.warn("w");
  fake.error("e");
  deepEqual(lines.map((line) => JSON.parse(line).level), [
    "DEBUG",
    "INFO",
    "INFO",
    "WARN",
    "ERROR",
  ]);
});

class HttpError extends Error {
  constructor(message: string, readonly statusCode: number) {
    super(message);
  }
}

function thrown(): HttpError {
  const error = new HttpError("bad", 400);
  Object.assign(error, { code: "E_BAD" });
  error.stack = "Error: bad\n    at f (file:///h.ts:1:2)";
  return error;
}

Deno.test("formatTextLine() writes an Invoke Error as the Node.js runtime does, own properties too", () => {
  equal(
    formatTextLine("2026-01-01T00:00:00.000Z", "r1", "ERROR", [
      "Invoke Error",
      new ErrorRecord(thrown()),
    ]),
    '2026-01-01T00:00:00.000Z\tr1\tERROR\tInvoke Error \t{"errorType":"Error",' +
      '"errorMessage":"bad","code":"E_BAD","statusCode":400,' +
      '"stack":["Error: bad","    at f (file:///h.ts:1:2)"]}\n',
  );
});

Deno.test("formatTextLine() logs a thrown string as Node's new Error(value)", () => {
  const line = formatTextLine("t", "r1", "ERROR", ["Invoke Error", new ErrorRecord("boom")]);
  const json = JSON.parse(line.slice(line.indexOf("\t{") + 1));
  equal(json.errorType, "Error");
  equal(json.errorMessage, "boom");
  equal(json.stack[0], "Error: boom");
});

Deno.test("formatJsonLine() nests an Invoke Error under message, as Node does", () => {
  const line = formatJsonLine("2026-01-01T00:00:00.000Z", "r1", undefined, "ERROR", [
    "Invoke Error",
    new ErrorRecord(thrown()),
  ]);
  deepEqual(JSON.parse(line), {
    timestamp: "2026-01-01T00:00:00.000Z",
    level: "ERROR",
    requestId: "r1",
    message: {
      errorType: "HttpError",
      errorMessage: "bad",
      stackTrace: ["Error: bad", "    at f (file:///h.ts:1:2)"],
      statusCode: 400,
      code: "E_BAD",
    },
  });
});

Deno.test("formatJsonLine() keeps undefined arguments, a leading one too", () => {
  const line = formatJsonLine("t", "r1", undefined, "INFO", [undefined, null, 1n]);
  equal(JSON.parse(line).message, "undefined null 1n");
  equal(
    JSON.parse(formatJsonLine("t", "r1", undefined, "INFO", ["a", undefined])).message,
    "a undefined",
  );
});
