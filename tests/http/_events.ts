/**
 * Builds the event each AWS source would send for a given HTTP request, the way each source
 * lays it out (decoded v1 query values, encoded ALB ones, v2 cookies apart, base64 bodies…), so
 * one table of requests can be run through `Deno.serve` and through every event shape.
 *
 * @module
 */

import type { Json } from "./_support.ts";

/** An HTTP request as a client would send it. */
export interface ClientRequest {
  readonly method: string;
  readonly path: string;
  /** The query as the client encodes it, without `?`. */
  readonly query?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/** The event shapes a request can be turned into. */
export type EventKind = "v1" | "v2" | "alb" | "alb_multi_value";

const HOST = "example.execute-api.eu-west-1.amazonaws.com";
const SOURCE_IP = "203.0.113.7";

/**
 * The event a source would send for a request.
 *
 * @param kind The source.
 * @param request The client's request.
 * @param requestId The API Gateway request id to put in the event.
 * @returns The event.
 */
export function eventFor(kind: EventKind, request: ClientRequest, requestId: string): Json {
  const headerList: [string, string][] = [
    ["host", HOST],
    ["x-forwarded-for", SOURCE_IP],
    ["x-forwarded-proto", "https"],
    ...(request.headers ?? []).map(([k, v]): [string, string] => [k.toLowerCase(), v]),
  ];
  const query = _pairs(request.query ?? "");
  const body = request.body ?? null;
  const textBody = body !== null &&
    /^(text\/|application\/json)/.test(headerList.find(([k]) => k === "content-type")?.[1] ?? "");
  const encodedBody = body === null || textBody
    ? { body, isBase64Encoded: false }
    : { body: new TextEncoder().encode(body).toBase64(), isBase64Encoded: true };

  if (kind === "v2") {
    const cookies = headerList.filter(([k]) => k === "cookie").flatMap(([, v]) => v.split("; "));
    const headers: Record<string, string> = {};
    for (const [k, v] of headerList) {
      if (k !== "cookie") headers[k] = k in headers ? `${headers[k]},${v}` : v;
    }
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath: request.path,
      rawQueryString: request.query ?? "",
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      requestContext: {
        domainName: HOST,
        http: { method: request.method, path: request.path, sourceIp: SOURCE_IP },
        requestId,
        stage: "$default",
      },
      ...(encodedBody.body === null ? {} : encodedBody),
    };
  }

  // v1 and ALB: API Gateway decodes query values, an ALB leaves them as sent.
  const decode = kind === "v1" ? (text: string) => decodeURIComponent(text) : (t: string) => t;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of headerList) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  const singleQuery: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of query) {
    singleQuery[decode(k)] = decode(v);
    (multiQuery[decode(k)] ??= []).push(decode(v));
  }
  const common = { httpMethod: request.method, path: request.path, ...encodedBody };
  if (kind === "v1") {
    return {
      ...common,
      resource: "/{proxy+}",
      headers: single,
      multiValueHeaders: multi,
      queryStringParameters: query.length > 0 ? singleQuery : null,
      multiValueQueryStringParameters: query.length > 0 ? multiQuery : null,
      requestContext: {
        domainName: HOST,
        identity: { sourceIp: SOURCE_IP },
        path: `/prod${request.path}`,
        requestId,
        resourcePath: "/{proxy+}",
        stage: "prod",
      },
    };
  }
  const elb = { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:::targetgroup/t/1" } };
  return kind === "alb"
    ? { ...common, headers: single, queryStringParameters: singleQuery, requestContext: elb }
    : {
      ...common,
      multiValueHeaders: multi,
      multiValueQueryStringParameters: multiQuery,
      requestContext: elb,
    };
}

function _pairs(query: string): [string, string][] {
  if (query === "") return [];
  return query.split("&").map((part) => {
    const at = part.indexOf("=");
    return at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
  });
}
