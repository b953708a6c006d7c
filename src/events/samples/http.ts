/**
 * Sample events of the HTTP sources other than API Gateway (see `api_gateway.ts`): function
 * URLs, Application Load Balancers and VPC Lattice. Each takes `--method`, `--path` (with an
 * optional `?query`), `--query`, `--header` and `--body`.
 *
 * @module
 */

import { AlbEventSchema } from "../http/alb.ts";
import { FunctionUrlEventSchema } from "../http/function_url.ts";
import { VpcLatticeEventV2Schema } from "../http/vpc_lattice.ts";
import { HTTP_OPTIONS, httpRequest, v2Event } from "./http_request.ts";
import { ACCOUNT, queryParameters, REGION, type SampleSource, TIME_MS } from "./options.ts";

/** The HTTP sources other than API Gateway, by name. */
export const HTTP_SOURCES: Readonly<Record<string, SampleSource>> = {
  "function-url": {
    description: "Lambda Function URL request",
    options: HTTP_OPTIONS,
    schema: FunctionUrlEventSchema,
    make: (options) => {
      const host = `a2bcdefghij3klmno4pqrstu5vw.lambda-url.${REGION}.on.aws`;
      const request = httpRequest("function-url", options, host);
      const route = { routeKey: "$default", stage: "$default", pathParameters: null };
      return v2Event(request, host, route, TIME_MS);
    },
  },
  alb: {
    description: "Application Load Balancer request",
    options: HTTP_OPTIONS,
    schema: AlbEventSchema,
    make: (options) => {
      const host = `my-alb-123578498.${REGION}.elb.amazonaws.com`;
      const request = httpRequest("alb", options, host);
      return {
        requestContext: {
          elb: {
            targetGroupArn:
              `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/lambda/49e9d65c45c6791a`,
          },
        },
        httpMethod: request.method,
        path: request.path,
        queryStringParameters: queryParameters(request.query).single ?? {},
        headers: request.headers,
        body: request.body ?? "",
        isBase64Encoded: false,
      };
    },
  },
  "vpc-lattice": {
    description: "VPC Lattice request (event format 2.0)",
    options: HTTP_OPTIONS,
    schema: VpcLatticeEventV2Schema,
    make: (options) => {
      const host = `my-service-0a40eebed65f8d69c.7d67968.vpc-lattice-svcs.${REGION}.on.aws`;
      const request = httpRequest("vpc-lattice", options, host);
      const { multi } = queryParameters(request.query);
      const arn = `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}`;
      return {
        version: "2.0",
        path: request.path,
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [key, [value]]),
        ),
        queryStringParameters: multi ?? {},
        body: request.body ?? "",
        isBase64Encoded: false,
        requestContext: {
          serviceNetworkArn: `${arn}:servicenetwork/sn-0bf3f2882e9cc805a`,
          serviceArn: `${arn}:service/svc-0a40eebed65f8d69c`,
          targetGroupArn: `${arn}:targetgroup/tg-6d0ecf831eec9f09`,
          identity: { sourceVpcArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0b8276c84697e7339` },
          region: REGION,
          timeEpoch: `${TIME_MS}000`,
        },
      };
    },
  },
};
