import { deepEqual, equal, match, ok } from "node:assert/strict";
import { decodeMessages } from "../../src/emulator/mod.ts";
import { invoke, startEmulator } from "./_support.ts";

Deno.test("The Invoke API takes a name, a partial or full ARN, and the $LATEST qualifier", async () => {
  const { emulator } = await startEmulator({
    functions: [{ name: "echo", handler: "echo.handler" }],
  });
  await using _ = emulator;
  for (
    const target of [
      "arn:aws:lambda:us-east-1:123456789012:function:echo",
      "123456789012:function:echo",
      "echo:$LATEST",
      "arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST",
      "echo?Qualifier=$LATEST",
      "echo:$LATEST?Qualifier=$LATEST",
    ]
  ) {
    const [name, query] = target.split("?");
    const path = `${encodeURIComponent(name!)}/invocations${
      query === undefined ? "" : `?${query}`
    }`;
    const response = await fetch(`${emulator.url}2015-03-31/functions/${path}`, {
      method: "POST",
      body: JSON.stringify({ target }),
    });
    equal(response.status, 200, target);
    equal(response.headers.get("x-amz-executed-version"), "$LATEST");
    deepEqual(await response.json(), { target });
  }
});

Deno.test("The Invoke API answers an unknown qualifier as Lambda does", async () => {
  const { emulator } = await startEmulator({
    functions: [{ name: "echo", handler: "echo.handler" }],
  });
  await using _ = emulator;
  for (
    const [path, arn] of [
      ["echo:prod/invocations", "arn:aws:lambda:us-east-1:123456789012:function:echo:prod"],
      ["echo/invocations?Qualifier=7", "arn:aws:lambda:us-east-1:123456789012:function:echo:7"],
      [
        `${
          encodeURIComponent("arn:aws:lambda:eu-west-1:210987654321:function:echo:v2")
        }/invocations`,
        "arn:aws:lambda:eu-west-1:210987654321:function:echo:v2",
      ],
    ]
  ) {
    const response = await fetch(`${emulator.url}2015-03-31/functions/${path}`, {
      method: "POST",
      body: "{}",
    });
    equal(response.status, 404, path);
    equal(response.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
    deepEqual(await response.json(), { Type: "User", message: `Function not found: ${arn}` });
  }
  const mismatch = await fetch(
    `${emulator.url}2015-03-31/functions/echo:$LATEST/invocations?Qualifier=prod`,
    { method: "POST", body: "{}" },
  );
  equal(mismatch.status, 400);
  equal(mismatch.headers.get("x-amzn-errortype"), "InvalidParameterValueException");
  await mismatch.body?.cancel();
  const unknown = await invoke(
    emulator,
    "arn:aws:lambda:us-east-1:123456789012:function:nope",
    "{}",
  );
  equal(unknown.status, 404);
  match((await unknown.json()).message, /function:nope$/);
});

Deno.test("LogType Tail returns the invocation's log in X-Amz-Log-Result", async () => {
  const { emulator } = await startEmulator({
    functions: [{ name: "echo", handler: "echo.handler" }],
  });
  await using _ = emulator;
  const plain = await invoke(emulator, "echo", JSON.stringify({ log: "not asked for" }));
  equal(plain.headers.get("x-amz-log-result"), null);
  await plain.body?.cancel();

  const response = await invoke(emulator, "echo", JSON.stringify({ log: "hello from the tail" }), {
    "X-Amz-Log-Type": "Tail",
  });
  equal(response.status, 200);
  const requestId = response.headers.get("x-amzn-requestid");
  const tail = new TextDecoder().decode(
    Uint8Array.fromBase64(response.headers.get("x-amz-log-result") ?? ""),
  );
  const lines = tail.trimEnd().split("\n");
  equal(lines[0], `START RequestId: ${requestId} Version: $LATEST`);
  ok(lines.some((line) => line.endsWith("\tINFO\thello from the tail")), tail);
  equal(lines.at(-2), `END RequestId: ${requestId}`);
  match(lines.at(-1)!, new RegExp(`^REPORT RequestId: ${requestId}\tDuration: `));
  deepEqual(await response.json(), { log: "hello from the tail" });

  // Only the last 4 KB: the end of a long log.
  const long = "x".repeat(3000);
  const big = await invoke(emulator, "echo", JSON.stringify({ log: `${long}\n${long}` }), {
    "X-Amz-Log-Type": "Tail",
  });
  const bytes = Uint8Array.fromBase64(big.headers.get("x-amz-log-result") ?? "");
  equal(bytes.length, 4096);
  match(new TextDecoder().decode(bytes), /\nREPORT RequestId: [^\n]+\n$/);
  await big.body?.cancel();
});

Deno.test("LogType Tail on the streaming endpoint puts the log in InvokeComplete", async () => {
  const { emulator } = await startEmulator({
    functions: [{ name: "streamer", handler: "echo.stream" }],
  });
  await using _ = emulator;
  const response = await fetch(
    `${emulator.url}2021-11-15/functions/streamer/response-streaming-invocations`,
    {
      method: "POST",
      body: JSON.stringify({ chunks: 2, bytes: 3 }),
      headers: { "X-Amz-Log-Type": "Tail" },
    },
  );
  const requestId = response.headers.get("x-amzn-requestid");
  const messages = decodeMessages(new Uint8Array(await response.arrayBuffer()));
  const complete = messages.at(-1)!;
  equal(complete.headers[":event-type"], "InvokeComplete");
  const { LogResult } = JSON.parse(new TextDecoder().decode(complete.payload));
  const tail = new TextDecoder().decode(Uint8Array.fromBase64(LogResult));
  match(tail, new RegExp(`^START RequestId: ${requestId} Version: \\$LATEST\n`));
  // The stream's REPORT comes once the stream has ended, and is included.
  match(tail, new RegExp(`\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\t`));
});
