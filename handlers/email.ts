/**
 * Inbound email through Amazon SES, in either of the two ways SES hands a message to Lambda:
 *
 * - **the receipt rule's Lambda action**: the event has the envelope, the headers and SES's
 *   verdicts, but not the body. Invoked synchronously (`RequestResponse`), the answer tells
 *   SES whether to go on: `{"disposition":"STOP_RULE"}` when a verdict failed, else
 *   `{"disposition":"CONTINUE"}`. When an S3 action earlier in the rule stored the message
 *   (`EMAIL_BUCKET`, `EMAIL_PREFIX`), the body is read from there and parsed too.
 * - **the SNS action**: the notification carries the whole raw message (`content`, base64 or
 *   UTF-8 as the action's `encoding` says). The answer lists each message as accepted or
 *   rejected; a rejected message is not an error, so Lambda does not retry it.
 *
 * Each accepted message is parsed (MIME, encoded headers, quoted-printable and base64 bodies)
 * into sender, recipients, subject, text and attachments, and handed to `onMessage`; by
 * default a summary (no body) is logged. A message whose spam, virus, SPF, DKIM or DMARC
 * verdict is `FAIL` is rejected before its body is read.
 *
 * Environment (for the default handler): `EMAIL_BUCKET`, `EMAIL_PREFIX`, `S3_ENDPOINT`,
 * `AWS_REGION`, all optional.
 *
 * @module
 */

import { GetObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { HandlerConfig } from "../src/mod.ts";
import type { Context } from "../src/runtime/context.ts";
import { defineHandler, type ValidatedHandler } from "../src/events/define_handler.ts";
import { jsonString } from "../src/events/json.ts";
import {
  type SesMail,
  SesMailSchema,
  SesReceiptSchema,
  type SesRecord,
  SesRecordSchema,
} from "../src/events/services/ses.ts";
import { SnsMessageSchema, SnsRecordSchema } from "../src/events/streams/sns.ts";
import {
  failedVerdicts,
  type ParsedEmail,
  parseHeadersOnly,
  parseRawEmail,
  type VerdictName,
} from "./_lib/email_message.ts";

/** The notification SES publishes to SNS for a received message. */
export const SesReceivedNotificationSchema = z.looseObject({
  notificationType: z.literal("Received"),
  mail: SesMailSchema,
  receipt: SesReceiptSchema.extend({
    action: z.looseObject({
      type: z.literal("SNS"),
      topicArn: z.string(),
      // SES's default when the action does not say.
      encoding: z.enum(["BASE64", "UTF8"]).default("UTF8"),
    }),
  }),
  content: z.string(),
});

/** An SNS event whose message is SES's notification, parsed from its JSON text. */
export const SesSnsEventSchema = z.looseObject({
  Records: z.array(
    SnsRecordSchema.extend({
      Sns: SnsMessageSchema.extend({ Message: jsonString(SesReceivedNotificationSchema) }),
    }),
  ).min(1),
});

/** Either event: the Lambda action's or the SNS action's. */
export const EmailEventSchema = z.union([
  z.looseObject({ Records: z.array(SesRecordSchema).min(1) }),
  SesSnsEventSchema,
]);

/** What SES does next with the receipt rule, for a synchronous Lambda action. */
export interface SesDisposition {
  readonly disposition: "CONTINUE" | "STOP_RULE";
}

/** What became of one message delivered through SNS. */
export interface EmailOutcome {
  readonly messageId: string;
  readonly accepted: boolean;
  /** The verdicts that failed; empty when accepted. */
  readonly failed: readonly VerdictName[];
}

/** Options for {@linkcode createEmailHandler}. */
export interface EmailHandlerOptions {
  /** What to do with each accepted message; logs a summary by default. */
  readonly onMessage?: (email: ParsedEmail, context: Context) => void | Promise<void>;
  /**
   * Where to read the raw message for a Lambda action, which carries none (from the bucket an
   * S3 action wrote to, say); `undefined` parses the headers alone.
   */
  readonly loadRaw?: (mail: SesMail, signal: AbortSignal) => Promise<Uint8Array | undefined>;
  /** The verdicts whose `FAIL` rejects a message; all five by default. */
  readonly rejectOn?: readonly VerdictName[];
}

/**
 * Makes the email handler.
 *
 * @param options What to do with messages, where to find bodies, which verdicts count.
 * @returns A Lambda handler for SES Lambda-action and SNS-action events.
 * @throws {EventValidationError} (from the returned handler) When the event is neither.
 */
export function createEmailHandler(
  options: EmailHandlerOptions = {},
): ValidatedHandler<SesDisposition | EmailOutcome[]> {
  const onMessage = options.onMessage ?? _logSummary;
  const rejectOn = options.rejectOn;
  return defineHandler({
    event: EmailEventSchema,
    handler: async (event, context): Promise<SesDisposition | EmailOutcome[]> => {
      const outcomes: EmailOutcome[] = [];
      for (const record of event.Records) {
        const { mail, receipt, content } = _isSes(record)
          ? { mail: record.ses.mail, receipt: record.ses.receipt, content: undefined }
          : (record as SesSnsRecord).Sns.Message;
        const failed = failedVerdicts(receipt, rejectOn);
        outcomes.push({ messageId: mail.messageId, accepted: failed.length === 0, failed });
        if (failed.length > 0) {
          console.warn(
            `Rejected message ${mail.messageId} from ${mail.source}: ${failed.join(", ")} FAIL`,
          );
          continue;
        }
        let raw: Uint8Array | string | undefined;
        if (content !== undefined) {
          raw = receipt.action.type === "SNS" && receipt.action.encoding === "BASE64"
            ? Uint8Array.fromBase64(content)
            : content;
        } else if (options.loadRaw !== undefined) {
          raw = await options.loadRaw(mail, context.signal);
        }
        const email = raw === undefined
          ? await parseHeadersOnly(mail, receipt.recipients)
          : await parseRawEmail(mail, receipt.recipients, raw);
        await onMessage(email, context);
      }
      if (!event.Records.every(_isSes)) return outcomes;
      return { disposition: outcomes.every((o) => o.accepted) ? "CONTINUE" : "STOP_RULE" };
    },
  });
}

/**
 * Reads raw messages that an S3 action stored at `<prefix><messageId>`.
 *
 * @param options The client, the bucket and the action's object key prefix.
 * @returns A loader for {@linkcode EmailHandlerOptions.loadRaw}; a missing object gives
 * `undefined`.
 */
export function s3RawLoader(options: {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly prefix?: string;
}): (mail: SesMail, signal: AbortSignal) => Promise<Uint8Array | undefined> {
  return async (mail, signal) => {
    try {
      const object = await options.s3.send(
        new GetObjectCommand({
          Bucket: options.bucket,
          Key: `${options.prefix ?? ""}${mail.messageId}`,
        }),
        { abortSignal: signal },
      );
      return await object.Body?.transformToByteArray();
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === "NoSuchKey") return undefined;
      throw error;
    }
  };
}

/**
 * The handler as configured by the environment: with `EMAIL_BUCKET` set, bodies for the
 * Lambda action are read from that bucket under `EMAIL_PREFIX`.
 *
 * @param env The environment to read.
 * @returns The handler.
 */
export function emailFromEnv(
  env: Pick<Deno.Env, "get"> = Deno.env,
): ValidatedHandler<SesDisposition | EmailOutcome[]> {
  const bucket = env.get("EMAIL_BUCKET");
  if (bucket === undefined || bucket === "") return createEmailHandler();
  const endpoint = env.get("S3_ENDPOINT");
  const s3 = new S3Client({
    forcePathStyle: true,
    region: env.get("AWS_REGION") ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
  });
  return createEmailHandler({
    loadRaw: s3RawLoader({ s3, bucket, prefix: env.get("EMAIL_PREFIX") ?? "" }),
  });
}

/** The Lambda handler, configured from the environment once per sandbox. */
export const handler: ValidatedHandler<SesDisposition | EmailOutcome[]> = emailFromEnv();

/**
 * Invoked by SES or SNS, never over a URL. With a bucket named at deploy time, it reads what
 * an S3 action stored there; grant that in `template.base.yaml` (`S3ReadPolicy`), since the
 * bucket is optional.
 */
export const config = {
  handler: {
    environment: {
      EMAIL_BUCKET: { default: "", description: "The bucket an SES S3 action stores mail in" },
      EMAIL_PREFIX: { default: "", description: "The key prefix of that S3 action" },
    },
  },
} satisfies HandlerConfig;

type SesSnsRecord = z.output<typeof SesSnsEventSchema>["Records"][number];

function _isSes(record: SesRecord | SesSnsRecord): record is SesRecord {
  // Both schemas are loose, so only the source field tells the records apart.
  return record.eventSource === "aws:ses";
}

function _logSummary(email: ParsedEmail): void {
  // The body stays out of the logs; its size says enough to see that it was read.
  const { text, ...summary } = email;
  console.log(JSON.stringify({ received: { ...summary, textLength: text?.length ?? 0 } }));
}
