import { equal, match, rejects, throws } from "node:assert/strict";
import { RuntimeError } from "../../src/runtime/errors.ts";
import { loadHandler, parseHandlerName } from "../../src/runtime/handler_loader.ts";
import { handlersDir as writeHandlers } from "./_bootstrap_support.ts";

/** Writes handler modules into a fresh directory and returns it as a URL. */
async function handlersDir(files: Record<string, string>): Promise<URL> {
  return new URL(`file://${await writeHandlers(files)}/`);
}

function runtimeError(type: string, pattern: RegExp) {
  return (error: unknown) => {
    if (!(error instanceof RuntimeError)) throw error;
    equal(error.errorType, type);
    match(error.message, pattern);
    return true;
  };
}

Deno.test("parseHandlerName() reads file.export, and file alone as its handler", () => {
  equal(parseHandlerName("echo.stream").exportName, "stream");
  equal(parseHandlerName("api/orders.create").file, "api/orders");
  equal(parseHandlerName("hello").exportName, "handler");
});

Deno.test("parseHandlerName() rejects an unset or malformed _HANDLER", () => {
  throws(
    () => parseHandlerName(undefined),
    runtimeError("Runtime.MalformedHandlerName", /_HANDLER is not set/),
  );
  throws(
    () => parseHandlerName("../etc/passwd.x"),
    runtimeError("Runtime.MalformedHandlerName", /"\.\.\/etc\/passwd\.x" is not of the form/),
  );
  throws(() => parseHandlerName("echo.1bad"), runtimeError("Runtime.MalformedHandlerName", /1bad/));
});

Deno.test("loadHandler() loads the named export of the named module", async () => {
  const dir = await handlersDir({
    "greet.ts": "export const hi = (e: { name: string }) => `hi ${e.name}`;",
    "nested/deep.js": "export function handler() { return 'deep'; }",
  });
  const hi = await loadHandler("greet.hi", dir);
  equal(await hi({ name: "ada" }, undefined as never), "hi ada");
  const deep = await loadHandler("nested/deep", dir);
  equal(await deep({}, undefined as never), "deep");
});

Deno.test("loadHandler() names the file it could not find", async () => {
  const dir = await handlersDir({});
  await rejects(
    loadHandler("missing.handler", dir),
    runtimeError("Runtime.ImportModuleError", /Cannot find module handlers\/missing \(looked for/),
  );
});

Deno.test("loadHandler() names a missing export and lists the ones there are", async () => {
  const dir = await handlersDir({
    "orders.ts": "export function create() {}\nexport const n = 1;",
  });
  await rejects(
    loadHandler("orders.remove", dir),
    runtimeError(
      "Runtime.HandlerNotFound",
      /handlers\/orders\.ts does not export "remove" \(its function exports: create\)/,
    ),
  );
});

Deno.test("loadHandler() rejects an export that is not a function", async () => {
  const dir = await handlersDir({ "config.ts": "export const handler = { a: 1 };" });
  await rejects(
    loadHandler("config", dir),
    runtimeError("Runtime.HandlerNotFound", /exports "handler" as a object, not a function/),
  );
});

Deno.test("loadHandler() reports a module that throws while loading, with the original error", async () => {
  const dir = await handlersDir({
    "boom.ts": "throw new TypeError('DATABASE_URL is not set');\nexport const handler = () => 1;",
  });
  await rejects(
    loadHandler("boom.handler", dir),
    runtimeError(
      "Runtime.ImportModuleError",
      /Cannot load module handlers\/boom\.ts: TypeError: DATABASE_URL is not set/,
    ),
  );
});

Deno.test("loadHandler() reports a syntax error as Runtime.UserCodeSyntaxError", async () => {
  const dir = await handlersDir({ "broken.js": "export const handler = () => {;\n" });
  await rejects(
    loadHandler("broken.handler", dir),
    runtimeError("Runtime.UserCodeSyntaxError", /Cannot load module handlers\/broken\.js/),
  );
});

Deno.test("loadHandler() reports a TypeScript syntax error as Runtime.UserCodeSyntaxError", async () => {
  const dir = await handlersDir({ "broken.ts": "export const handler = (): number => {;\n" });
  await rejects(
    loadHandler("broken.handler", dir),
    runtimeError(
      "Runtime.UserCodeSyntaxError",
      /^Cannot load module handlers\/broken\.ts: SyntaxError: Expected/,
    ),
  );
});

Deno.test("loadHandler() takes a bundled module before the directory, and names its file", async () => {
  const dir = new URL("file:///nonexistent/handlers/");
  let loads = 0;
  const bundled = {
    echo: {
      fileName: "echo.ts",
      load: () => {
        loads++;
        return Promise.resolve({ handler: (event: unknown) => event, count: 1 });
      },
    },
    boom: {
      fileName: "boom.ts",
      load: () => Promise.reject(new Error("kaboom at init")),
    },
  };
  const fn = await loadHandler("echo.handler", dir, bundled);
  equal(fn("x", undefined as never), "x");
  equal(loads, 1);
  await rejects(
    loadHandler("echo.count", dir, bundled),
    runtimeError("Runtime.HandlerNotFound", /handlers\/echo\.ts exports "count" as a number/),
  );
  await rejects(
    loadHandler("boom.handler", dir, bundled),
    runtimeError("Runtime.ImportModuleError", /handlers\/boom\.ts: Error: kaboom at init/),
  );
  // A module not in the bundle is still looked for in the directory.
  await rejects(
    loadHandler("other.handler", dir, bundled),
    runtimeError("Runtime.ImportModuleError", /Cannot find module handlers\/other/),
  );
});

Deno.test("loadHandler() loads CommonJS as Lambda's Node.js runtime does: .js before .cjs", async () => {
  const dir = await handlersDir({
    "legacy.cjs": "exports.handler = () => 'cjs';",
    "plain.js": "module.exports.handler = () => 'commonjs .js';",
    "both.js": "exports.handler = () => 'js';",
    "both.cjs": "exports.handler = () => 'cjs';",
    // No static analysis can see this export; Node's runtime reads module.exports.
    "assigned.cjs": "Object.assign(module.exports, { ['hand' + 'ler']: () => 'assigned' });",
  });
  for (
    const [name, answer] of [
      ["legacy", "cjs"],
      ["plain", "commonjs .js"],
      ["both", "js"],
      ["assigned", "assigned"],
    ]
  ) {
    const fn = await loadHandler(`${name}.handler`, dir);
    equal(fn({}, undefined as never), answer);
  }
});

Deno.test("loadHandler() runs a .js file as an ES module where package.json says type module", async () => {
  const dir = await handlersDir({
    "package.json": '{ "type": "module" }',
    "esm.js": "export const handler = () => 'esm';",
    "cjs.js": "exports.handler = () => 'cjs';",
  });
  equal((await loadHandler("esm.handler", dir))({}, undefined as never), "esm");
  await rejects(
    loadHandler("cjs.handler", dir),
    runtimeError("Runtime.ImportModuleError", /handlers\/cjs\.js: ReferenceError: exports/),
  );
});

Deno.test("loadHandler() tells an ES module .js from CommonJS by its syntax when no package.json says", async () => {
  const dir = await handlersDir({
    "tla.js": "const n = await Promise.resolve(2);\nexport const handler = () => n;",
    "meta.js": "export const handler = () => typeof import.meta.url;",
    "own.js": "import { createRequire } from 'node:module';\n" +
      "const require = createRequire(import.meta.url);\n" +
      "export const handler = () => typeof require('node:os').platform;",
    "returns.js":
      "module.exports.handler = () => 'early';\nreturn;\nmodule.exports.handler = null;",
  });
  equal((await loadHandler("tla.handler", dir))({}, undefined as never), 2);
  equal((await loadHandler("meta.handler", dir))({}, undefined as never), "string");
  equal((await loadHandler("own.handler", dir))({}, undefined as never), "function");
  equal((await loadHandler("returns.handler", dir))({}, undefined as never), "early");
});

Deno.test("loadHandler() requires a .js file where package.json says type commonjs", async () => {
  const dir = await handlersDir({
    "package.json": '{ "type": "commonjs" }',
    "plain.js": "exports.handler = () => this === module.exports;",
  });
  equal((await loadHandler("plain.handler", dir))({}, undefined as never), true);
});
