/**
 * The echo function with a shutdown hook, for the benchmark's cold start: a hook added at init
 * makes the runtime register for SIGTERM, a round trip before the first `/next`.
 *
 * @module
 */

import { onShutdown } from "../../../src/process/shutdown.ts";

onShutdown(() => {});

/** Returns the event unchanged. */
export const handler = (event: unknown): unknown => event;
