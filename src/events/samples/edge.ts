/**
 * Sample events of Lambda@Edge: a CloudFront viewer request, and a viewer response. The request
 * takes `--method`, `--path` (with an optional `?query`) and `--body`; the response `--path` and
 * `--status`.
 *
 * @module
 */

import { CloudFrontRequestEventSchema, CloudFrontResponseEventSchema } from "../http/cloudfront.ts";
import { base64, one, type SampleOptions, type SampleSource } from "./options.ts";

const HOST = "d111111abcdef8.cloudfront.net";

/** CloudFront's headers: lower-case keys, each with its original spelling and its values. */
function _headers(
  headers: Record<string, string>,
): Record<string, { key: string; value: string }[]> {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [
      key.toLowerCase(),
      [{ key, value }],
    ]),
  );
}

function _config(eventType: string) {
  return {
    distributionDomainName: "d123.cloudfront.net",
    distributionId: "EDFDVBD6EXAMPLE",
    eventType,
    requestId: "MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==",
  };
}

function _request(options: SampleOptions, withBody: boolean) {
  const body = withBody ? options.body?.at(-1) : undefined;
  const [uri = "/", querystring = ""] = one(options, "path", "/index.html").split("?", 2) as [
    string,
    string?,
  ];
  return {
    clientIp: "198.51.100.7",
    method: withBody
      ? one(options, "method", body === undefined ? "GET" : "POST").toUpperCase()
      : "GET",
    uri: uri.startsWith("/") ? uri : `/${uri}`,
    querystring,
    headers: _headers({ Host: HOST, "User-Agent": "curl/8.5.0", Accept: "*/*" }),
    // CloudFront passes the body only when the function is associated with "include body", and
    // then always base64-encoded.
    ...(body === undefined ? {} : {
      body: { action: "read-only", data: base64(body), encoding: "base64", inputTruncated: false },
    }),
  };
}

/** The Lambda@Edge sources, by name. */
export const EDGE_SOURCES: Readonly<Record<string, SampleSource>> = {
  "cloudfront-request": {
    description: "Lambda@Edge viewer request (CloudFront)",
    options: {
      method: "the HTTP method (GET, or POST with --body)",
      path: "the URI, with an optional ?query (/index.html)",
      body: "the request body, as text, sent base64-encoded (none)",
    },
    schema: CloudFrontRequestEventSchema,
    make: (options) => ({
      Records: [{ cf: { config: _config("viewer-request"), request: _request(options, true) } }],
    }),
  },
  "cloudfront-response": {
    description: "Lambda@Edge viewer response (CloudFront)",
    options: {
      path: "the URI of the request, with an optional ?query (/index.html)",
      status: "the status code (200)",
    },
    schema: CloudFrontResponseEventSchema,
    make: (options) => ({
      Records: [{
        cf: {
          config: _config("viewer-response"),
          request: _request(options, false),
          response: {
            status: one(options, "status", "200"),
            headers: _headers({
              "Content-Type": "text/html; charset=utf-8",
              "Last-Modified": "Tue, 02 Jan 2024 03:04:05 GMT",
              Server: "AmazonS3",
            }),
          },
        },
      }],
    }),
  },
};
