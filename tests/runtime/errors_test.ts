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
  return { errorType, errorMessage: "", trace: [] };
}

Deno.test("toErrorBody() keeps an Error's name and message", () => {
  const result = toErrorBody(new TypeError("bad input"));
  equal(result.errorType, "TypeError");
  equal(result.errorMessage, "bad input");
});

Deno.test("toErrorBody() reports a subclass that does not set name as Error, as Node does", () => {
  equal(toErrorBody(new ValidationError("nope")).errorType, "Error");
});

Deno.test("toErrorBody() prefers a name the subclass sets", () => {
  equal(toErrorBody(new NamedError("x")).errorType, "Custom");
});

Deno.test("toErrorBody() reports a plain Error as Error", () => {
  equal(toErrorBody(new Error("x")).errorType, "Error");
});

Deno.test("toErrorBody() posts the stack as Node's trace: every line, as it is", () => {
  const error = new Error("boom");
  error.stack = "Error: boom\n    at handler (file:///var/task/a.ts:3:9)\n" +
    "    at async run (file:///var/task/b.ts:10:2)";
  deepEqual(toErrorBody(error), {
    errorType: "Error",
    errorMessage: "boom",
    trace: [
      "Error: boom",
      "    at handler (file:///var/task/a.ts:3:9)",
      "    at async run (file:///var/task/b.ts:10:2)",
    ],
  });
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
  const { trace } = toErrorBody(caught);
  equal(trace[0], "Error: real");
  ok(trace[1]!.startsWith("    at throwsHere ("), trace[1]);
});

Deno.test("toErrorBody() leaves the cause out of the trace, as Node does", () => {
  const top = new Error("top", { cause: new RangeError("root cause") });
  top.stack = "Error: top\n    at top (t.ts:3:3)";
  deepEqual(toErrorBody(top).trace, ["Error: top", "    at top (t.ts:3:3)"]);
});

Deno.test("toErrorBody() reports a thrown string, object or number by its typeof, as Node does", () => {
  deepEqual(toErrorBody("plain failure"), {
    errorType: "string",
    errorMessage: "plain failure",
    trace: [],
  });
  deepEqual(toErrorBody({ code: 7 }), {
    errorType: "object",
    errorMessage: "[object Object]",
    trace: [],
  });
  deepEqual(toErrorBody(42), { errorType: "number", errorMessage: "42", trace: [] });
  deepEqual(toErrorBody(undefined), {
    errorType: "undefined",
    errorMessage: "undefined",
    trace: [],
  });
});

Deno.test("toErrorBody() reads an object with a string name, message and stack like an Error", () => {
  deepEqual(toErrorBody({ name: "AWSError", message: "throttled", stack: "AWSError: throttled" }), {
    errorType: "AWSError",
    errorMessage: "throttled",
    trace: ["AWSError: throttled"],
  });
  equal(toErrorBody({ name: "AWSError", message: "throttled" }).errorType, "object");
});

Deno.test("toErrorBody() reports a value it cannot read as Node's 'handled'", () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const value of [proxy, Object.create(null)]) {
    equal(toErrorBody(value).errorType, "handled");
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
    result.trace[0] === "Runtime.UserCodeSyntaxError: Cannot load handler" &&
      result.trace.includes("Caused by: SyntaxError: Unexpected token"),
    result.trace.join(),
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
