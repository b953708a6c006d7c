// The email example with real MIME fixtures, through both ways SES hands a message to Lambda.
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createEmailHandler, type EmailHandlerOptions, s3RawLoader } from "../../handlers/email.ts";
import type { ParsedEmail } from "../../handlers/_lib/email_message.ts";
import { context } from "../http/_support.ts";
import { startS3 } from "./_s3.ts";

/** The parts of the event fixtures the tests read or change. */
interface Fixture {
  Records: {
    ses: {
      mail: { messageId: string };
      receipt?: { spamVerdict: { status: string }; dmarcVerdict: { status: string } };
    };
    Sns: { Message: string };
  }[];
}

const dir = new URL("../fixtures/examples/", import.meta.url);
const eml = (name: string) => Deno.readFileSync(new URL(name, dir));
const event = (name: string): Fixture => JSON.parse(Deno.readTextFileSync(new URL(name, dir)));

const MULTIPART_ATTACHMENTS = [
  { filename: "rapport-ete.pdf", mimeType: "application/pdf", size: 142 },
  { filename: "ventes été.csv", mimeType: "text/csv", size: 46 },
  { filename: "pixel.png", mimeType: "image/png", size: 70 },
];
const MULTIPART_TEXT = "Bonjour,\n\nVoici le rapport de l'été en pièce jointe. Les ventes ont " +
  "augmenté de 12 % par rapport à l'an dernier, surtout grâce aux ventes en ligne.\n\n" +
  "Cordialement,\nÉloise\n";

/** Runs the handler on an event, collecting the messages it accepts and what it logs. */
async function run(input: unknown, options: EmailHandlerOptions = {}) {
  const received: ParsedEmail[] = [];
  const warnings: unknown[] = [];
  const handler = createEmailHandler({
    onMessage: (email) => void received.push(email),
    ...options,
  });
  const ctx = context();
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    return { result: await handler(input, ctx), received, warnings };
  } finally {
    console.warn = warn;
    ctx.dispose();
  }
}

/** SES's SNS notification for a raw message, sent as the given encoding. */
function snsEvent(
  raw: Uint8Array,
  encoding: "BASE64" | "UTF8",
  status: Record<string, unknown> = {},
): Fixture {
  const base = event("sns_email_event.json");
  const record = base.Records[0]!;
  const notification = JSON.parse(record.Sns.Message);
  notification.receipt.action.encoding = encoding;
  notification.content = encoding === "BASE64" ? raw.toBase64() : new TextDecoder().decode(raw);
  Object.assign(notification.receipt, status);
  record.Sns.Message = JSON.stringify(notification);
  return base;
}

Deno.test("the SNS fixture carries multipart.eml, base64-encoded", () => {
  const notification = JSON.parse(event("sns_email_event.json").Records[0]!.Sns.Message);
  equal(notification.receipt.action.encoding, "BASE64");
  deepEqual(Uint8Array.fromBase64(notification.content), eml("multipart.eml"));
});

Deno.test("an SNS notification's raw multipart message is parsed: text, headers, attachments", async () => {
  const { result, received } = await run(event("sns_email_event.json"));
  deepEqual(result, [{
    messageId: "o3v8k2j6tq1p0c9a4b7d5e1f2g3h4i5j6k7l8m01",
    accepted: true,
    failed: [],
  }]);
  equal(received.length, 1);
  deepEqual(received[0], {
    messageId: "o3v8k2j6tq1p0c9a4b7d5e1f2g3h4i5j6k7l8m01",
    sender: "eloise@example.org",
    from: [{ name: "Éloise Dupont", address: "eloise@example.org" }],
    recipients: ["support@example.com"],
    to: ["support@example.com", "bob@example.com"],
    cc: ["carol@example.net"],
    subject: "Rapport mensuel – été 📊",
    date: "2023-11-14T22:13:20.000Z",
    text: MULTIPART_TEXT,
    attachments: MULTIPART_ATTACHMENTS,
    hasContent: true,
  });
});

Deno.test("a UTF8-encoded notification decodes ISO-8859-1 and UTF-8 encoded words and a Latin-1 body", async () => {
  const { received } = await run(snsEvent(eml("latin1.eml"), "UTF8"));
  const [email] = received;
  equal(email?.subject, "Résumé de la réunion – décembre");
  deepEqual(email?.from, [{ name: "François Müller", address: "francois@example.de" }]);
  equal(
    email?.text,
    "Grüße aus München,\n\nanbei die Zusammenfassung der Besprechung vom Dienstag.\nFrançois\n",
  );
  deepEqual(email?.attachments, []);
});

Deno.test("the Lambda action's event is parsed from its headers and answered CONTINUE", async () => {
  const { result, received } = await run(event("ses_event.json"));
  deepEqual(result, { disposition: "CONTINUE" });
  const [email] = received;
  equal(email?.subject, "Rapport mensuel – été 📊");
  deepEqual(email?.from, [{ name: "Éloise Dupont", address: "eloise@example.org" }]);
  deepEqual(email?.to, ["support@example.com", "bob@example.com"]);
  equal(email?.text, undefined);
  deepEqual(email?.attachments, []);
  equal(email?.hasContent, false);
});

Deno.test("line breaks inside a header value cannot add a header, such as a spoofed From", async () => {
  // Put the forged From both before and after the real one, whichever the parser keeps.
  for (const name of ["Return-Path", "Subject"]) {
    const input = event("ses_event.json") as unknown as {
      Records: { ses: { mail: { headers: { name: string; value: string }[] } } }[];
    };
    const headers = input.Records[0]!.ses.mail.headers;
    const header = headers.find((h) => h.name === name)!;
    header.value = "Hello\r\nFrom: Boss <ceo@example.com>\nTo: victim@example.net";
    const { received } = await run(input);
    const [email] = received;
    deepEqual(email?.from, [{ name: "Éloise Dupont", address: "eloise@example.org" }], name);
    deepEqual(email?.to, ["support@example.com", "bob@example.com"], name);
    if (name === "Subject") {
      equal(email?.subject, "Hello From: Boss <ceo@example.com> To: victim@example.net");
    }
  }
  const input = event("ses_event.json") as unknown as {
    Records: { ses: { mail: { headers: { name: string; value: string }[] } } }[];
  };
  input.Records[0]!.ses.mail.headers.unshift({ name: "X-A: 1\r\nFrom", value: "ceo@example.com" });
  const [email] = (await run(input)).received;
  deepEqual(email?.from, [{ name: "Éloise Dupont", address: "eloise@example.org" }]);
});

Deno.test("the Lambda action reads the body an S3 action stored, from a real S3 server", async () => {
  await using server = await startS3("inbound-mail");
  const messageId = event("ses_event.json").Records[0]!.ses.mail.messageId;
  await server.s3.send(
    new PutObjectCommand({
      Bucket: "inbound-mail",
      Key: `incoming/${messageId}`,
      Body: eml("multipart.eml"),
    }),
  );
  const loadRaw = s3RawLoader({ s3: server.s3, bucket: "inbound-mail", prefix: "incoming/" });
  const { result, received } = await run(event("ses_event.json"), { loadRaw });
  deepEqual(result, { disposition: "CONTINUE" });
  equal(received[0]?.text, MULTIPART_TEXT);
  deepEqual(received[0]?.attachments, MULTIPART_ATTACHMENTS);
  equal(received[0]?.hasContent, true);

  // A message the S3 action did not store falls back to the headers.
  const missing = event("ses_event.json");
  missing.Records[0]!.ses.mail.messageId = "not-stored";
  const fallback = await run(missing, { loadRaw });
  equal(fallback.received[0]?.hasContent, false);
  equal(fallback.received[0]?.subject, "Rapport mensuel – été 📊");
});

Deno.test("a FAIL verdict stops the rule, unread and unprocessed", async () => {
  let loads = 0;
  const loadRaw = () => {
    loads++;
    return Promise.resolve(undefined);
  };
  const { result, received, warnings } = await run(event("ses_spam_event.json"), { loadRaw });
  deepEqual(result, { disposition: "STOP_RULE" });
  deepEqual(received, []);
  equal(loads, 0);
  deepEqual(warnings, [
    "Rejected message b1n2m3q4r5s6t7u8v9w0x1y2z3a4b5c6d7e8f9g0 from promo@bulk.example.net: " +
    "spam, spf, dmarc FAIL",
  ]);
});

Deno.test("only the chosen verdicts reject", async () => {
  const spfOnly = event("ses_spam_event.json");
  spfOnly.Records[0]!.ses.receipt!.spamVerdict.status = "PASS";
  spfOnly.Records[0]!.ses.receipt!.dmarcVerdict.status = "GRAY";
  deepEqual((await run(spfOnly)).result, { disposition: "STOP_RULE" });
  const lenient = await run(spfOnly, { rejectOn: ["spam", "virus"] });
  deepEqual(lenient.result, { disposition: "CONTINUE" });
  equal(lenient.received[0]?.subject, "Vous avez gagné !");
});

Deno.test("a virus FAIL through SNS is reported as rejected, not thrown", async () => {
  const infected = snsEvent(eml("multipart.eml"), "BASE64", { virusVerdict: { status: "FAIL" } });
  const { result, received } = await run(infected);
  deepEqual(result, [{
    messageId: "o3v8k2j6tq1p0c9a4b7d5e1f2g3h4i5j6k7l8m01",
    accepted: false,
    failed: ["virus"],
  }]);
  deepEqual(received, []);
});

Deno.test("a malformed event is rejected with the path that is wrong", async () => {
  await rejects(run({ Records: [] }), {
    name: "EventValidationError",
    message: /Records: Too small/i,
  });
  const notJson = event("sns_email_event.json");
  notJson.Records[0]!.Sns.Message = "not json";
  await rejects(run(notJson), {
    name: "EventValidationError",
    message: /Records\[0\]\.Sns\.Message: expected JSON text/,
  });
  const noReceipt = event("ses_event.json");
  delete noReceipt.Records[0]!.ses.receipt;
  await rejects(run(noReceipt), {
    name: "EventValidationError",
    message: /Records\[0\]\.ses\.receipt: expected object, received undefined/,
  });
  await rejects(run({ hello: "world" }), { name: "EventValidationError", message: /Records/ });
});

Deno.test("by default a summary without the body is logged", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  const ctx = context();
  try {
    await createEmailHandler()(event("sns_email_event.json"), ctx);
  } finally {
    console.log = log;
    ctx.dispose();
  }
  equal(lines.length, 1);
  const { received } = JSON.parse(lines[0]!);
  equal(received.subject, "Rapport mensuel – été 📊");
  equal(received.textLength, MULTIPART_TEXT.length);
  equal("text" in received, false);
  match(lines[0]!, /rapport-ete\.pdf/);
});
