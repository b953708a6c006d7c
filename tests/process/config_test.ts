/** Tests for reading the bootstrap's configuration from an environment record. */

import { deepEqual, equal, throws } from "node:assert/strict";
import {
  DEFAULT_DEADLINE_MARGIN_MS,
  readLogConfig,
  readRuntimeApiAddress,
  readRuntimeConfig,
} from "../../src/process/config.ts";
import { RuntimeError } from "../../src/runtime/errors.ts";

Deno.test("readRuntimeApiAddress() reads host:port, and IPv6 in brackets", () => {
  deepEqual(readRuntimeApiAddress({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }), {
    host: "127.0.0.1:9001",
    hostname: "127.0.0.1",
    port: 9001,
  });
  equal(readRuntimeApiAddress({ AWS_LAMBDA_RUNTIME_API: "[::1]:80" }).hostname, "::1");
});

Deno.test("readRuntimeApiAddress() explains a missing or malformed address", () => {
  throws(() => readRuntimeApiAddress({}), /AWS_LAMBDA_RUNTIME_API is not set/);
  for (
    const value of ["localhost", "localhost:", ":9001", "h:0", "h:65536", "http://h:1", "a b:1"]
  ) {
    throws(
      () => readRuntimeApiAddress({ AWS_LAMBDA_RUNTIME_API: value }),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message.includes("AWS_LAMBDA_RUNTIME_API must be host:port") &&
        error.message.includes(JSON.stringify(value)),
      value,
    );
  }
});

Deno.test("readLogConfig() filters by level only in the JSON format", () => {
  deepEqual(readLogConfig({}), { format: "TEXT", minLevel: "TRACE" });
  deepEqual(readLogConfig({ AWS_LAMBDA_LOG_LEVEL: "ERROR" }), {
    format: "TEXT",
    minLevel: "TRACE",
  });
  deepEqual(readLogConfig({ AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "error" }), {
    format: "JSON",
    minLevel: "ERROR",
  });
});

Deno.test("readRuntimeConfig() has Lambda's defaults for an empty environment", () => {
  deepEqual(readRuntimeConfig({}), {
    handler: undefined,
    handlersDir: undefined,
    concurrency: 1,
    deadlineMarginMs: DEFAULT_DEADLINE_MARGIN_MS,
    extension: "auto",
    pipeline: true,
    info: {
      functionName: "function",
      functionVersion: "$LATEST",
      memoryLimitInMB: "128",
      logGroupName: "",
      logStreamName: "",
    },
  });
});

Deno.test("readRuntimeConfig() reads every setting", () => {
  const config = readRuntimeConfig({
    _HANDLER: "echo.handler",
    LAMBDENO_HANDLERS_DIR: "/opt/h",
    AWS_LAMBDA_MAX_CONCURRENCY: "8",
    LAMBDENO_DEADLINE_MARGIN_MS: "0",
    LAMBDENO_EXTENSION: "OFF",
    LAMBDENO_PIPELINE: "off",
    AWS_LAMBDA_FUNCTION_NAME: "f",
  });
  equal(config.handler, "echo.handler");
  equal(config.handlersDir, "/opt/h");
  equal(config.concurrency, 8);
  equal(config.deadlineMarginMs, 0);
  equal(config.extension, "off");
  equal(config.pipeline, false);
  equal(config.info.functionName, "f");
});

Deno.test("readRuntimeConfig() reports a bad setting as Runtime.InvalidConfiguration", () => {
  const bad: [string, string][] = [
    ["AWS_LAMBDA_MAX_CONCURRENCY", "0"],
    ["AWS_LAMBDA_MAX_CONCURRENCY", "1.5"],
    ["AWS_LAMBDA_MAX_CONCURRENCY", "1e9"],
    ["AWS_LAMBDA_MAX_CONCURRENCY", "0x10"],
    ["LAMBDENO_DEADLINE_MARGIN_MS", "-1"],
    ["LAMBDENO_EXTENSION", "yes"],
  ];
  for (const [name, value] of bad) {
    throws(
      () => readRuntimeConfig({ [name]: value }),
      (error: unknown) =>
        error instanceof RuntimeError && error.errorType === "Runtime.InvalidConfiguration" &&
        error.message.startsWith(`Cannot start: ${name}`) && error.message.includes(value),
    );
  }
});
