/** Tests for when the runtime registers for SIGTERM, and what it warns about when it does not. */

import { deepEqual, equal, match } from "node:assert/strict";
import type { ExtensionMode } from "../../src/process/config.ts";
import { ShutdownHooks, SigtermListeners } from "../../src/process/shutdown.ts";
import { SigtermPolicy } from "../../src/process/sigterm_policy.ts";

function policy(mode: ExtensionMode, register: () => Promise<unknown> = () => Promise.resolve()) {
  const calls: string[] = [];
  const warnings: string[] = [];
  const hooks = new ShutdownHooks();
  const listeners = new SigtermListeners();
  const sigterm = new SigtermPolicy({
    mode,
    register: () => (calls.push("register"), register()),
    hooks,
    listeners,
    log: (_level, message) => warnings.push(String(message)),
  });
  return { sigterm, calls, warnings, hooks };
}

Deno.test("SigtermPolicy with on registers before the handler loads, hooks or not", async () => {
  const p = policy("on");
  p.sigterm.beforeLoad();
  deepEqual(p.calls, ["register"]);
  await p.sigterm.afterLoad();
  deepEqual(p.calls, ["register"]);
  deepEqual(p.warnings, []);
});

Deno.test("SigtermPolicy with auto registers only after a module that added a hook", async () => {
  const none = policy("auto");
  none.sigterm.beforeLoad();
  await none.sigterm.afterLoad();
  deepEqual(none.calls, []);
  const hooked = policy("auto");
  hooked.sigterm.beforeLoad();
  hooked.hooks.add(() => {});
  await hooked.sigterm.afterLoad();
  deepEqual(hooked.calls, ["register"]);
});

Deno.test("SigtermPolicy with off never registers and warns about hooks added at init", async () => {
  const p = policy("off");
  p.sigterm.beforeLoad();
  p.hooks.add(() => {});
  await p.sigterm.afterLoad();
  deepEqual(p.calls, []);
  equal(p.warnings.length, 1);
  match(p.warnings[0]!, /LAMBDENO_EXTENSION=off: the 1 shutdown hook/);
});

Deno.test("SigtermPolicy warns when registration fails, and once for a hook added later", async () => {
  const p = policy("on", () => Promise.reject(new Error("refused")));
  p.sigterm.beforeLoad();
  await p.sigterm.afterLoad();
  match(p.warnings[0]!, /Error: refused; SIGTERM will not be sent at shutdown/);
  p.hooks.add(() => {});
  p.hooks.add(() => {});
  equal(p.warnings.length, 2);
  match(p.warnings[1]!, /added after init/);
});
