// The permissions a function ships with: everything by default, as Node.js; narrowed in its
// config, checked at build time, the same for every function of one artifact.
import { deepEqual, equal, throws } from "node:assert/strict";
import { functionsOf } from "../../src/builder/functions/function_config.ts";
import {
  artifactPermissions,
  DEFAULT_PERMISSIONS,
  functionPermissions,
  permissionFlags,
} from "../../src/builder/layouts/permissions.ts";

const handler = () => "ok";

function configured(permissions: unknown) {
  return functionsOf("fn", { handler, config: { handler: { permissions } } });
}

Deno.test("a function without permissions may do everything: --allow-all", () => {
  const [spec] = functionsOf("fn", { handler, config: { handler: {} } });
  deepEqual(functionPermissions(spec?.config.permissions), DEFAULT_PERMISSIONS);
  deepEqual(permissionFlags(DEFAULT_PERMISSIONS), ["--allow-all"]);
});

Deno.test("narrowed permissions grant what they say, deny the rest, and keep the runtime's needs", () => {
  const [spec] = configured({ net: ["s3.eu-west-1.amazonaws.com"], sys: ["uid", "osRelease"] });
  deepEqual(permissionFlags(functionPermissions(spec?.config.permissions)), [
    "--allow-net=s3.eu-west-1.amazonaws.com,127.0.0.1",
    "--allow-env",
    "--allow-sys=uid,osRelease",
    "--allow-read=/var/task",
  ]);
  const [none] = configured({});
  deepEqual(permissionFlags(functionPermissions(none?.config.permissions)), [
    "--allow-net=127.0.0.1",
    "--allow-env",
    "--allow-read=/var/task",
  ]);
  const [wide] = configured({ read: true, net: true, run: ["convert"], ffi: false });
  deepEqual(permissionFlags(functionPermissions(wide?.config.permissions)), [
    "--allow-net",
    "--allow-env",
    "--allow-run=convert",
    "--allow-read",
  ]);
});

Deno.test("malformed permissions stop the build, naming the function and the kind", () => {
  const cases: [unknown, RegExp][] = [
    [["net"], /fn\.handler: permissions must be an object/],
    [{ env: ["AWS_REGION"] }, /env is always granted: the runtime reads Lambda's variables/],
    [{ network: true }, /unknown kind "network" \(known: read, write, net, sys, run, ffi\)/],
    [{ net: "example.com" }, /net must be true, false or a list of strings/],
    [{ read: ["/a,b"] }, /read has "\/a,b": empty, or with a comma/],
    [{ write: [""] }, /write has "": empty/],
    [{ sys: ["geteuid"] }, /sys has "geteuid", which Deno does not know \(known: hostname,/],
  ];
  for (const [permissions, message] of cases) {
    throws(() => configured(permissions), message, JSON.stringify(permissions));
  }
});

Deno.test("the functions of one artifact must declare the same permissions", () => {
  const narrow = { net: ["example.com"] };
  equal(
    artifactPermissions("api", [
      { name: "api.list", permissions: narrow },
      { name: "api.get", permissions: { net: ["example.com"] } },
    ]).net.toString(),
    "example.com,127.0.0.1",
  );
  throws(
    () =>
      artifactPermissions("api", [
        { name: "api.list", permissions: narrow },
        { name: "api.admin" },
      ]),
    /Cannot build api: api\.list and api\.admin declare different permissions/,
  );
});
