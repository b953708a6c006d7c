import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { RuntimeApiServer } from "../../src/emulator/runtime_api_server/server.ts";
import { registerExtension } from "../../src/process/extension.ts";

Deno.test("registerExtension() registers for no events, and its held poll ends with the server", async () => {
  const server = await RuntimeApiServer.start();
  const warnings: string[] = [];
  const { identifier, polling } = await registerExtension(server.address, {
    log: (_level, message) => warnings.push(String(message)),
  });
  deepEqual(server.extensions, [{ name: "lambdeno", identifier, body: { events: [] } }]);
  await server.close();
  await polling; // settles, never rejects
  equal(warnings.length, 1);
  match(warnings[0]!, /^The extension's event\/next (ended|returned)/);
});

Deno.test("registerExtension() says why a refused registration failed", async () => {
  await using server = await RuntimeApiServer.start();
  server.failNext(403, { route: "extensionRegister" });
  await rejects(registerExtension(server.address), (error: Error) => {
    match(error.message, /^Cannot register the runtime as an extension: 403 /);
    return true;
  });
});
