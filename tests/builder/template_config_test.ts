import { deepEqual, equal, match, throws } from "node:assert/strict";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import { readFunctions } from "../../src/builder/functions/handler_modules.ts";
import { samTemplate } from "../../src/builder/template/template.ts";
import { mergeTemplates, parseTemplate } from "../../src/builder/template/template_base.ts";
import type { FunctionConfig } from "../../src/handler_config.ts";

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

function templateOf(...configs: [string, FunctionConfig][]): Record<string, unknown> {
  return samTemplate({
    functions: configs.map(([file, config]) => ({ file, exportName: "handler", config })),
    arch: "arm64",
    codeUri: "arm64/function.zip",
    memorySize: 128,
    timeout: 3,
  }) as Record<string, unknown>;
}

function propertiesOf(template: Record<string, unknown>, id: string): Record<string, unknown> {
  return (template.Resources as Record<string, Resource>)[id]!.Properties;
}

Deno.test("environment strings are values, parameters are Refs to NoEcho-able parameters", () => {
  const template = templateOf(["chat", {
    environment: {
      LOG_LEVEL: "debug",
      SIGNING_SECRET: { secret: true, description: "The secret" },
      BUCKET_NAME: { parameter: "Store", default: "my-bucket" },
    },
  }]);
  deepEqual(propertiesOf(template, "ChatHandler").Environment, {
    Variables: {
      LOG_LEVEL: "debug",
      SIGNING_SECRET: { Ref: "SigningSecret" },
      BUCKET_NAME: { Ref: "Store" },
    },
  });
  deepEqual(template.Parameters, {
    SigningSecret: { Type: "String", NoEcho: true, Description: "The secret" },
    Store: { Type: "String", Default: "my-bucket" },
  });
});

Deno.test("two functions share a parameter, but not one declared two ways", () => {
  const secret = { environment: { TOKEN: { secret: true } } };
  const template = templateOf(["a", secret], ["b", secret]);
  deepEqual(Object.keys(template.Parameters as object), ["Token"]);
  throws(
    () => templateOf(["a", secret], ["b", { environment: { TOKEN: { default: "x" } } }]),
    /b\.handler declares parameter Token unlike another function does/,
  );
  throws(
    () => templateOf(["a", { environment: { X: { parameter: "AHandler" } } }]),
    /parameter AHandler has a function's name/,
  );
});

Deno.test("policies pass through; events map onto SAM's event types", () => {
  const template = templateOf(["jobs", {
    policies: ["AmazonS3ReadOnlyAccess", { SQSPollerPolicy: { QueueName: "jobs" } }],
    events: {
      Queue: {
        type: "SQS",
        queue: { "Fn::GetAtt": ["JobQueue", "Arn"] },
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
      },
      Nightly: { type: "Schedule", schedule: "cron(0 3 * * ? *)" },
    },
  }]);
  const p = propertiesOf(template, "JobsHandler");
  deepEqual(p.Policies, ["AmazonS3ReadOnlyAccess", { SQSPollerPolicy: { QueueName: "jobs" } }]);
  deepEqual(p.Events, {
    Queue: {
      Type: "SQS",
      Properties: {
        Queue: { "Fn::GetAtt": ["JobQueue", "Arn"] },
        BatchSize: 10,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      },
    },
    Nightly: { Type: "Schedule", Properties: { Schedule: "cron(0 3 * * ? *)" } },
  });
  equal(template.Parameters, undefined);
});

Deno.test("a malformed environment, policy or event is named with its function", () => {
  const bad = (config: unknown) => () =>
    functionsOf("f", { handler: () => 1, config: { handler: config } });
  throws(
    bad({ environment: { AWS_REGION: "x" } }),
    /f\.handler: environment variable "AWS_REGION"/,
  );
  throws(bad({ environment: { A: { secrett: true } } }), /environment\.A has an unknown key/);
  throws(bad({ environment: { A: 1 } }), /environment\.A must be an object/);
  throws(bad({ policies: "AmazonS3ReadOnlyAccess" }), /policies must be an array/);
  throws(bad({ policies: [{ A: 1, B: 2 }] }), /policies\[0\] must be a managed policy/);
  throws(bad({ events: { Q: { type: "Sqs", queue: "q" } } }), /events\.Q\.type must be one of/);
  throws(bad({ events: { Q: { type: "SQS" } } }), /events\.Q \(SQS\) needs queue/);
  throws(bad({ events: { Q: { type: "SQS", queue: "q", size: 1 } } }), /unknown field "size"/);
  throws(
    bad({ events: { Q: { type: "SQS", queue: "q", functionResponseTypes: ["All"] } } }),
    /functionResponseTypes must be \["ReportBatchItemFailures"\]/,
  );
  throws(bad({ nodeModules: "cowsay" }), /f\.handler: nodeModules must be a list of npm package/);
  throws(bad({ nodeModules: ["../cowsay"] }), /nodeModules must be a list of npm package names/);
  deepEqual(
    functionsOf("f", { handler: () => 1, config: { handler: { nodeModules: ["@a/b", "c"] } } })[0]
      ?.config.nodeModules,
    ["@a/b", "c"],
  );
});

Deno.test("the user's template.base.yaml adds resources and wins over generated properties", () => {
  const generated = templateOf(["jobs", {
    url: "buffered",
    environment: { MODE: "fast", TOKEN: { secret: true } },
  }]);
  const base = parseTemplate(`
Description: My stack
Globals:
  Function:
    Tracing: Active
Parameters:
  UrlAuthType:
    Type: String
    Default: NONE
Resources:
  JobQueue:
    Type: AWS::SQS::Queue
  JobsHandler:
    Properties:
      Timeout: 30
      Environment:
        Variables:
          QUEUE_URL: !Ref JobQueue
          MODE: slow
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt JobQueue.QueueName
Outputs:
  QueueArn:
    Value: !GetAtt JobQueue.Arn
`);
  const merged = mergeTemplates(generated, base) as Record<string, unknown>;
  equal(merged.Description, "My stack");
  equal(merged.Transform, "AWS::Serverless-2016-10-31");
  deepEqual(merged.Globals, { Function: { Tracing: "Active" } });
  const parameters = merged.Parameters as Record<string, Record<string, unknown>>;
  equal(parameters.UrlAuthType?.Default, "NONE");
  equal(parameters.Token?.NoEcho, true);
  const p = propertiesOf(merged, "JobsHandler");
  equal(p.Timeout, 30);
  equal(p.Handler, "jobs.handler");
  deepEqual(p.Environment, {
    Variables: { MODE: "slow", TOKEN: { Ref: "Token" }, QUEUE_URL: { Ref: "JobQueue" } },
  });
  deepEqual(p.Policies, [{
    SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["JobQueue", "QueueName"] } },
  }]);
  equal((merged.Resources as Record<string, Resource>).JobQueue?.Type, "AWS::SQS::Queue");
  const outputs = merged.Outputs as Record<string, unknown>;
  deepEqual(Object.keys(outputs).sort(), ["JobsHandlerUrl", "QueueArn"]);
  const partial = { Resources: { GoneHandler: { Properties: { Timeout: 9 } } } };
  equal("GoneHandler" in (mergeTemplates(generated, partial).Resources as object), false);
  throws(() => mergeTemplates(generated, { Resources: [] }), /its Resources must be a mapping/);
  throws(
    () => parseTemplate("- a\n- b\n"),
    /Cannot read handlers\/template\.base\.yaml: it is not a YAML/,
  );
});

Deno.test("the build warns of a handler module without config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-config-" });
  try {
    await Deno.writeTextFile(`${dir}/plain.ts`, "export const handler = () => 1;\n");
    await Deno.writeTextFile(
      `${dir}/configured.ts`,
      "export const handler = () => 1;\nexport const config = { handler: {} };\n",
    );
    const warnings: string[] = [];
    const functions = await readFunctions(dir, [
      { name: "configured", fileName: "configured.ts" },
      { name: "plain", fileName: "plain.ts" },
    ], (w) => warnings.push(w));
    equal(functions.length, 2);
    equal(warnings.length, 1);
    match(warnings[0]!, /^handlers\/plain\.ts has no `config` export: .*no Function URL/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the build reads handler configs from a directory whose path has #, ? and %", async () => {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-config-" });
  try {
    const dir = `${root}/a#b?c%41 d`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      `${dir}/configured.ts`,
      "export const handler = () => 1;\nexport const config = { handler: { timeout: 7 } };\n",
    );
    const functions = await readFunctions(dir, [{ name: "configured", fileName: "configured.ts" }]);
    equal(functions.length, 1);
    equal(functions[0]!.config.timeout, 7);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("UrlAuthType=NONE gets the public permissions SAM only adds for a literal NONE", () => {
  // SAM skips them when AuthType is a Ref, and a public URL without them answers 403.
  const template = templateOf(["hook", { url: "buffered" }], ["job", {}]);
  deepEqual(template.Conditions, {
    UrlIsPublic: { "Fn::Equals": [{ Ref: "UrlAuthType" }, "NONE"] },
  });
  const resources = template.Resources as Record<string, Record<string, unknown>>;
  deepEqual(resources.HookHandlerUrlPublicInvokeUrl, {
    Type: "AWS::Lambda::Permission",
    Condition: "UrlIsPublic",
    Properties: {
      Action: "lambda:InvokeFunctionUrl",
      FunctionName: { Ref: "HookHandler" },
      Principal: "*",
      FunctionUrlAuthType: "NONE",
    },
  });
  deepEqual(resources.HookHandlerUrlPublicInvoke, {
    Type: "AWS::Lambda::Permission",
    Condition: "UrlIsPublic",
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: { Ref: "HookHandler" },
      Principal: "*",
      InvokedViaFunctionUrl: true,
    },
  });
  equal(Object.keys(resources).some((id) => id.startsWith("JobHandlerUrl")), false);
  equal(templateOf(["job", {}]).Conditions, undefined);
});

Deno.test("mergeTemplates() says which of the user's Type-less resources it left out", () => {
  const generated = templateOf(["jobs", {}]);
  const warnings: string[] = [];
  const base = {
    Resources: {
      JobsHandler: { Properties: { Timeout: 9 } },
      JobsHandlr: { Properties: { Timeout: 9 } },
    },
  };
  const merged = mergeTemplates(generated, base, (warning) => warnings.push(warning));
  equal("JobsHandlr" in (merged.Resources as object), false);
  equal(warnings.length, 1);
  match(warnings[0]!, /Resources\.JobsHandlr has no Type and names no function of this build/);
});
