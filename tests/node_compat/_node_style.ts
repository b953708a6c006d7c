/**
 * Handler modules written for Lambda's Node.js runtime (`tests/fixtures/node_style/`: async,
 * callback, `context.succeed`, `awslambda.streamifyResponse` with and without
 * `HttpResponseStream.from`, a `.cjs` file, CommonJS in a `.js` file, the AWS SDK and Powertools
 * idempotency with their default chains), and what each must answer. The same cases run from
 * source (`node_style_test.ts`) and in the built artifacts (`tests/artifacts/`), so that both
 * make the same assertions.
 *
 * @module
 */

import { deepEqual, equal, match } from "node:assert/strict";
import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type {
  InvocationResult,
  StreamResult,
} from "../../src/emulator/runtime_api_server/invocation_result.ts";
import { type LocalS3, startS3 } from "../examples/_s3.ts";
import { startDynalite } from "./_dynalite.ts";

/** The fixtures' directory, without a trailing slash. */
export const NODE_STYLE_DIR: string = new URL("../fixtures/node_style", import.meta.url).pathname;

/** The bucket the SDK case writes to. */
const BUCKET = "node-style";

/** Local AWS services for the cases that call AWS: s3rver and dynalite, on 127.0.0.1. */
export interface LocalAws extends AsyncDisposable {
  readonly s3: LocalS3;
  readonly dynamodb: DynamoDBClient;
  /** The function's variables that point the SDK's default chains at them. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Starts s3rver with the cases' bucket and dynalite with the idempotency table.
 *
 * @returns The services; dispose of them to stop them.
 */
export async function startLocalAws(): Promise<LocalAws> {
  const s3 = await startS3(BUCKET);
  const db = await startDynalite();
  const { endpoint, client: dynamodb } = db;
  return {
    s3,
    dynamodb,
    env: { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    async [Symbol.asyncDispose]() {
      await db[Symbol.asyncDispose]();
      await s3[Symbol.asyncDispose]();
    },
  };
}

/** One function and what it must answer. */
export interface NodeStyleCase {
  /** What it shows, for the test step's name. */
  readonly name: string;
  /** `_HANDLER`. */
  readonly handler: string;
  /**
   * Invokes the function (one runtime, so invocations share its state) and checks the answers.
   *
   * @param invoke Invokes the running function once.
   * @param aws The local services.
   */
  check(invoke: (event: unknown) => Promise<InvocationResult>, aws: LocalAws): Promise<void>;
}

/**
 * The answer of a buffered invocation.
 *
 * @param result How the invocation ended.
 * @returns The parsed JSON.
 * @throws {Error} If it was not a buffered response.
 */
export function answer(result: InvocationResult): unknown {
  if (result.kind !== "response") {
    throw new Error(`expected a response, got ${result.kind}: ${JSON.stringify(result)}`);
  }
  return result.json();
}

/**
 * The error message of a failed invocation.
 *
 * @param result How the invocation ended.
 * @returns `errorType: errorMessage`.
 * @throws {Error} If it did not fail.
 */
export function failure(result: InvocationResult): string {
  if (result.kind !== "error") {
    throw new Error(`expected an error, got ${result.kind}: ${JSON.stringify(result)}`);
  }
  return `${result.error.errorType}: ${result.error.errorMessage}`;
}

/**
 * Reads a streamed answer to its end.
 *
 * @param result How the invocation ended.
 * @returns The content type, the body's bytes, and whether it ended normally.
 * @throws {Error} If it was not streamed.
 */
export async function streamed(
  result: InvocationResult,
): Promise<{ contentType: string | undefined; body: Uint8Array; complete: boolean }> {
  if (result.kind !== "stream") {
    throw new Error(`expected a stream, got ${result.kind}: ${JSON.stringify(result)}`);
  }
  const stream: StreamResult = result;
  const parts: Uint8Array[] = [];
  for await (const chunk of stream.chunks) parts.push(chunk);
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return { contentType: stream.contentType, body, complete: (await stream.done).complete };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Every Node-style module and its answers. */
export const NODE_STYLE_CASES: readonly NodeStyleCase[] = [
  {
    name: "an async ES module handler gets the event and the context",
    handler: "async.handler",
    async check(invoke) {
      const got = answer(await invoke({ name: "Ada" })) as Record<string, unknown>;
      equal(got.greeting, "Hello, Ada!");
      match(String(got.requestId), UUID);
      equal(got.remaining, true);
    },
  },
  {
    name: "a callback handler answers through its callback, and fails through it",
    handler: "callback.handler",
    async check(invoke) {
      deepEqual(answer(await invoke({ n: 21 })), { doubled: 42 });
      equal(failure(await invoke({ fail: "declined" })), "Error: declined");
    },
  },
  {
    name: "context.succeed and context.fail answer for a handler that returns nothing",
    handler: "succeed.handler",
    async check(invoke) {
      deepEqual(answer(await invoke({ id: "a1" })), { succeeded: "a1" });
      equal(failure(await invoke({ fail: "refused" })), "Error: refused");
    },
  },
  {
    name: "awslambda.streamifyResponse streams the chunks as written",
    handler: "streamify.handler",
    async check(invoke) {
      const got = await streamed(await invoke({ chunks: 3 }));
      equal(got.contentType, "text/plain");
      equal(text(got.body), "chunk 1\nchunk 2\nchunk 3\n");
      equal(got.complete, true);
    },
  },
  {
    name: "HttpResponseStream.from puts status and headers before the streamed body",
    handler: "streamify_http.handler",
    async check(invoke) {
      const got = await streamed(await invoke({ rawPath: "/orders" }));
      equal(got.contentType, "application/vnd.awslambda.http-integration-response");
      const all = text(got.body);
      const end = all.indexOf("\0".repeat(8));
      deepEqual(JSON.parse(all.slice(0, end)), {
        statusCode: 201,
        headers: { "content-type": "text/plain", "x-path": "/orders" },
      });
      equal(all.slice(end + 8), "created by node");
      equal(got.complete, true);
    },
  },
  {
    name: "a .cjs module's callback handler runs, with require",
    handler: "legacy.handler",
    async check(invoke) {
      const got = answer(await invoke({})) as Record<string, unknown>;
      equal(got.format, "cjs");
      equal(got.platform, "linux");
      match(String(got.requestId), UUID);
    },
  },
  {
    name: "CommonJS in a .js file runs as CommonJS, as Node 22 detects it",
    handler: "commonjs.handler",
    async check(invoke) {
      deepEqual(answer(await invoke({ text: "abc" })), {
        format: "commonjs",
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      });
    },
  },
  {
    name: "the AWS SDK's default chains reach S3: credentials, region, endpoint, user agent",
    handler: "sdk.handler",
    async check(invoke, aws) {
      const event = { bucket: BUCKET, key: "notes/a.txt", body: "stored through the SDK" };
      deepEqual(answer(await invoke(event)), { stored: "stored through the SDK" });
      const object = await aws.s3.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: event.key }));
      equal(await object.Body?.transformToString(), "stored through the SDK");
    },
  },
  {
    name: "Powertools idempotency on DynamoDB answers a repeated payload from the table",
    handler: "idempotency.handler",
    async check(invoke, aws) {
      const first = answer(await invoke({ orderId: "o-1" }));
      deepEqual(first, { orderId: "o-1", runs: 1 });
      deepEqual(answer(await invoke({ orderId: "o-1" })), first);
      deepEqual(answer(await invoke({ orderId: "o-2" })), { orderId: "o-2", runs: 2 });
      const items = await aws.dynamodb.send(new ScanCommand({ TableName: "idempotency" }));
      deepEqual(items.Items?.map((item) => item.status?.S), ["COMPLETED", "COMPLETED"]);
    },
  },
];
