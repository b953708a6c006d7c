/** Tests for how thrown values become Lambda's error body and error type header. */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  describeError,
  type ErrorBody,
  errorTypeHeader,
  RuntimeApiError,
  RuntimeError,
  toErrorBody,
} from "../../src/runtime/errors.ts";

class ValidationError extends Error {}

class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Custom";
  }
}

function body(errorType: string): ErrorBody {
  return { errorType, errorMessage: "", stackTrace: [] };
}

Deno.test("toErrorBody() keeps an Error's name and message", () => {
  const result = toErrorBody(new TypeError("bad input"));
  equal(result.errorType, "TypeError");
  equal(result.errorMessage, "bad input");
});

Deno.test("toErrorBody() reports a subclass that does not set name by its class name", () => {
  equal(toErrorBody(new ValidationError("nope")).errorType, "ValidationError");
});

Deno.test("toErrorBody() prefers a name the subclass sets over its class name", () => {
  equal(toErrorBody(new NamedError("x")).errorType, "Custom");
});

Deno.test("toErrorBody() reports a plain Error as Error", () => {
  equal(toErrorBody(new Error("x")).errorType, "Error");
});

Deno.test("toErrorBody() lists the stack frames as trimmed 'at ...' lines", () => {
  const error = new Error("boom");
  error.stack = "Error: boom\n    at handler (file:///var/task/a.ts:3:9)\n" +
    "\tat async run (file:///var/task/b.ts:10:2)  \n  not a frame\n";
  deepEqual(toErrorBody(error).stackTrace, [
    "at handler (file:///var/task/a.ts:3:9)",
    "at async run (file:///var/task/b.ts:10:2)",
  ]);
});

Deno.test("toErrorBody() takes real stack frames from a thrown Error", () => {
  function throwsHere(): never {
    throw new Error("real");
  }
  let caught: unknown;
  try {
    throwsHere();
  } catch (error) {
    caught = error;
  }
  const { stackTrace } = toErrorBody(caught);
  ok(stackTrace.length > 0);
  ok(stackTrace.every((line) => line.startsWith("at ") && line === line.trim()), stackTrace.join());
  ok(stackTrace[0]!.includes("throwsHere"), stackTrace[0]);
});

Deno.test("toErrorBody() appends the cause chain as 'Caused by:' lines", () => {
  const root = new RangeError("root cause");
  root.stack = "RangeError: root cause\n    at root (r.ts:1:1)";
  const middle = new ValidationError("middle", { cause: root });
  middle.stack = "Error: middle\n    at middle (m.ts:2:2)";
  const top = new Error("top", { cause: middle });
  top.stack = "Error: top\n    at top (t.ts:3:3)";
  const result = toErrorBody(top);
  equal(result.errorMessage, "top");
  deepEqual(result.stackTrace, [
    "at top (t.ts:3:3)",
    "Caused by: ValidationError: middle",
    "at middle (m.ts:2:2)",
    "Caused by: RangeError: root cause",
    "at root (r.ts:1:1)",
  ]);
});

Deno.test("toErrorBody() stops at a cause chain that loops back on itself", () => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  a.cause = b;
  a.stack = "Error: a\n    at a (a.ts:1:1)";
  b.stack = "Error: b\n    at b (b.ts:1:1)";
  deepEqual(toErrorBody(a).stackTrace, [
    "at a (a.ts:1:1)",
    "Caused by: Error: b",
    "at b (b.ts:1:1)",
  ]);
});

Deno.test("toErrorBody() turns a thrown string into an Error's message", () => {
  deepEqual(toErrorBody("plain failure"), {
    errorType: "Error",
    errorMessage: "plain failure",
    stackTrace: [],
  });
});

Deno.test("toErrorBody() reads an object with a message like an Error", () => {
  deepEqual(toErrorBody({ name: "AWSError", message: "throttled" }), {
    errorType: "AWSError",
    errorMessage: "throttled",
    stackTrace: [],
  });
  deepEqual(toErrorBody({ message: 42 }), {
    errorType: "Error",
    errorMessage: "42",
    stackTrace: [],
  });
});

Deno.test("toErrorBody() describes thrown values that are not errors", () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const cases: Array<[unknown, string]> = [
    [undefined, "Handler threw a non-Error value: undefined"],
    [null, "Handler threw a non-Error value: null"],
    [42, "Handler threw a non-Error value: 42"],
    [{ code: 7 }, 'Handler threw a non-Error value: {"code":7}'],
    [circular, "Handler threw a non-Error value: [object Object]"],
  ];
  for (const [thrown, message] of cases) {
    deepEqual(toErrorBody(thrown), { errorType: "Error", errorMessage: message, stackTrace: [] });
  }
});

Deno.test("toErrorBody() keeps a RuntimeError's Runtime.* type", () => {
  const cause = new SyntaxError("Unexpected token");
  const error = new RuntimeError("Runtime.UserCodeSyntaxError", "Cannot load handler", { cause });
  equal(error.name, "RuntimeError");
  equal(error.cause, cause);
  const result = toErrorBody(error);
  equal(result.errorType, "Runtime.UserCodeSyntaxError");
  equal(result.errorMessage, "Cannot load handler");
  ok(
    result.stackTrace.includes("Caused by: SyntaxError: Unexpected token"),
    result.stackTrace.join(),
  );
});

Deno.test("RuntimeApiError sets its name and keeps its cause", () => {
  const cause = new Error("ECONNREFUSED");
  const error = new RuntimeApiError("Cannot reach", { cause });
  equal(error.name, "RuntimeApiError");
  equal(error.cause, cause);
  equal(toErrorBody(error).errorType, "RuntimeApiError");
});

Deno.test("errorTypeHeader() keeps Runtime.* and Function.* types", () => {
  equal(errorTypeHeader(body("Runtime.HandlerNotFound")), "Runtime.HandlerNotFound");
  equal(errorTypeHeader(body("Function.ResponseSizeTooLarge")), "Function.ResponseSizeTooLarge");
});

Deno.test("errorTypeHeader() maps other types to a header-safe Function.<Name>", () => {
  equal(errorTypeHeader(body("TypeError")), "Function.TypeError");
  equal(errorTypeHeader(body("My Error\r\nX-Injected: 1")), "Function.MyErrorXInjected1");
  equal(errorTypeHeader(body("Runtime.Bad Type")), "Function.RuntimeBadType");
  equal(errorTypeHeader(body("Función")), "Function.Funcin");
  equal(errorTypeHeader(body("")), "Function.Error");
  equal(errorTypeHeader(body("💥")), "Function.Error");
});

Deno.test("describeError() and toErrorBody() never throw, whatever was thrown", () => {
  const boom = () => {
    throw new Error("getter");
  };
  const values: unknown[] = [
    Object.defineProperty(new Error("x"), "message", { get: boom }),
    new Proxy({}, { get: boom, has: boom, getPrototypeOf: boom }),
    { toString: boom, toJSON: boom },
    Symbol("s"),
    null,
  ];
  for (const value of values) {
    equal(typeof describeError(value), "string");
    equal(typeof toErrorBody(value).errorMessage, "string");
  }
  equal(
    describeError(new Error("a", { cause: new TypeError("b") })),
    "Error: a (caused by TypeError: b)",
  );
});

Deno.test("errorTypeHeader() caps a long error name, which the body keeps whole", () => {
  const name = "E".repeat(70_000);
  const header = errorTypeHeader(body(name));
  ok(header.length <= 128, `header of ${header.length} characters`);
  ok(header.startsWith("Function.EEE"));
  const recorded = `Runtime.${"X".repeat(4_500)}`;
  ok(errorTypeHeader(body(recorded)).length <= 128);
});
