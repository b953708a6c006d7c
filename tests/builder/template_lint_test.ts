// The generated template, linted by AWS's CloudFormation linter (cfn-lint, which expands the
// SAM transform first): what the handlers' configs produce must deploy as written. Without
// cfn-lint the test is ignored, unless the run requires it (see tests/_tools.ts).
import { equal, match } from "node:assert/strict";
import { externalTool } from "../_tools.ts";
import { apiRoutes } from "../../src/builder/functions/api_routes.ts";
import { listHandlerModules, readFunctions } from "../../src/builder/functions/handler_modules.ts";
import { renderTemplate, samTemplate } from "../../src/builder/template/template.ts";
import { mergeTemplates, parseTemplate } from "../../src/builder/template/template_base.ts";

const handlersDir = new URL("../../handlers", import.meta.url).pathname;
const cfnLint = externalTool("cfn-lint", {
  override: "CFN_LINT",
  install: "install AWS's linter (`pipx install cfn-lint`, or `pip install cfn-lint` in a " +
    "virtual environment), or set CFN_LINT to its path",
  test: "the template lint",
});

/** Every event type and a user's resources, as a project with template.base.yaml has them. */
const BASE = `
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Uploads:
    Type: AWS::S3::Bucket
  Alerts:
    Type: AWS::SNS::Topic
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      StreamSpecification: { StreamViewType: NEW_IMAGE }
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  EchoHandler:
    Properties:
      Environment:
        Variables:
          JOBS_URL: !Ref Jobs
Outputs:
  JobsArn:
    Value: !GetAtt Jobs.Arn
`;

async function lint(paths: string[]): Promise<{ code: number; output: string }> {
  const result = await new Deno.Command(cfnLint.require(), {
    args: ["--format", "parseable", "--", ...paths],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

Deno.test({
  name: "cfn-lint passes the template of every handler, events, routes and a base template",
  ignore: cfnLint.ignore,
  fn: lintsEveryHandler,
});

async function lintsEveryHandler(): Promise<void> {
  const functions = await readFunctions(
    handlersDir,
    await listHandlerModules(handlersDir, undefined),
  );
  const fanOut = {
    file: "fan",
    exportName: "handler",
    config: {
      reservedConcurrency: 5,
      policies: ["AWSXRayDaemonWriteAccess", { SQSPollerPolicy: { QueueName: "jobs" } }],
      events: {
        Queue: {
          type: "SQS" as const,
          queue: { "Fn::GetAtt": ["Jobs", "Arn"] as const },
          batchSize: 10,
          functionResponseTypes: ["ReportBatchItemFailures" as const],
        },
        Stream: {
          type: "Kinesis" as const,
          stream: { "Fn::GetAtt": ["Clicks", "Arn"] as const },
          startingPosition: "LATEST" as const,
          functionResponseTypes: ["ReportBatchItemFailures" as const],
        },
        Table: {
          type: "DynamoDB" as const,
          stream: { "Fn::GetAtt": ["Orders", "StreamArn"] as const },
          startingPosition: "TRIM_HORIZON" as const,
        },
        Upload: {
          type: "S3" as const,
          bucket: { Ref: "Uploads" },
          events: "s3:ObjectCreated:*",
          filter: { S3Key: { Rules: [{ Name: "prefix", Value: "in/" }] } },
        },
        Alert: { type: "SNS" as const, topic: { Ref: "Alerts" } },
        Nightly: { type: "Schedule" as const, schedule: "cron(0 3 * * ? *)" },
        Deploys: {
          type: "EventBridgeRule" as const,
          pattern: { source: ["aws.codepipeline"] },
        },
      },
    },
  };
  // Routes of both APIs, behind authorizers of each kind, and open ones, under names and paths
  // a project's own functions are unlikely to take.
  const routes = {
    file: "lintroutes",
    exportName: "handler",
    config: {
      events: {
        Get: { type: "HttpApi" as const, method: "GET", path: "/lint/users/{id}" },
        Put: {
          type: "HttpApi" as const,
          method: "PUT",
          path: "/lint/users/{id}",
          authorizer: { function: "lintgate", simpleResponses: true },
        },
        Legacy: {
          type: "HttpApi" as const,
          method: "ANY",
          path: "/lint/v1/{proxy+}",
          payloadFormatVersion: "1.0" as const,
        },
        // An HTTP API has one $default route: the project's own, if it has one.
        ...(functions.some((fn) => apiRoutes(fn.config).some((r) => r.path === "$default"))
          ? {}
          : { Fallback: { type: "HttpApi" as const } }),
        Items: {
          type: "Api" as const,
          method: "GET",
          path: "/lint/items/{id}",
          authorizer: {
            function: "lintgate.token",
            identity: { validationExpression: "^Bearer .+$" },
          },
        },
        Files: {
          type: "Api" as const,
          method: "ANY",
          path: "/lint/files/{proxy+}",
          authorizer: {
            function: "lintgate.request",
            type: "REQUEST" as const,
            identity: { headers: ["X-Key"], queryStrings: ["key"] },
          },
        },
        Home: { type: "Api" as const, method: "GET", path: "/lint" },
      },
    },
  };
  const gates = ["handler", "token", "request"].map((exportName) => ({
    file: "lintgate",
    exportName,
    config: {},
  }));
  const generated = samTemplate({
    functions: [...functions, fanOut, routes, ...gates],
    arch: "arm64",
    codeUri: "arm64/function.zip",
    layerUri: "arm64/layer.zip",
    memorySize: 256,
    timeout: 10,
  });
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-lint-" });
  try {
    const good = `${dir}/template.yaml`;
    // The project's own template.base.yaml (the orders example's queue), then the test's.
    const projectBase = parseTemplate(
      await Deno.readTextFile(new URL("../../handlers/template.base.yaml", import.meta.url)),
    );
    const merged = mergeTemplates(mergeTemplates(generated, projectBase), parseTemplate(BASE));
    await Deno.writeTextFile(good, renderTemplate(merged));
    // The same template with one mistake, so a linter that finds nothing cannot pass the test.
    const bad = `${dir}/broken.yaml`;
    const broken = { Resources: { EchoHandler: { Properties: { Timeout: 9000 } } } };
    await Deno.writeTextFile(bad, renderTemplate(mergeTemplates(merged, broken)));
    const { code, output } = await lint([good, bad]);
    const lines = output.split("\n").filter((line) => line.trim() !== "");
    equal(lines.filter((line) => line.startsWith(good)).join("\n"), "");
    match(lines.filter((line) => line.startsWith(bad)).join("\n"), /Timeout|9000/);
    equal(code === 0, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
