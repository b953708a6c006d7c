/**
 * Content negotiation for compressed responses: which of the codings a server has a client
 * prefers, by the q-values of its `Accept-Encoding` header (RFC 9110, section 12.5.3).
 *
 * @module
 */

/** A content coding the example site can send. */
export type Coding = "br" | "gzip" | "identity";

/**
 * Picks the coding to answer with. The highest q-value wins; on a tie a compressed coding beats
 * `identity`, and the earlier of `available` beats the later. `*` stands for every coding the
 * header does not name, `x-gzip` for `gzip`, and `q=0` means "not acceptable"; `identity` wins
 * only when the header gives it a higher q than any compressed coding. When nothing
 * compressed is acceptable the answer is `identity`, even if the client refused that too: an
 * uncompressed body is more useful to it than a 406.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { preferredCoding } from "./accept_encoding.ts";
 *
 * equal(preferredCoding("gzip, deflate, br, zstd", ["br", "gzip"]), "br");
 * equal(preferredCoding("br;q=0.5, gzip", ["br", "gzip"]), "gzip");
 * equal(preferredCoding("*;q=0", ["br", "gzip"]), "identity");
 * equal(preferredCoding(null, ["br", "gzip"]), "identity");
 * ```
 *
 * @param header The request's `Accept-Encoding`, or `null` when absent.
 * @param available The compressed codings on offer, most preferred first.
 * @returns The coding to use.
 */
export function preferredCoding(
  header: string | null,
  available: readonly Exclude<Coding, "identity">[],
): Coding {
  if (header === null || available.length === 0) return "identity";
  const qualities = new Map<string, number>();
  for (const part of header.split(",")) {
    const [rawName = "", ...params] = part.split(";");
    let name = rawName.trim().toLowerCase();
    if (name === "") continue;
    if (name === "x-gzip") name = "gzip";
    let q = 1;
    for (const param of params) {
      const [key = "", value = ""] = param.split("=");
      if (key.trim().toLowerCase() !== "q") continue;
      const parsed = Number(value.trim());
      // A malformed q-value makes the whole entry unusable rather than guessing at it.
      q = /^\s*(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/.test(value) ? parsed : 0;
    }
    // Of repeated entries, keep the most generous.
    qualities.set(name, Math.max(q, qualities.get(name) ?? 0));
  }
  const star = qualities.get("*");
  let best: Coding = "identity";
  let bestQ = 0;
  for (const coding of available) {
    const q = qualities.get(coding) ?? star ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  if (best === "identity") return "identity";
  // Only an explicit, higher q for identity turns down compression: a client that names gzip at
  // any q but says nothing about identity is better served compressed.
  return (qualities.get("identity") ?? 0) > bestQ ? "identity" : best;
}
