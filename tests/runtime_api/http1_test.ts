/** Tests for the HTTP/1.1 wire codec, fed bytes in arbitrary pieces by a fake connection. */

import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  type ByteConn,
  type MessageHead,
  MessageReader,
  ProtocolError,
  writeAll,
} from "../../src/runtime_api/http1.ts";

const encoder = new TextEncoder();

/** A deterministic PRNG (mulberry32), so a failing split can be reproduced from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many bytes the next read may hand out, at most. */
type Split = () => number;

const oneByte: Split = () => 1;
const whole: Split = () => Number.MAX_SAFE_INTEGER;
function randomSplit(seed: number, max = 64): Split {
  const random = prng(seed);
  return () => 1 + Math.floor(random() * max);
}

/** Hands out `wire` in pieces no larger than `split()` says, then end of stream. */
class FakeConn implements ByteConn {
  readonly #wire: Uint8Array;
  readonly #split: Split;
  #at = 0;
  reads = 0;

  constructor(wire: Uint8Array | string, split: Split) {
    this.#wire = typeof wire === "string" ? encoder.encode(wire) : wire;
    this.#split = split;
  }

  read(p: Uint8Array): Promise<number | null> {
    if (this.#at >= this.#wire.length) return Promise.resolve(null);
    const n = Math.min(p.length, this.#split(), this.#wire.length - this.#at);
    p.set(this.#wire.subarray(this.#at, this.#at + n));
    this.#at += n;
    this.reads++;
    return Promise.resolve(n);
  }

  write(p: Uint8Array): Promise<number> {
    return Promise.resolve(p.length);
  }
}

const SPLITS: ReadonlyArray<readonly [string, () => Split]> = [
  ["whole", () => whole],
  ["one byte at a time", () => oneByte],
  ...[1, 2, 3, 42, 1234].map((seed) => [`random seed ${seed}`, () => randomSplit(seed)] as const),
];

async function readAllChunks(reader: MessageReader): Promise<{
  chunks: Uint8Array[];
  trailers: Map<string, string>;
}> {
  const chunks: Uint8Array[] = [];
  const trailers = await reader.readChunked((chunk) => chunks.push(chunk));
  return { chunks, trailers };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function mustHead(reader: MessageReader): Promise<MessageHead> {
  const head = await reader.readHead();
  ok(head !== null, "expected a message head");
  return head;
}

Deno.test("MessageReader.readHead() parses a head split across reads", async () => {
  const wire = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
    "Lambda-Runtime-Aws-Request-Id: abc\r\nX-Spaced:   padded value  \r\n\r\n";
  for (const [name, split] of SPLITS) {
    const conn = new FakeConn(wire, split());
    const head = await mustHead(new MessageReader(conn, 8));
    equal(head.startLine, "HTTP/1.1 200 OK", name);
    equal(head.headers.get("content-type"), "application/json", name);
    equal(head.headers.get("lambda-runtime-aws-request-id"), "abc", name);
    equal(head.headers.get("x-spaced"), "padded value", name);
    equal(head.contentLength, undefined, name);
    equal(head.chunked, false, name);
    equal(head.close, false, name);
  }
});

Deno.test("MessageReader reads a Content-Length body split across reads", async () => {
  const body = '{"ok":true,"text":"héllo ✓"}';
  const length = encoder.encode(body).length;
  const wire = `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n${body}`;
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(new FakeConn(wire, split()));
    const head = await mustHead(reader);
    equal(head.contentLength, length, name);
    equal(await reader.readText(length), body, name);
    equal(await reader.readHead(), null, name);
  }
});

Deno.test("MessageReader.readBytes() returns the exact body bytes", async () => {
  const body = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  const wire = concat([encoder.encode("POST / HTTP/1.1\r\nContent-Length: 300\r\n\r\n"), body]);
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(new FakeConn(wire, split()), 16);
    const head = await mustHead(reader);
    deepEqual(await reader.readBytes(head.contentLength!), body, name);
  }
});

Deno.test("MessageReader reads a chunked body with trailers, chunk boundaries split across reads", async () => {
  const wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5\r\nhello\r\n" +
    "1;ext=ignored\r\n \r\n" +
    "A\r\n0123456789\r\n" +
    "0\r\nLambda-Runtime-Function-Error-Type: Function.Error\r\nX-Other:  two \r\n\r\n";
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(new FakeConn(wire, split()), 8);
    const head = await mustHead(reader);
    equal(head.chunked, true, name);
    const { chunks, trailers } = await readAllChunks(reader);
    deepEqual(chunks.map((c) => new TextDecoder().decode(c)), ["hello", " ", "0123456789"], name);
    deepEqual(
      [...trailers],
      [["lambda-runtime-function-error-type", "Function.Error"], ["x-other", "two"]],
      name,
    );
    equal(await reader.readHead(), null, name);
  }
});

Deno.test("MessageReader.readChunked() hands out copies the caller may keep", async () => {
  const wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
  const reader = new MessageReader(new FakeConn(wire, whole));
  await mustHead(reader);
  const { chunks } = await readAllChunks(reader);
  deepEqual(chunks.map((c) => new TextDecoder().decode(c)), ["abc", "def"]);
});

Deno.test("MessageReader reads several pipelined messages from one buffer", async () => {
  const wire = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none" +
    "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n" +
    "HTTP/1.1 204 No Content\r\n\r\n" +
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nthree";
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(new FakeConn(wire, split()));
    const first = await mustHead(reader);
    equal(first.startLine, "HTTP/1.1 200 OK", name);
    equal(await reader.readText(first.contentLength!), "one", name);

    const second = await mustHead(reader);
    equal(second.startLine, "HTTP/1.1 202 Accepted", name);
    const { chunks } = await readAllChunks(reader);
    equal(new TextDecoder().decode(concat(chunks)), "two", name);

    const third = await mustHead(reader);
    equal(third.startLine, "HTTP/1.1 204 No Content", name);
    equal(third.headers.size, 0, name);
    await reader.skipBody(third);

    const fourth = await mustHead(reader);
    equal(fourth.close, true, name);
    equal(await reader.readText(fourth.contentLength!), "three", name);
    equal(reader.buffered, 0, name);
    equal(await reader.readHead(), null, name);
  }
});

Deno.test("MessageReader.buffered counts the bytes of a next message already received", async () => {
  const wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1";
  const reader = new MessageReader(new FakeConn(wire, whole));
  const head = await mustHead(reader);
  await reader.skipBody(head);
  equal(reader.buffered, "HTTP/1.1".length);
});

Deno.test("MessageReader.readHead() rejects a head over 64 KiB", async () => {
  const wire = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n";
  for (const split of [whole, randomSplit(7, 5000)]) {
    const reader = new MessageReader(new FakeConn(wire, split));
    await rejects(reader.readHead(), (error) => {
      ok(error instanceof ProtocolError);
      equal(error.name, "ProtocolError");
      ok(error.message.includes("64 KiB"), error.message);
      return true;
    });
  }
});

Deno.test("MessageReader.readHead() accepts a head just under 64 KiB", async () => {
  const prefix = "HTTP/1.1 200 OK\r\nX-Big: ";
  const value = "a".repeat(64 * 1024 - prefix.length - 8);
  const reader = new MessageReader(new FakeConn(`${prefix}${value}\r\n\r\n`, randomSplit(9, 3000)));
  const head = await mustHead(reader);
  equal(head.headers.get("x-big"), value);
});

Deno.test("MessageReader.readHead() returns null on a clean end of stream before any byte", async () => {
  equal(await new MessageReader(new FakeConn("", whole)).readHead(), null);
});

Deno.test("MessageReader.readHead() rejects a connection closed inside the head", async () => {
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(new FakeConn("HTTP/1.1 200 OK\r\nContent-Le", split()));
    await rejects(reader.readHead(), (error) => {
      ok(error instanceof ProtocolError, name);
      ok(error.message.includes("connection closed inside the head"), error.message);
      return true;
    });
  }
});

Deno.test("MessageReader.readBytes() rejects a connection closed inside the body, naming how much arrived", async () => {
  for (const [name, split] of SPLITS) {
    const reader = new MessageReader(
      new FakeConn("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", split()),
    );
    const head = await mustHead(reader);
    await rejects(reader.readText(head.contentLength!), (error) => {
      ok(error instanceof ProtocolError, name);
      equal(error.message, "Cannot read body: connection closed after 4 of 10 bytes");
      return true;
    });
  }
});

Deno.test("MessageReader.readChunked() rejects a connection closed inside a chunked body", async () => {
  const cuts = [
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n",
  ];
  for (const wire of cuts) {
    const reader = new MessageReader(new FakeConn(wire, oneByte));
    await mustHead(reader);
    await rejects(readAllChunks(reader), (error) => {
      ok(error instanceof ProtocolError);
      ok(error.message.includes("connection closed"), error.message);
      return true;
    });
  }
});

Deno.test("MessageReader.readChunked() rejects malformed framing", async () => {
  const bodies = ["zz\r\nhello\r\n0\r\n\r\n", "-1\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n"];
  for (const body of bodies) {
    const wire = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;
    const reader = new MessageReader(new FakeConn(wire, whole));
    await mustHead(reader);
    await rejects(readAllChunks(reader), ProtocolError, JSON.stringify(body));
  }
});

Deno.test("MessageReader reads a 6 MB body intact", async () => {
  const size = 6 * 1024 * 1024;
  const random = prng(99);
  const body = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
  const wire = concat([encoder.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`), body]);
  for (const split of [whole, randomSplit(5, 100_000)]) {
    const reader = new MessageReader(new FakeConn(wire, split));
    const head = await mustHead(reader);
    equal(head.contentLength, size);
    const got = await reader.readBytes(size);
    equal(got.length, size);
    ok(got.every((b, i) => b === body[i]), "body bytes differ");
  }
});

Deno.test("MessageReader reads a 6 MB chunked body intact", async () => {
  const size = 6 * 1024 * 1024;
  const random = prng(100);
  const body = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
  const parts: Uint8Array[] = [
    encoder.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
  ];
  for (let at = 0; at < size; at += 100_000) {
    const chunk = body.subarray(at, Math.min(size, at + 100_000));
    parts.push(encoder.encode(`${chunk.length.toString(16)}\r\n`), chunk, encoder.encode("\r\n"));
  }
  parts.push(encoder.encode("0\r\n\r\n"));
  const reader = new MessageReader(new FakeConn(concat(parts), randomSplit(6, 70_000)));
  await mustHead(reader);
  const got = concat((await readAllChunks(reader)).chunks);
  equal(got.length, size);
  ok(got.every((b, i) => b === body[i]), "body bytes differ");
});

Deno.test("MessageReader.readHead() rejects a bad Content-Length", async () => {
  for (const value of ["abc", "-1", "1.5", "12, 13", "0x10", "1e3", "+5", ""]) {
    const wire = `HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\n`;
    await rejects(new MessageReader(new FakeConn(wire, whole)).readHead(), (error) => {
      ok(error instanceof ProtocolError, JSON.stringify(value));
      ok(error.message.includes("bad Content-Length"), error.message);
      return true;
    });
  }
});

Deno.test("MessageReader.readHead() rejects a header line without a name", async () => {
  const wire = "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n";
  await rejects(new MessageReader(new FakeConn(wire, whole)).readHead(), ProtocolError);
});

Deno.test("MessageReader.readHead() joins repeated headers with a comma, case-insensitively", async () => {
  const wire = "HTTP/1.1 200 OK\r\nX-Tag: a\r\nx-tag: b\r\nX-TAG: c\r\n\r\n";
  const head = await mustHead(new MessageReader(new FakeConn(wire, oneByte)));
  equal(head.headers.get("x-tag"), "a, b, c");
});

Deno.test("MessageReader.readHead() recognises chunked encoding and Connection: close in any case", async () => {
  const wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nConnection: CLOSE\r\n\r\n";
  const head = await mustHead(new MessageReader(new FakeConn(wire, whole)));
  equal(head.chunked, true);
  equal(head.close, true);
});

Deno.test("writeAll() keeps writing until a connection that takes few bytes has everything", async () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
  for (const perWrite of [1, 3, 1000]) {
    const received: number[] = [];
    let writes = 0;
    const conn: ByteConn = {
      read: () => Promise.resolve(null),
      write(p) {
        writes++;
        const n = Math.min(perWrite, p.length);
        received.push(...p.subarray(0, n));
        return Promise.resolve(n);
      },
    };
    await writeAll(conn, data);
    deepEqual(Uint8Array.from(received), data);
    equal(writes, Math.ceil(data.length / perWrite));
  }
});

Deno.test("writeAll() writes nothing for an empty buffer", async () => {
  let writes = 0;
  await writeAll({
    read: () => Promise.resolve(null),
    write(p) {
      writes++;
      return Promise.resolve(p.length);
    },
  }, new Uint8Array(0));
  equal(writes, 0);
});

Deno.test("MessageReader.readHead() sees close among other Connection tokens", async () => {
  const cases: [string, boolean][] = [
    ["close", true],
    ["keep-alive, close", true],
    ["Close", true],
    ["keep-alive", false],
    ["closed", false],
  ];
  for (const [value, close] of cases) {
    const wire = `HTTP/1.1 202 Accepted\r\nConnection: ${value}\r\nContent-Length: 0\r\n\r\n`;
    const head = await mustHead(new MessageReader(new FakeConn(wire, () => 1024)));
    equal(head.close, close, value);
  }
});
