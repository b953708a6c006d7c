/**
 * HTTP/1.1 messages as the codec in `http1.ts` sees them: the connection it reads, a parsed
 * head, its errors, and the small helpers around them.
 *
 * @module
 */

/** The part of `Deno.Conn` the codec needs, so tests can drive it with any byte source. */
export interface ByteConn {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
}

/** The start line and headers of a request or a response. */
export interface MessageHead {
  /** `GET /path HTTP/1.1`, or `HTTP/1.1 200 OK`. */
  readonly startLine: string;
  /** Header values by lower-case name; repeated headers are joined with `, `. */
  readonly headers: Map<string, string>;
  /** The `Content-Length`, or `undefined` when absent. */
  readonly contentLength: number | undefined;
  /** Whether the body is sent with `Transfer-Encoding: chunked`. */
  readonly chunked: boolean;
  /** Whether the peer asked to close the connection after this message. */
  readonly close: boolean;
}

/** A malformed message, or a peer that went away in the middle of one. */
export class ProtocolError extends Error {
  /**
   * @param message What was wrong.
   * @param options The underlying cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/**
 * The status code of a response head (`HTTP/1.1 202 Accepted` → 202).
 *
 * @param head A response head.
 * @returns The status code, `NaN` if the start line has none.
 */
export function statusCode(head: MessageHead): number {
  return Number(head.startLine.slice(9, 12));
}

/**
 * Writes all of `bytes`, however many calls the connection needs.
 *
 * @param conn Where to write.
 * @param bytes What to write.
 */
export async function writeAll(conn: ByteConn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await conn.write(written === 0 ? bytes : bytes.subarray(written));
  }
}

/**
 * Parses a message head (without its blank line): the start line, headers by lower-case name,
 * and the framing they announce.
 *
 * @param text The head as text.
 * @returns The head.
 * @throws {ProtocolError} On a malformed header line or `Content-Length`.
 */
export function parseHead(text: string): MessageHead {
  const lines = text.split("\r\n");
  const startLine = lines[0] ?? "";
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ProtocolError(`Cannot read message: bad header line "${line}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prior = headers.get(name);
    headers.set(name, prior === undefined ? value : `${prior}, ${value}`);
  }
  const lengthText = headers.get("content-length");
  let contentLength: number | undefined;
  if (lengthText !== undefined) {
    // Only digits: Number() would also take "", "0x10", "1e3" and "+5".
    contentLength = /^\d+$/.test(lengthText) ? Number(lengthText) : Number.NaN;
    if (!Number.isSafeInteger(contentLength)) {
      throw new ProtocolError(`Cannot read message: bad Content-Length "${lengthText}"`);
    }
  }
  const chunked = headers.get("transfer-encoding")?.toLowerCase().includes("chunked") ?? false;
  const close = /(^|,)\s*close\s*(,|$)/i.test(headers.get("connection") ?? "");
  return { startLine, headers, contentLength, chunked, close };
}
