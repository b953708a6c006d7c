/**
 * dynalite, a DynamoDB in memory, on 127.0.0.1 with the idempotency table, for the cases that
 * call DynamoDB for real.
 *
 * It runs in its own `deno` process, outside the project's configuration: its native dependency
 * (`classic-level`) declares an install script, which Deno does not run (the package ships
 * prebuilt binaries) but warns about wherever the package is in the import map — which put a
 * warning nobody could act on in front of every new user's first `deno task dev`.
 *
 * @module
 */

import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** The dynalite run, pinned. */
const DYNALITE = "npm:dynalite@4.0.0";

/** The table the idempotency cases store their records in. */
export const IDEMPOTENCY_TABLE = "idempotency";

/** A running dynalite. */
export interface LocalDynamoDb extends AsyncDisposable {
  /** Its endpoint, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client for it, with local credentials. */
  readonly client: DynamoDBClient;
}

/**
 * Starts dynalite and creates {@linkcode IDEMPOTENCY_TABLE} (key `id`, a string).
 *
 * @returns The running server; dispose of it to stop it.
 * @throws {Error} With dynalite's own output, if it stops before it listens.
 */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--no-config",
      "--no-lock",
      `import dynalite from "${DYNALITE}";
const server = dynalite({ createTableMs: 0 });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));`,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has stopped already.
    }
    await child.status;
  };
  const port = await _firstLine(child.stdout);
  if (port === undefined || !/^\d+$/.test(port)) {
    await stop();
    throw new Error(`Cannot start dynalite (${DYNALITE}):\n${await stderr}`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const dispose = async () => {
    client.destroy();
    await stop();
    await stderr;
  };
  try {
    await client.send(
      new CreateTableCommand({
        TableName: IDEMPOTENCY_TABLE,
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    await dispose();
    throw error;
  }
  return { endpoint, client, [Symbol.asyncDispose]: dispose };
}

/** Reads the stream's first line, then drains the rest; `undefined` if it ends first. */
async function _firstLine(stream: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const lines = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await lines.read();
    if (done) return undefined;
    text += value;
  }
  // Whatever it prints later must not fill the pipe and stall it.
  (async () => {
    while (!(await lines.read()).done);
  })();
  return text.slice(0, text.indexOf("\n")).trim();
}
