import { deepEqual, equal, throws } from "node:assert/strict";
import { parse } from "yaml";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import { listHandlerModules, readFunctions } from "../../src/builder/functions/handler_modules.ts";
import { logicalId, renderTemplate, samTemplate } from "../../src/builder/template/template.ts";

const handlersDir = new URL("../../handlers", import.meta.url).pathname;
// The conformance handlers only: the example functions come and go without changing what the
// template must look like for these.
const MODULES = ["echo", "hello", "stream"];

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

async function parsedTemplate(layer: boolean): Promise<Record<string, unknown>> {
  const functions = await readFunctions(
    handlersDir,
    await listHandlerModules(handlersDir, MODULES),
  );
  const text = renderTemplate(samTemplate({
    functions,
    arch: "arm64",
    codeUri: "arm64/function.zip",
    ...(layer ? { layerUri: "arm64/layer.zip" } : {}),
    memorySize: 256,
    timeout: 10,
  }));
  return parse(text) as Record<string, unknown>;
}

Deno.test("the template has one provided.al2023 function per handler export", async () => {
  const template = await parsedTemplate(false);
  equal(template.AWSTemplateFormatVersion, "2010-09-09");
  equal(template.Transform, "AWS::Serverless-2016-10-31");
  const resources = template.Resources as Record<string, Resource>;
  // The example handlers come and go; the conformance and greeting functions are always there.
  const core = ["EchoHandler", "EchoStream", "HelloHandler", "StreamHandler"];
  deepEqual(Object.keys(resources).filter((id) => core.includes(id)), core);
  const handlers = new Map(Object.values(resources).map((r) => [r.Properties.Handler, r]));
  for (const name of ["echo.handler", "echo.stream", "hello.handler", "stream.handler"]) {
    equal(handlers.has(name), true, name);
  }
  // Besides the functions, only the permissions of their public URLs.
  const functions = Object.values(resources).filter((r) => r.Type !== "AWS::Lambda::Permission");
  functions.forEach((resource) => {
    equal(resource.Type, "AWS::Serverless::Function");
    const p = resource.Properties;
    equal(p.Runtime, "provided.al2023");
    equal(typeof p.Handler, "string");
    deepEqual(p.Architectures, ["arm64"]);
    equal(p.CodeUri, "arm64/function.zip");
    equal(p.MemorySize, 256);
    equal(p.Timeout, 10);
    equal(p.Layers, undefined);
  });
});

Deno.test("HTTP handlers get a Function URL, streaming ones in RESPONSE_STREAM mode", async () => {
  const template = await parsedTemplate(false);
  const resources = template.Resources as Record<string, Resource>;
  equal(resources.EchoHandler?.Properties.FunctionUrlConfig, undefined);
  equal(resources.EchoStream?.Properties.FunctionUrlConfig, undefined);
  deepEqual(resources.HelloHandler?.Properties.FunctionUrlConfig, {
    AuthType: { Ref: "UrlAuthType" },
    InvokeMode: "BUFFERED",
  });
  deepEqual(resources.StreamHandler?.Properties.FunctionUrlConfig, {
    AuthType: { Ref: "UrlAuthType" },
    InvokeMode: "RESPONSE_STREAM",
  });
  const parameters = template.Parameters as Record<string, Record<string, unknown>>;
  equal(parameters.UrlAuthType?.Default, "AWS_IAM");
  const outputs = template.Outputs as Record<string, { Value: unknown }>;
  deepEqual(outputs.HelloHandlerUrl?.Value, { "Fn::GetAtt": ["HelloHandlerUrl", "FunctionUrl"] });
});

Deno.test("with a layer, every function uses the deno layer", async () => {
  const template = await parsedTemplate(true);
  const resources = template.Resources as Record<string, Resource>;
  const layer = resources.DenoLayer;
  equal(layer?.Type, "AWS::Serverless::LayerVersion");
  equal(layer?.Properties.ContentUri, "arm64/layer.zip");
  deepEqual(layer?.Properties.CompatibleArchitectures, ["arm64"]);
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== "AWS::Serverless::Function") continue;
    deepEqual(resource.Properties.Layers, [{ Ref: "DenoLayer" }], id);
  }
});

Deno.test("a function's own memory, timeout, concurrency and description win over the defaults", () => {
  const template = samTemplate({
    functions: [{
      file: "big",
      exportName: "handler",
      config: { memorySize: 1024, timeout: 60, reservedConcurrency: 5, description: "Big" },
    }],
    arch: "x86_64",
    codeUri: "x86_64/function.zip",
    memorySize: 256,
    timeout: 10,
  });
  const p = (template.Resources as Record<string, Resource>).BigHandler?.Properties;
  equal(p?.MemorySize, 1024);
  equal(p?.Timeout, 60);
  equal(p?.ReservedConcurrentExecutions, 5);
  equal(p?.Description, "Big");
  equal(template.Parameters, undefined);
});

Deno.test("without config, a module's handler export is its only function", () => {
  deepEqual(functionsOf("plain", { handler: () => null, other: () => null }), [
    { file: "plain", exportName: "handler", config: {} },
  ]);
  deepEqual(functionsOf("lib", { helper: () => null }), []);
});

Deno.test("a malformed config is named", () => {
  throws(() => functionsOf("a", { config: { missing: {} } }), /a\.missing: config names it/);
  throws(
    () => functionsOf("a", { handler: () => 1, config: { handler: { url: "yes" } } }),
    /url must be "buffered" or "stream"/,
  );
  throws(
    () => functionsOf("a", { handler: () => 1, config: { handler: { memory: 512 } } }),
    /unknown config key "memory"/,
  );
  for (const reservedConcurrency of [-1, 1.5, "2"]) {
    throws(
      () => functionsOf("a", { handler: () => 1, config: { handler: { reservedConcurrency } } }),
      /a\.handler: reservedConcurrency must be a whole number of environments, 0 or more/,
    );
  }
  throws(
    () => samTemplate({ functions: [], arch: "arm64", codeUri: "x", memorySize: 128, timeout: 3 }),
    /no functions/,
  );
});

Deno.test("logicalId() turns file.export into a CloudFormation name", () => {
  equal(logicalId({ file: "echo", exportName: "stream" }), "EchoStream");
  equal(logicalId({ file: "my-api_v2", exportName: "handler" }), "MyApiV2Handler");
});

Deno.test("listHandlerModules() names a handler module that is not there", async () => {
  await listHandlerModules(handlersDir, ["echo"]).then((m) =>
    deepEqual(m.map((x) => x.name), ["echo"])
  );
  let message = "";
  await listHandlerModules(handlersDir, ["nope"]).catch((e: Error) => (message = e.message));
  equal(message.startsWith("Cannot find handler module nope"), true);
});
