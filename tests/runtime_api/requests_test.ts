/** Tests for the pure Runtime API request builders and the `/next` answer parser. */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import type { ErrorBody } from "../../src/runtime/errors.ts";
import { invocation } from "../runtime/_fake_runtime_api.ts";
import {
  errorRequestHead,
  HEADER,
  nextRequestHead,
  parseInvocation,
  responseRequestHead,
  streamErrorTrailer,
  streamRequestHead,
  xrayErrorCause,
} from "../../src/runtime_api/requests.ts";

const HOST = "127.0.0.1:9001";
const UA = "lambdeno/0.1.0";

const ERROR: ErrorBody = {
  errorType: "TypeError",
  errorMessage: "bad input",
  trace: ["at handler (file:///var/task/handlers/echo.ts:3:9)"],
};

/** The header lines of a head, without the start line and the terminating blank line. */
function headerLines(head: string): string[] {
  ok(head.endsWith("\r\n\r\n"), "a head ends with a blank line");
  return head.slice(0, -4).split("\r\n").slice(1);
}

Deno.test("nextRequestHead() builds the GET /next request", () => {
  equal(
    nextRequestHead(HOST, UA),
    "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n" +
      "Host: 127.0.0.1:9001\r\nUser-Agent: lambdeno/0.1.0\r\n\r\n",
  );
});

Deno.test("responseRequestHead() builds the buffered POST /response request", () => {
  equal(
    responseRequestHead(HOST, UA, invocation(), 17),
    "POST /2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/response HTTP/1.1\r\n" +
      "Host: 127.0.0.1:9001\r\nUser-Agent: lambdeno/0.1.0\r\nContent-Type: application/json\r\n" +
      "Content-Length: 17\r\n\r\n",
  );
});

Deno.test("responseRequestHead() echoes the invocation id only when there is one", () => {
  const without = responseRequestHead(HOST, UA, invocation(), 2);
  ok(!without.toLowerCase().includes("lambda-runtime-invocation-id"), without);
  const head = responseRequestHead(HOST, UA, invocation({ invocationId: "attempt-2" }), 2);
  deepEqual(headerLines(head), [
    "Host: 127.0.0.1:9001",
    "User-Agent: lambdeno/0.1.0",
    "Content-Type: application/json",
    "Content-Length: 2",
    "Lambda-Runtime-Invocation-Id: attempt-2",
  ]);
});

Deno.test("request builders URL-encode the request id in the path", () => {
  const weird = invocation({ requestId: "a/b c?d#e%" });
  const expected = "/2018-06-01/runtime/invocation/a%2Fb%20c%3Fd%23e%25/";
  ok(responseRequestHead(HOST, UA, weird, 0).startsWith(`POST ${expected}response `));
  ok(streamRequestHead(HOST, UA, weird, "text/plain").startsWith(`POST ${expected}response `));
  ok(errorRequestHead(HOST, UA, weird, ERROR, 0).startsWith(`POST ${expected}error `));
});

Deno.test("request builders neutralise CR and LF in values that come from outside", () => {
  const hostile = invocation({
    requestId: "r1\r\nX-Injected: 1",
    invocationId: "a1\r\nX-Injected: 2\r\n\r\nGET / HTTP/1.1",
  });
  const heads = [
    responseRequestHead(HOST, UA, hostile, 0),
    streamRequestHead(HOST, UA, hostile, "text/plain\r\nX-Injected: 3"),
    errorRequestHead(HOST, UA, hostile, { ...ERROR, errorType: "Bad\r\nX-Injected: 4" }, 0),
  ];
  for (const head of heads) {
    // Exactly one blank line, at the end, and no line that starts a header of its own.
    equal(head.indexOf("\r\n\r\n"), head.length - 4, head);
    for (const line of headerLines(head)) ok(!line.startsWith("X-Injected"), line);
    equal(head.split("\n").length - 1, head.split("\r\n").length - 1, "no bare LF");
    ok(!/\r(?!\n)/.test(head), "no bare CR");
  }
});

Deno.test("streamRequestHead() builds the streaming POST /response request", () => {
  equal(
    streamRequestHead(HOST, UA, invocation({ invocationId: "a1" }), "text/plain"),
    "POST /2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/response HTTP/1.1\r\n" +
      "Host: 127.0.0.1:9001\r\nUser-Agent: lambdeno/0.1.0\r\nContent-Type: text/plain\r\n" +
      "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
      "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n" +
      "Lambda-Runtime-Invocation-Id: a1\r\n\r\n",
  );
});

Deno.test("streamErrorTrailer() ends the body with the type and the base64 JSON error", () => {
  const error: ErrorBody = {
    errorType: "Error",
    errorMessage: "stream failed: naïve ✓ 😀",
    trace: ["at a (x.ts:1:1)", "at b (y.ts:2:2)"],
  };
  const trailer = streamErrorTrailer(error);
  ok(trailer.startsWith("0\r\n"), trailer);
  ok(trailer.endsWith("\r\n\r\n"), trailer);
  const lines = trailer.slice(3, -4).split("\r\n");
  equal(lines.length, 2);
  equal(lines[0], "Lambda-Runtime-Function-Error-Type: Error");
  const prefix = "Lambda-Runtime-Function-Error-Body: ";
  ok(lines[1]!.startsWith(prefix), lines[1]);
  const base64 = lines[1]!.slice(prefix.length);
  ok(/^[A-Za-z0-9+/]+={0,2}$/.test(base64), base64);
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  deepEqual(JSON.parse(new TextDecoder().decode(bytes)), error);
});

Deno.test("streamErrorTrailer() encodes an error body larger than one base64 batch", () => {
  const error: ErrorBody = {
    errorType: "Runtime.Big",
    errorMessage: "é".repeat(4_000),
    // Within the trailer's limits, and still over 32 KiB: more than one base64 batch.
    trace: Array.from({ length: 32 }, (_, i) => `at f${i} (${"x".repeat(1_000)})`),
  };
  const trailer = streamErrorTrailer(error);
  ok(trailer.includes("\r\nLambda-Runtime-Function-Error-Type: Runtime.Big\r\n"));
  const base64 = /Lambda-Runtime-Function-Error-Body: (\S+)\r\n/.exec(trailer)![1]!;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  deepEqual(JSON.parse(new TextDecoder().decode(bytes)), error);
});

Deno.test("errorRequestHead() builds the POST /error request with the error type header", () => {
  equal(
    errorRequestHead(HOST, UA, invocation({ invocationId: "a1" }), ERROR, 99),
    "POST /2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/error HTTP/1.1\r\n" +
      "Host: 127.0.0.1:9001\r\nUser-Agent: lambdeno/0.1.0\r\nContent-Type: application/json\r\n" +
      "Lambda-Runtime-Function-Error-Type: Function.TypeError\r\nContent-Length: 99\r\n" +
      "Lambda-Runtime-Invocation-Id: a1\r\n\r\n",
  );
});

Deno.test("errorRequestHead() without an invocation builds the POST /init/error request", () => {
  const error: ErrorBody = { ...ERROR, errorType: "Runtime.ImportModuleError" };
  equal(
    errorRequestHead(HOST, UA, undefined, error, 5),
    "POST /2018-06-01/runtime/init/error HTTP/1.1\r\n" +
      "Host: 127.0.0.1:9001\r\nUser-Agent: lambdeno/0.1.0\r\nContent-Type: application/json\r\n" +
      "Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError\r\nContent-Length: 5\r\n\r\n",
  );
});

Deno.test("parseInvocation() reads every /next header and the body", () => {
  const headers = new Map<string, string>([
    [HEADER.requestId, "req-1"],
    [HEADER.deadlineMs, "1700000000123"],
    [HEADER.functionArn, "arn:aws:lambda:eu-west-1:123456789012:function:f:prod"],
    [HEADER.traceId, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"],
    [HEADER.clientContext, '{"custom":{"k":"v"}}'],
    [HEADER.cognitoIdentity, '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}'],
    [HEADER.tenantId, "tenant-42"],
    [HEADER.invocationId, "attempt-1"],
  ]);
  deepEqual(parseInvocation(headers, '{"a":1}'), {
    requestId: "req-1",
    deadlineMs: 1_700_000_000_123,
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:f:prod",
    traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    clientContext: '{"custom":{"k":"v"}}',
    cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
    tenantId: "tenant-42",
    invocationId: "attempt-1",
    body: '{"a":1}',
  });
});

Deno.test("parseInvocation() leaves the optional headers undefined when absent", () => {
  const headers = new Map<string, string>([[HEADER.requestId, "req-1"], [HEADER.deadlineMs, "5"]]);
  deepEqual(parseInvocation(headers, ""), {
    requestId: "req-1",
    deadlineMs: 5,
    invokedFunctionArn: "",
    traceId: undefined,
    clientContext: undefined,
    cognitoIdentity: undefined,
    tenantId: undefined,
    invocationId: undefined,
    body: "",
  });
});

Deno.test("parseInvocation() rejects a missing or empty request id", () => {
  for (const requestId of [undefined, ""]) {
    const headers = new Map<string, string>([[HEADER.deadlineMs, "5"]]);
    if (requestId !== undefined) headers.set(HEADER.requestId, requestId);
    throws(() => parseInvocation(headers, "{}"), {
      name: "TypeError",
      message: "Cannot read invocation: the Lambda-Runtime-Aws-Request-Id header is missing",
    });
  }
});

Deno.test("parseInvocation() rejects a missing or non-numeric deadline, naming the request", () => {
  for (const deadline of [undefined, "soon", "", "  ", "12abc", "Infinity"]) {
    const headers = new Map<string, string>([[HEADER.requestId, "req-9"]]);
    if (deadline !== undefined) headers.set(HEADER.deadlineMs, deadline);
    throws(() => parseInvocation(headers, "{}"), {
      name: "TypeError",
      message: "Cannot read invocation req-9: Lambda-Runtime-Deadline-Ms is not a number",
    }, JSON.stringify(deadline));
  }
});

Deno.test("xrayErrorCause() drops frames until the cause fits, then gives up", () => {
  const frames = Array.from({ length: 2000 }, (_, i) => `at fn${i} (file:///var/task/h.ts:${i}:1)`);
  const error = { errorType: "Error", errorMessage: "deep", trace: frames };
  const whole = xrayErrorCause(error, "/var/task", Number.MAX_SAFE_INTEGER)!;
  equal(JSON.parse(whole).exceptions[0].stack.length, 2000);
  const cause = xrayErrorCause(error, "/var/task", 20_000)!;
  ok(cause.length <= 20_000);
  const kept = JSON.parse(cause).exceptions[0].stack;
  ok(kept.length > 0 && kept.length < 2000);
  deepEqual(kept[0], { path: "file:///var/task/h.ts", line: 0, label: "fn0" });
  const huge = { errorType: "Error", errorMessage: "x".repeat(70_000), trace: [] };
  equal(xrayErrorCause(huge, "/var/task"), undefined);
});

Deno.test("xrayErrorCause() keeps the header ASCII and skips lines that are not frames", () => {
  const cause = xrayErrorCause({
    errorType: "Error",
    errorMessage: "café\r\n",
    trace: ["at async file:///var/task/h.ts:3:5", "Caused by: Error: inner", "at f (native)"],
  }, "/var/task")!;
  ok(/^[\x20-\x7e]*$/.test(cause));
  const parsed = JSON.parse(cause);
  equal(parsed.exceptions[0].message, "café\r\n");
  deepEqual(parsed.exceptions[0].stack, [
    { path: "file:///var/task/h.ts", line: 3, label: "anonymous" },
  ]);
});

Deno.test("errorRequestHead() sends the X-Ray cause only when there is one", () => {
  const error = { errorType: "Error", errorMessage: "x", trace: [] };
  ok(!errorRequestHead("h:1", "ua", undefined, error, 1).includes("XRay"));
  ok(
    errorRequestHead("h:1", "ua", undefined, error, 1, "{}").includes(
      "\r\nLambda-Runtime-Function-XRay-Error-Cause: {}\r\n",
    ),
  );
});

Deno.test("streamErrorTrailer() cuts a long message and stack to keep the trailer line short", () => {
  const trailer = streamErrorTrailer({
    errorType: "Error",
    errorMessage: "m".repeat(60_000),
    trace: Array.from({ length: 500 }, (_, i) => `at frame ${i}`),
  });
  const encoded = /Lambda-Runtime-Function-Error-Body: (\S+)\r\n/.exec(trailer)?.[1] ?? "";
  const body = JSON.parse(
    new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))),
  );
  equal(body.errorMessage.length, 4097);
  equal(body.trace.length, 32);
  ok(trailer.length < 8_000);
});
