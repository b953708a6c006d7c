// Envelopes extract payloads from their carriers; unmarshall converts DynamoDB JSON.
import { deepEqual, equal, throws } from "node:assert/strict";
import { z } from "zod";
import {
  apiGatewayEnvelope,
  apiGatewayV2Envelope,
  dynamoDbStreamEnvelope,
  eventBridgeEnvelope,
  firehoseEnvelope,
  kinesisEnvelope,
  snsEnvelope,
  snsSqsEnvelope,
  sqsEnvelope,
} from "../../src/events/envelopes.ts";
import { flattenIssues } from "../../src/events/errors.ts";
import { convertNumber, unmarshall } from "../../src/events/unmarshall.ts";

type Json = Record<string, unknown>;
const Order = z.object({ orderId: z.string() });

async function fixture(name: string): Promise<Json> {
  const url = new URL(`../fixtures/events/${name}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

function paths(schema: z.ZodType, event: unknown): string[] {
  const result = schema.safeParse(event);
  equal(result.success, false);
  return flattenIssues(result.error!.issues).map((i) => `${i.path}: ${i.message}`);
}

function records(event: Json): Json[] {
  return event.Records as Json[];
}

Deno.test("sqsEnvelope() returns the parsed bodies in order", async () => {
  const bodies = sqsEnvelope(z.object({ orderId: z.string(), amount: z.number() }))
    .parse(await fixture("sqs"));
  deepEqual(bodies, [{ orderId: "o-1", amount: 42 }, { orderId: "o-2", amount: 7 }]);
});

Deno.test("sqsEnvelope() names the body path of an invalid or non-JSON body", async () => {
  const event = await fixture("sqs");
  records(event)[0]!.body = '{"orderId":1}';
  records(event)[1]!.body = "not json";
  const found = paths(sqsEnvelope(Order), event);
  equal(found[0], "Records[0].body.orderId: expected string, received number");
  equal(found[1]?.startsWith("Records[1].body: expected JSON text"), true);
});

Deno.test("snsEnvelope() returns the parsed messages", async () => {
  deepEqual(snsEnvelope(Order).parse(await fixture("sns")), [{ orderId: "o-1" }]);
});

Deno.test("snsSqsEnvelope() unwraps an SNS notification inside an SQS body", async () => {
  const event = await fixture("sqs");
  const notification = {
    Type: "Notification",
    MessageId: "n1",
    TopicArn: "arn:aws:sns:us-east-2:123456789012:orders",
    Message: '{"orderId":"o-9"}',
    Timestamp: "2024-01-01T00:00:00.000Z",
  };
  records(event)[0]!.body = JSON.stringify(notification);
  records(event)[1]!.body = JSON.stringify({ ...notification, Message: "{}" });
  equal(
    paths(snsSqsEnvelope(Order), event)[0],
    "Records[1].body.Message.orderId: expected string, received undefined",
  );
  records(event).pop();
  deepEqual(snsSqsEnvelope(Order).parse(event), [{ orderId: "o-9" }]);
});

Deno.test("apiGatewayEnvelope() decodes a base64 body", async () => {
  const body = apiGatewayEnvelope(z.object({ amount: z.number() })).parse(
    await fixture("api_gateway_rest"),
  );
  deepEqual(body, { amount: 42 });
});

Deno.test("apiGatewayEnvelope() reports bad base64 at body", async () => {
  const event = await fixture("api_gateway_rest");
  event.body = "%%%";
  equal(paths(apiGatewayEnvelope(Order), event)[0]?.startsWith("body: expected base64"), true);
});

Deno.test("apiGatewayV2Envelope() parses a plain body and validates a missing one as null", async () => {
  const event = await fixture("api_gateway_http");
  deepEqual(apiGatewayV2Envelope(z.object({ amount: z.number() })).parse(event), { amount: 42 });
  delete event.body;
  equal(apiGatewayV2Envelope(z.null()).parse(event), null);
  equal(paths(apiGatewayV2Envelope(Order), event)[0], "body: expected object, received null");
});

Deno.test("kinesisEnvelope() decodes base64 JSON data", async () => {
  deepEqual(kinesisEnvelope(Order).parse(await fixture("kinesis")), [
    { orderId: "o-1" },
    { orderId: "o-2" },
  ]);
});

Deno.test("firehoseEnvelope() decodes base64 JSON data and names records[i].data", async () => {
  const event = await fixture("kinesis_firehose");
  deepEqual(firehoseEnvelope(Order).parse(event), [{ orderId: "o-1" }]);
  (event.records as Json[])[0]!.data = btoa("{}");
  equal(
    paths(firehoseEnvelope(Order), event)[0],
    "records[0].data.orderId: expected string, received undefined",
  );
});

Deno.test("eventBridgeEnvelope() returns the validated detail", async () => {
  deepEqual(eventBridgeEnvelope(Order).parse(await fixture("eventbridge")), {
    orderId: "o-1",
  });
  throws(() => eventBridgeEnvelope(z.object({ missing: z.string() })).parse({}));
});

Deno.test("dynamoDbStreamEnvelope() unmarshalls and validates images", async () => {
  const Item = z.object({ Id: z.number(), Message: z.string() });
  const changes = dynamoDbStreamEnvelope(Item).parse(await fixture("dynamodb_stream"));
  equal(changes.length, 2);
  deepEqual(changes[0]?.keys, { Id: 101 });
  equal(changes[0]?.oldImage, undefined);
  equal(changes[1]?.newImage?.Message, "This item has changed");
  equal(changes[1]?.oldImage?.Message, "New item!");
  equal(
    paths(
      dynamoDbStreamEnvelope(z.object({ Id: z.string() })),
      await fixture("dynamodb_stream"),
    )[0],
    "Records[0].dynamodb.NewImage.Id: expected string, received number",
  );
});

Deno.test("unmarshall() converts every attribute type", () => {
  const item = unmarshall({
    s: { S: "x" },
    n: { N: "-1.5" },
    b: { B: "aGk=" },
    t: { BOOL: true },
    z: { NULL: true },
    m: { M: { inner: { L: [{ N: "1" }, { S: "y" }] } } },
    ss: { SS: ["a", "b"] },
    ns: { NS: ["1", "2"] },
    bs: { BS: ["aGk="] },
  });
  deepEqual(item.b, new Uint8Array([104, 105]));
  deepEqual(item.m, { inner: [1, "y"] });
  deepEqual(item.ss, new Set(["a", "b"]));
  deepEqual(item.ns, new Set([1, 2]));
  deepEqual(item.bs, new Set([new Uint8Array([104, 105])]));
  deepEqual([item.s, item.n, item.t, item.z], ["x", -1.5, true, null]);
  deepEqual(unmarshall({ ns: { NS: ["1"] } }, { sets: "array" }), { ns: [1] });
});

Deno.test("convertNumber() keeps exactness: number, bigint, or the string", () => {
  equal(convertNumber("9007199254740991"), 9007199254740991);
  equal(convertNumber("9007199254740993"), 9007199254740993n);
  equal(convertNumber("0.000123"), 0.000123);
  equal(convertNumber("123456789.123456"), 123456789.123456);
  equal(convertNumber("1.23456789012345678"), "1.23456789012345678");
  equal(convertNumber("1E+400"), "1E+400");
});
