// The emulator serving the routes its functions' configs declare, end to end: configs read in a
// child process, real runtimes behind each API's own port, an authorizer function in front.
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { readFunctionSettings } from "../../../src/emulator/front/function_configs.ts";
import { scratchDir } from "../../_scratch.ts";
import { startEmulator } from "../_support.ts";

const USERS = `export function handler(event) {
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) };
}
export const config = {
  handler: {
    events: {
      Get: { type: "HttpApi", method: "GET", path: "/users/{id}" },
      Item: { type: "Api", method: "GET", path: "/items/{id}", authorizer: { function: "auth.token" } },
    },
  },
};
`;

const AUTH = `export function token(event) {
  return {
    principalId: "ada",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{
        Action: "execute-api:Invoke",
        Effect: event.authorizationToken === "allow" ? "Allow" : "Deny",
        Resource: event.methodArn,
      }],
    },
    context: { plan: "pro" },
  };
}
export const config = { token: {} };
`;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir("lambdeno-routes-");
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}

Deno.test("the emulator serves the configs' routes on each API's port, authorizer and all", async () => {
  const dir = await project({ "users.ts": USERS, "auth.ts": AUTH });
  const settings = await readFunctionSettings(dir);
  const { emulator, log } = await startEmulator({ handlersDir: dir, settings });
  await using _ = emulator;
  const http = emulator.apis.get("http")!;
  const rest = emulator.apis.get("rest")!;
  deepEqual(http.routes.map((r) => `${r.route.method} ${r.route.path} ${r.function}`), [
    "GET /users/{id} users",
  ]);
  match(rest.url, /^http:\/\/127\.0\.0\.1:\d+\/Prod\/$/);

  const user = await (await fetch(`${http.url}users/42`)).json();
  equal(user.routeKey, "GET /users/{id}");
  deepEqual(user.pathParameters, { id: "42" });
  // The Function URL front is where it was.
  equal((await fetch(`${emulator.url}users/`)).status, 200);

  const denied = await fetch(`${rest.url}items/1`, { headers: { authorization: "deny" } });
  equal(denied.status, 403);
  await denied.body?.cancel();
  const item = await (await fetch(`${rest.url}items/1`, { headers: { authorization: "allow" } }))
    .json();
  equal(item.resource, "/items/{id}");
  equal(item.requestContext.authorizer.plan, "pro");
  equal(item.requestContext.authorizer.principalId, "ada");
  // Both functions ran in their own runtimes, as invocations the log shows.
  await log.waitFor(/^\[auth\.token\] REPORT/);
  await log.waitFor(/^\[users\] REPORT/);
});

Deno.test("routes added while the emulator runs are served once their config is read again", async () => {
  const dir = await project({ "auth.ts": AUTH });
  const { emulator } = await startEmulator({
    handlersDir: dir,
    settings: await readFunctionSettings(dir),
  });
  await using _ = emulator;
  equal(emulator.apis.size, 0);
  await Deno.writeTextFile(`${dir}/users.ts`, USERS);
  await emulator.restart(await readFunctionSettings(dir));
  const http = emulator.apis.get("http")!;
  equal((await (await fetch(`${http.url}users/7`)).json()).pathParameters.id, "7");
});

Deno.test("two functions on one route stop the emulator's config reading, as they stop the build", async () => {
  const dir = await project({
    "a.ts": USERS,
    "b.ts": USERS.replace("Item:", "Other:").replace("/items/", "/others/"),
  });
  await rejects(
    readFunctionSettings(dir),
    /Cannot route HTTP API GET \/users\/\{id\}: both a\.handler and b\.handler declare it/,
  );
});

Deno.test("an API port in use is named, with the flag that moves it", async () => {
  const dir = await project({ "users.ts": USERS, "auth.ts": AUTH });
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  await rejects(
    startEmulator({
      handlersDir: dir,
      settings: await readFunctionSettings(dir),
      httpApiPort: taken.addr.port,
    }),
    (error: Error) =>
      error instanceof Deno.errors.AddrInUse &&
      error.message ===
        `Cannot serve the HTTP API: 127.0.0.1:${taken.addr.port} is in use; pick another port ` +
          "with --http-api-port",
  );
});
