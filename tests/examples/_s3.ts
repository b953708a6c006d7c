/**
 * A real S3-compatible server for the examples' tests: s3rver, on 127.0.0.1 at a free port,
 * storing into a fresh temporary directory, with the given buckets created.
 *
 * @module
 */

import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** A running server and a client for it. */
export interface LocalS3 extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A path-style client with s3rver's fixed credentials. */
  readonly s3: S3Client;
}

/**
 * Starts s3rver with the buckets created; dispose of it to stop it and remove its files.
 *
 * @param buckets The buckets to create.
 * @returns The server's endpoint and a client.
 */
export async function startS3(...buckets: string[]): Promise<LocalS3> {
  const directory = await Deno.makeTempDir({ prefix: "lambdeno-s3-" });
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    endpoint,
    s3,
    async [Symbol.asyncDispose]() {
      s3.destroy();
      await server.close();
      await Deno.remove(directory, { recursive: true });
    },
  };
}
