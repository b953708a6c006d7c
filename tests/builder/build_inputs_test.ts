// What the build refuses to ship, naming the entry: a type error, an asset link that leaves the
// project, two functions taking one logical id, a policy that is neither an ARN nor a name.
import { deepEqual, doesNotThrow, equal, match, rejects, throws } from "node:assert/strict";
import { assetFiles } from "../../src/builder/functions/assets.ts";
import { checkPolicies } from "../../src/builder/functions/config_fields.ts";
import { samTemplate } from "../../src/builder/template/template.ts";
import { typeCheck } from "../../src/builder/command/type_check.ts";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

async function project(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "lambdeno-inputs-test-" });
  await Deno.symlink(`${ROOT}/src`, `${root}/src`);
  await Deno.copyFile(`${ROOT}/deno.json`, `${root}/deno.json`);
  for (const [name, text] of Object.entries(files)) {
    const path = `${root}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return root;
}

Deno.test("the build stops on a type error with Deno's diagnostic, naming the file", async () => {
  const root = await project({
    "handlers/bad.ts": 'const x: number = "oops";\nexport const handler = () => x;\n',
    "handlers/good.ts": "export const handler = (e: unknown) => e;\n",
  });
  try {
    await typeCheck(Deno.execPath(), root, [{ name: "good", fileName: "good.ts" }]);
    const message = await typeCheck(Deno.execPath(), root, [
      { name: "good", fileName: "good.ts" },
      { name: "bad", fileName: "bad.ts" },
    ]).then(() => "", (e: Error) => e.message);
    match(message, /TS2322/);
    match(message, /handlers\/bad\.ts:1:7/);
    match(message, /--no-check/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("an asset link that leaves the project is refused, naming it; one inside is followed", async () => {
  const root = await project({ "handlers/public/index.html": "<p>hi</p>", "shared/a.txt": "a" });
  try {
    await Deno.symlink(`${root}/shared`, `${root}/handlers/public/shared`);
    const shipped = await assetFiles(root, [{
      module: "handlers/site.ts",
      path: "handlers/public/",
    }]);
    deepEqual(shipped.map((f) => f.path).sort(), [
      "handlers/public/index.html",
      "handlers/public/shared/a.txt",
    ]);
    await Deno.symlink("/etc", `${root}/handlers/public/etc`);
    await rejects(
      assetFiles(root, [{ module: "handlers/site.ts", path: "handlers/public/" }]),
      /Cannot ship handlers\/public\/etc: it is a symbolic link to \/etc, outside/,
    );
    await Deno.remove(`${root}/handlers/public/etc`);
    await Deno.symlink("/etc/hostname", `${root}/handlers/host`);
    await rejects(
      assetFiles(root, [{ module: "handlers/site.ts", path: "handlers/host" }]),
      /Cannot ship handlers\/host: it is a symbolic link to \/etc\/hostname/,
    );
    await Deno.symlink(`${root}/handlers`, `${root}/handlers/public/loop`);
    await rejects(
      assetFiles(root, [{ module: "handlers/site.ts", path: "handlers/public/" }]),
      /Cannot ship handlers\/public\/loop\/public: a symbolic link leads back/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("two functions that would take one logical id are refused, naming both", () => {
  const template = (files: string[], url?: "buffered") => () =>
    samTemplate({
      functions: files.map((spec) => {
        const [file, exportName] = spec.split(".") as [string, string];
        return { file, exportName, config: url === undefined ? {} : { url } };
      }),
      arch: "arm64",
      codeUri: "arm64/function.zip",
      memorySize: 128,
      timeout: 3,
    });
  throws(
    template(["zz.handler", "Zz.handlerUrlPublicInvoke"], "buffered"),
    /Zz\.handlerUrlPublicInvoke and zz\.handler would both name ZzHandlerUrlPublicInvoke/,
  );
  throws(
    template(["a_b.handler", "aB.handler"]),
    /aB\.handler and a_b\.handler would both name ABHandler/,
  );
  throws(template(["echo.handlerRole", "echo.handler"]), /would both name EchoHandlerRole/);
  doesNotThrow(template(["zz.handler", "zz.other"], "buffered"));
});

Deno.test("policies are managed policy names or ARNs, templates or documents", () => {
  for (const bad of ["a\nb", "*", "", "arn:aws:iam::aws:policy/*", "Admin Access"]) {
    throws(
      () => checkPolicies("f.handler", [bad]),
      (e: Error) =>
        e.message.startsWith("Cannot deploy f.handler: policies[0] ") &&
        e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
  const good = [
    "AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws-cn:iam::123456789012:policy/team/my-policy",
    { S3ReadPolicy: { BucketName: "b" } },
    { Statement: [] },
  ];
  equal(checkPolicies("f.handler", good).length, good.length);
});
