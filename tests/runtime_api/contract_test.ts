/**
 * The Runtime API contract, shared by the runtime's client and the emulator's server: what one
 * side sends, the other reads the same way.
 */

import { equal, ok } from "node:assert/strict";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { RuntimeApiClient } from "../../src/runtime_api/client.ts";
import {
  errorTypeHeader,
  isRecordedErrorType,
  MAX_ERROR_TYPE_LENGTH,
} from "../../src/runtime_api/contract.ts";

const NAMES = [
  "Card_Declined",
  "Function.Card_Declined",
  "Runtime.HandlerNotFound",
  "TypeError",
  "my-error",
  "Función",
  "",
  "Runtime.Bad Type",
  "Long".repeat(2_000),
  `Function.${"X".repeat(4_500)}`,
];

Deno.test("errorTypeHeader() only makes types the contract records as sent", () => {
  for (const name of NAMES) {
    const header = errorTypeHeader({ errorType: name, errorMessage: "", trace: [] });
    ok(isRecordedErrorType(header), `${name.slice(0, 30)} → ${header.slice(0, 30)}`);
    ok(header.length <= MAX_ERROR_TYPE_LENGTH);
  }
});

Deno.test("the emulator's server records every error type the client sends, as sent", async () => {
  await using server = await RuntimeApiServer.start();
  const client = new RuntimeApiClient(server.address, { userAgent: "test" });
  try {
    for (const name of NAMES) {
      const handle = server.invoke({});
      const invocation = await client.next();
      const body = { errorType: name, errorMessage: "declined", trace: [] };
      equal(await client.fail(invocation, body), 202);
      const result = await handle.result;
      if (result.kind !== "error") throw new Error(`expected an error, got ${result.kind}`);
      equal(result.errorType, errorTypeHeader(body));
      equal(result.error.errorType, name);
    }
  } finally {
    client.close();
  }
});
