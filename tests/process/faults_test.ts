import { equal } from "node:assert/strict";
import { type FaultTarget, installFaultHandlers } from "../../src/process/faults.ts";

Deno.test("installFaultHandlers() reads a getter-defined timer global only when a timer is set", () => {
  let reads = 0;
  const delays: (number | undefined)[] = [];
  const fake = ((_callback: () => void, delay?: number) => {
    delays.push(delay);
    return 0;
  }) as unknown as typeof setTimeout;
  const target = {
    addEventListener() {},
    setInterval: fake as unknown as typeof setInterval,
  } as unknown as FaultTarget;
  // Like Deno's own: a getter that loads the timers when first read, and a setter.
  let current: typeof setTimeout | undefined;
  Object.defineProperty(target, "setTimeout", {
    get: () => current ?? (reads++, fake),
    set: (value) => current = value,
    configurable: true,
  });
  installFaultHandlers({ current: () => undefined, log: () => {} }, target);
  equal(reads, 0);
  target.setTimeout(() => {}, 5);
  target.setTimeout(() => {}, 6);
  equal(reads, 1);
  equal(delays.join(), "5,6");
});
