/**
 * Envelopes: schemas that validate a carrier event and give back only its payload, validated by
 * the caller's schema. Use them as the `event` of `defineHandler`. Importing this module loads
 * the schemas of every carrier it knows (SQS, SNS, API Gateway, Kinesis, Firehose, EventBridge,
 * DynamoDB Streams); import a source's module and `./json.ts` instead to load only one.
 *
 * Payload schemas must be synchronous.
 *
 * @module
 */

import { z } from "zod";
import {
  ApiGatewayHttpV1EventSchema,
  ApiGatewayProxyEventSchema,
} from "./http/api_gateway_rest.ts";
import { ApiGatewayProxyEventV2Schema } from "./http/api_gateway_http.ts";
import { DynamoDbStreamRecordSchema } from "./streams/dynamodb_stream.ts";
import { EventBridgeEventSchema } from "./operations/eventbridge.ts";
import { FunctionUrlEventSchema } from "./http/function_url.ts";
import { base64ToBytes } from "./json.ts";
import {
  KinesisFirehoseEventSchema,
  KinesisFirehoseMskEventSchema,
} from "./streams/kinesis_firehose.ts";
import { KinesisStreamRecordSchema } from "./streams/kinesis.ts";
import { SnsRecordSchema, SnsSqsNotificationSchema } from "./streams/sns.ts";
import { SqsRecordSchema } from "./streams/sqs.ts";
import { type NativeValue, unmarshall, type UnmarshallOptions } from "./unmarshall.ts";

/** An envelope: takes the carrier event, gives `T`. */
export type Envelope<T> = z.ZodType<T, unknown>;

/**
 * The JSON bodies of an SQS batch.
 *
 * @param schema The schema of one body.
 * @returns An envelope giving the bodies in order.
 *
 * @example Bodies of a batch
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { z } from "zod";
 * import { sqsEnvelope } from "./envelopes.ts";
 *
 * const record = {
 *   messageId: "m1", receiptHandle: "h", body: '{"id":1}', md5OfBody: "x",
 *   attributes: {
 *     ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "s",
 *     ApproximateFirstReceiveTimestamp: "1",
 *   },
 *   messageAttributes: {}, eventSource: "aws:sqs", eventSourceARN: "arn", awsRegion: "r",
 * };
 * const Orders = sqsEnvelope(z.object({ id: z.number() }));
 * deepEqual(Orders.parse({ Records: [record] }), [{ id: 1 }]);
 * throws(() => Orders.parse({ Records: [{ ...record, body: '{"id":"1"}' }] }));
 * ```
 */
export function sqsEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>[]> {
  return z.object({ Records: z.array(SqsRecordSchema) }).transform((event, ctx) =>
    event.Records.map((r, i) => _payload(schema, _json(r.body), ctx, ["Records", i, "body"]))
  );
}

/**
 * The JSON messages of an SNS event.
 *
 * @param schema The schema of one message.
 * @returns An envelope giving the messages in order.
 */
export function snsEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>[]> {
  return z.object({ Records: z.array(SnsRecordSchema) }).transform((event, ctx) =>
    event.Records.map((r, i) =>
      _payload(schema, _json(r.Sns.Message), ctx, ["Records", i, "Sns", "Message"])
    )
  );
}

/**
 * The JSON messages of SNS notifications delivered to an SQS queue (raw delivery off): each
 * SQS body is the notification document, whose `Message` is the JSON payload.
 *
 * @param schema The schema of one message.
 * @returns An envelope giving the messages in order.
 */
export function snsSqsEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>[]> {
  return z.object({ Records: z.array(SqsRecordSchema) }).transform((event, ctx) =>
    event.Records.map((r, i) => {
      const path = ["Records", i, "body"];
      const notification = _payload(SnsSqsNotificationSchema, _json(r.body), ctx, path);
      if (notification === z.NEVER) return z.NEVER;
      return _payload(schema, _json(notification.Message), ctx, [...path, "Message"]);
    })
  );
}

/**
 * The JSON body of an API Gateway REST request, or of an HTTP API request in payload format
 * 1.0, base64-decoded first when `isBase64Encoded`. A missing body is validated as `null`.
 *
 * @param schema The schema of the body.
 * @returns An envelope giving the body.
 */
export function apiGatewayEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>> {
  const carrier = z.union([ApiGatewayProxyEventSchema, ApiGatewayHttpV1EventSchema]);
  return carrier.transform((event, ctx) =>
    _payload(schema, _body(event.body, event.isBase64Encoded), ctx, ["body"])
  );
}

/**
 * The JSON body of an API Gateway HTTP (v2) or function URL request, base64-decoded first when
 * `isBase64Encoded`. A missing body is validated as `null`.
 *
 * @param schema The schema of the body.
 * @returns An envelope giving the body.
 *
 * @example Base64 bodies are decoded
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { z } from "zod";
 * import { apiGatewayV2Envelope } from "./envelopes.ts";
 *
 * const event = {
 *   version: "2.0", routeKey: "POST /", rawPath: "/", rawQueryString: "", headers: {},
 *   body: btoa('{"name":"ada"}'), isBase64Encoded: true,
 *   requestContext: {
 *     accountId: "1", apiId: "a", domainName: "d", domainPrefix: "d", requestId: "r",
 *     routeKey: "POST /", stage: "$default", time: "t", timeEpoch: 1,
 *     http: { method: "POST", path: "/", protocol: "HTTP/1.1", sourceIp: "ip", userAgent: "ua" },
 *   },
 * };
 * deepEqual(apiGatewayV2Envelope(z.object({ name: z.string() })).parse(event), { name: "ada" });
 * ```
 */
export function apiGatewayV2Envelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>> {
  const carrier = z.union([ApiGatewayProxyEventV2Schema, FunctionUrlEventSchema]);
  return carrier.transform((event, ctx) =>
    _payload(schema, _body(event.body, event.isBase64Encoded), ctx, ["body"])
  );
}

/**
 * The base64 JSON data of a Kinesis Data Streams batch.
 *
 * @param schema The schema of one record's data.
 * @returns An envelope giving the data in order.
 */
export function kinesisEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>[]> {
  return z.object({ Records: z.array(KinesisStreamRecordSchema) }).transform((event, ctx) =>
    event.Records.map((r, i) =>
      _payload(schema, _base64Json(r.kinesis.data), ctx, ["Records", i, "kinesis", "data"])
    )
  );
}

/**
 * The base64 JSON data of a Firehose transformation batch: each record's `data`, or its
 * `kafkaRecordValue` when the delivery stream reads from an MSK cluster.
 *
 * @param schema The schema of one record's data.
 * @returns An envelope giving the data in order.
 */
export function firehoseEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>[]> {
  const direct = KinesisFirehoseEventSchema.transform((event, ctx) =>
    event.records.map((r, i) => _payload(schema, _base64Json(r.data), ctx, ["records", i, "data"]))
  );
  const msk = KinesisFirehoseMskEventSchema.transform((event, ctx) =>
    event.records.map((r, i) =>
      _payload(schema, _base64Json(r.kafkaRecordValue), ctx, ["records", i, "kafkaRecordValue"])
    )
  );
  // A failure is reported from the form the event is closest to (see `flattenIssues`).
  return z.union([direct, msk]);
}

/**
 * The `detail` of an EventBridge event.
 *
 * @param schema The schema of `detail`.
 * @returns An envelope giving the detail.
 */
export function eventBridgeEnvelope<S extends z.ZodType>(schema: S): Envelope<z.output<S>> {
  return EventBridgeEventSchema.transform((event, ctx) =>
    _payload(schema, { ok: true, value: event.detail }, ctx, ["detail"])
  );
}

/** One DynamoDB stream change, with its images unmarshalled and validated. */
export interface DynamoDbChange<T> {
  /** What happened to the item. */
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  /** The item's key attributes, as plain values. */
  readonly keys: Record<string, NativeValue>;
  /** Absent for `REMOVE` and for `KEYS_ONLY`/`OLD_IMAGE` streams. */
  readonly newImage: T | undefined;
  /** Absent for `INSERT` and for `KEYS_ONLY`/`NEW_IMAGE` streams. */
  readonly oldImage: T | undefined;
}

/**
 * The changes of a DynamoDB stream batch, with keys and images converted by `unmarshall` and
 * the images validated by `schema`.
 *
 * @param schema The schema of an unmarshalled image.
 * @param options How to return sets (see `unmarshall`).
 * @returns An envelope giving the changes in order.
 */
export function dynamoDbStreamEnvelope<S extends z.ZodType>(
  schema: S,
  options: UnmarshallOptions = {},
): Envelope<DynamoDbChange<z.output<S>>[]> {
  return z.object({ Records: z.array(DynamoDbStreamRecordSchema) }).transform((event, ctx) =>
    event.Records.map((r, i): DynamoDbChange<z.output<S>> => {
      const path = ["Records", i, "dynamodb"];
      const { NewImage, OldImage } = r.dynamodb;
      return {
        eventName: r.eventName,
        keys: unmarshall(r.dynamodb.Keys, options),
        newImage: NewImage === undefined ? undefined : _payload(
          schema,
          { ok: true, value: unmarshall(NewImage, options) },
          ctx,
          [...path, "NewImage"],
        ),
        oldImage: OldImage === undefined ? undefined : _payload(
          schema,
          { ok: true, value: unmarshall(OldImage, options) },
          ctx,
          [...path, "OldImage"],
        ),
      };
    })
  );
}

type _Decoded = { readonly ok: true; readonly value: unknown } | {
  readonly ok: false;
  readonly message: string;
};

function _json(text: string): _Decoded {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `expected JSON text, ${_reason(error)}` };
  }
}

function _base64Json(text: string): _Decoded {
  let decoded: string;
  try {
    decoded = _utf8.decode(base64ToBytes(text));
  } catch (error) {
    return { ok: false, message: `expected base64 UTF-8 text, ${_reason(error)}` };
  }
  return _json(decoded);
}

function _body(body: string | null | undefined, isBase64Encoded: boolean | undefined): _Decoded {
  if (body === null || body === undefined) return { ok: true, value: null };
  return isBase64Encoded ? _base64Json(body) : _json(body);
}

/** Validates a decoded payload, reporting its issues under `path` of the carrier. */
function _payload<S extends z.ZodType>(
  schema: S,
  decoded: _Decoded,
  ctx: z.RefinementCtx,
  path: PropertyKey[],
): z.output<S> {
  if (!decoded.ok) {
    ctx.addIssue({ code: "custom", message: decoded.message, path });
    return z.NEVER;
  }
  const parsed = schema.safeParse(decoded.value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ ...issue, path: [...path, ...issue.path] });
  }
  return z.NEVER;
}

const _utf8 = new TextDecoder("utf-8", { fatal: true });

function _reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
