/**
 * What the email example makes of a received message: the MIME parsed by postal-mime into
 * sender, recipients, subject, text and a list of attachments, and SES's verdicts weighed.
 *
 * @module
 */

import PostalMime, { type Address } from "postal-mime";
import type { SesMail } from "../../src/events/services/ses.ts";

/** The verdicts SES gives every received message. */
export type VerdictName = "spam" | "virus" | "spf" | "dkim" | "dmarc";

/** The verdict fields of an SES receipt, as both the Lambda and the SNS actions carry them. */
export interface Verdicts {
  readonly spamVerdict: { readonly status: string };
  readonly virusVerdict: { readonly status: string };
  readonly spfVerdict: { readonly status: string };
  readonly dkimVerdict: { readonly status: string };
  /** Missing from receipts older than SES's DMARC checks. */
  readonly dmarcVerdict?: { readonly status: string } | undefined;
}

/** One attachment, described without its content. */
export interface AttachmentInfo {
  /** The decoded file name, or `null` when the part gives none. */
  readonly filename: string | null;
  /** The lower-case MIME type. */
  readonly mimeType: string;
  /** The decoded size in bytes. */
  readonly size: number;
}

/** A received message, parsed. */
export interface ParsedEmail {
  /** SES's id for the message (also its S3 key when an S3 action stored it). */
  readonly messageId: string;
  /** The envelope sender (`MAIL FROM`). */
  readonly sender: string;
  /** The `From` header, decoded. */
  readonly from: readonly { readonly name: string; readonly address: string }[];
  /** The recipients this receipt rule accepted the message for. */
  readonly recipients: readonly string[];
  /** The `To` and `Cc` addresses. */
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** The subject, decoded from its RFC 2047 words; empty when there is none. */
  readonly subject: string;
  /** The `Date` header as ISO 8601, when present. */
  readonly date: string | undefined;
  /** The plain-text body; `undefined` when the message has none or its content was not given. */
  readonly text: string | undefined;
  /** The attachments; empty when the content was not given. */
  readonly attachments: readonly AttachmentInfo[];
  /** Whether the body was parsed (`false`: only the headers SES passed along were). */
  readonly hasContent: boolean;
}

// RFC 5322 field names: printable US-ASCII except the colon.
const _FIELD_NAME = /^[!-9;-~]+$/;
const _VERDICTS: readonly VerdictName[] = ["spam", "virus", "spf", "dkim", "dmarc"];

/**
 * The verdicts that failed, among those that count.
 *
 * @example A spam verdict of FAIL counts; GRAY and PROCESSING_FAILED do not
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { failedVerdicts } from "./email_message.ts";
 *
 * const pass = { status: "PASS" };
 * const receipt = {
 *   spamVerdict: { status: "FAIL" }, virusVerdict: pass, spfVerdict: { status: "GRAY" },
 *   dkimVerdict: { status: "PROCESSING_FAILED" }, dmarcVerdict: pass,
 * };
 * deepEqual(failedVerdicts(receipt), ["spam"]);
 * deepEqual(failedVerdicts(receipt, ["virus"]), []);
 * ```
 *
 * @param receipt The receipt.
 * @param counted The verdicts that count; all five by default.
 * @returns The names of the counted verdicts whose status is `FAIL`.
 */
export function failedVerdicts(
  receipt: Verdicts,
  counted: readonly VerdictName[] = _VERDICTS,
): VerdictName[] {
  return counted.filter((name) => receipt[`${name}Verdict`]?.status === "FAIL");
}

/**
 * Parses a raw message (RFC 5322, MIME).
 *
 * @param mail SES's description of the message.
 * @param recipients The recipients the receipt rule matched.
 * @param raw The message as received: bytes or text.
 * @returns The parsed message.
 */
export async function parseRawEmail(
  mail: SesMail,
  recipients: readonly string[],
  raw: Uint8Array | string,
): Promise<ParsedEmail> {
  const email = await PostalMime.parse(raw);
  return {
    ..._addresses(mail, recipients, email),
    text: email.text,
    attachments: email.attachments.map((attachment) => ({
      filename: attachment.filename,
      mimeType: attachment.mimeType,
      size: _size(attachment.content),
    })),
    hasContent: true,
  };
}

/**
 * Parses what SES passes to a Lambda action, which has the headers but not the body: the
 * headers are run through the same MIME parser, so encoded words are decoded alike.
 *
 * @param mail SES's description of the message.
 * @param recipients The recipients the receipt rule matched.
 * @returns The parsed headers, with no text and no attachments.
 */
export async function parseHeadersOnly(
  mail: SesMail,
  recipients: readonly string[],
): Promise<ParsedEmail> {
  // Header values arrive unfolded; content headers would describe a body that is not there.
  // A CR or LF left in a value (or a name that is not a field name) would start a header of the
  // sender's choosing, a forged From say, when the lines are joined back into a message.
  const lines = mail.headers
    .filter(({ name }) => _FIELD_NAME.test(name) && !/^content-/i.test(name))
    .map(({ name, value }) => `${name}: ${value.replace(/[\r\n]+/g, " ")}`);
  const email = await PostalMime.parse(`${lines.join("\r\n")}\r\n\r\n`);
  return {
    ..._addresses(mail, recipients, email),
    text: undefined,
    attachments: [],
    hasContent: false,
  };
}

function _addresses(
  mail: SesMail,
  recipients: readonly string[],
  email: Awaited<ReturnType<typeof PostalMime.parse>>,
) {
  return {
    messageId: mail.messageId,
    sender: mail.source,
    from: _mailboxes(email.from === undefined ? [] : [email.from]),
    recipients: [...recipients],
    to: _mailboxes(email.to ?? []).map((m) => m.address),
    cc: _mailboxes(email.cc ?? []).map((m) => m.address),
    subject: email.subject ?? "",
    date: email.date,
  };
}

function _mailboxes(addresses: readonly Address[]): { name: string; address: string }[] {
  return addresses.flatMap((a) =>
    a.group === undefined
      ? [{ name: a.name, address: a.address }]
      : a.group.map((m) => ({ name: m.name, address: m.address }))
  );
}

function _size(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === "string"
    ? new TextEncoder().encode(content).length
    : content.byteLength;
}
