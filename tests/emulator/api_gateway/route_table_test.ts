import { deepEqual, equal } from "node:assert/strict";
import { RouteTable } from "../../../src/emulator/api_gateway/route_table.ts";
import { route } from "./_support.ts";

Deno.test("an HTTP API takes the most specific route, then ANY, then $default, as AWS documents", () => {
  // The example of "Routing API requests" in API Gateway's developer guide.
  const table = new RouteTable("http", [
    { function: "one", route: route("http", "GET", "/pets/dog/1") },
    { function: "id", route: route("http", "GET", "/pets/dog/{id}") },
    { function: "pets", route: route("http", "GET", "/pets/{proxy+}") },
    { function: "any", route: route("http", "ANY", "/{proxy+}") },
    { function: "default", route: route("http", "ANY", "$default") },
  ]);
  equal(table.match("GET", "/pets/dog/1")?.function, "one");
  deepEqual(table.match("GET", "/pets/dog/2")?.pathParameters, { id: "2" });
  deepEqual(table.match("GET", "/pets/cat/1")?.pathParameters, { proxy: "cat/1" });
  equal(table.match("POST", "/test/5")?.routeKey, "ANY /{proxy+}");
  const fallback = table.match("GET", "/");
  equal(fallback?.routeKey, "$default");
  equal(fallback?.pathParameters, undefined);
});

Deno.test("on one path, a route's own method wins over ANY, whatever their order", () => {
  for (const api of ["http", "rest"] as const) {
    const table = new RouteTable(api, [
      { function: "any", route: route(api, "ANY", "/items") },
      { function: "get", route: route(api, "GET", "/items") },
    ]);
    equal(table.match("GET", "/items")?.function, "get", api);
    equal(table.match("DELETE", "/items")?.function, "any", api);
  }
});

Deno.test("an HTTP API without a fitting route or $default finds nothing", () => {
  const table = new RouteTable("http", [
    { function: "get", route: route("http", "GET", "/users/{id}") },
  ]);
  equal(table.match("POST", "/users/1"), undefined);
  equal(table.match("GET", "/users"), undefined);
  equal(table.match("GET", "/users/1/posts"), undefined);
  // A trailing slash is the same path.
  equal(table.match("GET", "/users/1/")?.function, "get");
});

Deno.test("a REST API picks the resource first: a method it lacks is not sent elsewhere", () => {
  const table = new RouteTable("rest", [
    { function: "get", route: route("rest", "GET", "/pets/{id}") },
    { function: "any", route: route("rest", "ANY", "/pets/{id}/toys") },
    { function: "proxy", route: route("rest", "ANY", "/{proxy+}") },
  ]);
  equal(table.match("GET", "/pets/1")?.function, "get");
  equal(table.match("POST", "/pets/1"), undefined);
  equal(table.match("DELETE", "/pets/1/toys")?.function, "any");
  equal(table.match("POST", "/other/thing")?.function, "proxy");
  // A greedy variable needs at least one segment: the root is a resource of its own.
  equal(table.match("GET", "/"), undefined);
});

Deno.test("path variables are decoded, each segment once", () => {
  const table = new RouteTable("rest", [
    { function: "file", route: route("rest", "GET", "/files/{proxy+}") },
    { function: "user", route: route("rest", "GET", "/users/{name}") },
  ]);
  deepEqual(table.match("GET", "/users/Ada%20L")?.pathParameters, { name: "Ada L" });
  deepEqual(table.match("GET", "/files/a%20b/c%252e")?.pathParameters, { proxy: "a b/c%2e" });
  equal(table.match("GET", "/users/%ZZ")?.pathParameters?.name, "%ZZ");
});

Deno.test("routes of the other API are left out", () => {
  const table = new RouteTable("rest", [
    { function: "http", route: route("http", "GET", "/a") },
    { function: "rest", route: route("rest", "GET", "/a") },
  ]);
  deepEqual(table.routes.map((r) => r.function), ["rest"]);
});
