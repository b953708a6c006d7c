/**
 * The platform lines Lambda writes around each invocation — `INIT_START`, `START`, `END`,
 * `REPORT` — in Lambda's own format (tab-separated fields), and the peak memory of a process
 * as Lambda measures it.
 *
 * @module
 */

/** What one `REPORT` line says. */
export interface ReportFields {
  /** The invocation's request id. */
  readonly requestId: string;
  /** Milliseconds from delivery to the answer. */
  readonly durationMs: number;
  /** The function's configured memory, in MB. */
  readonly memoryMb: number;
  /** The process's peak resident memory, in MB, when known. */
  readonly maxMemoryUsedMb: number | undefined;
  /** Milliseconds from process start to its first `/next`: set on a cold start only. */
  readonly initDurationMs?: number | undefined;
  /** Set when the invocation did not succeed: `timeout` or `error`. */
  readonly status?: "timeout" | "error" | undefined;
  /** The error type, with `status: "error"`. */
  readonly errorType?: string | undefined;
}

/**
 * @param runtimeVersion What to name as the runtime.
 * @returns Lambda's `INIT_START` line.
 */
export function initStartLine(runtimeVersion: string): string {
  return `INIT_START Runtime Version: ${runtimeVersion}`;
}

/**
 * The lines Lambda logs for an invocation whose environment's init failed: `START`,
 * `INIT_REPORT`, `END` and a `REPORT` carrying the init's duration and status.
 *
 * @param requestId The invocation.
 * @param init How long the init ran, and how it ended (`timeout`, else an error).
 * @param errorType The error's type, reported unless the init timed out.
 * @param memoryMb The function's configured memory.
 * @returns The lines, in order.
 */
export function initFailureLines(
  requestId: string,
  init: { readonly kind: string; readonly initDurationMs: number },
  errorType: string,
  memoryMb: number,
): string[] {
  const status = init.kind === "timeout" ? "timeout" : "error";
  const type = status === "error" ? errorType : undefined;
  return [
    startLine(requestId),
    `INIT_REPORT Init Duration: ${init.initDurationMs.toFixed(2)} ms\tPhase: init\t` +
    `Status: ${status}${type === undefined ? "" : `\tError Type: ${type}`}`,
    endLine(requestId),
    reportLine({
      requestId,
      durationMs: 0,
      memoryMb,
      maxMemoryUsedMb: undefined,
      initDurationMs: init.initDurationMs,
      status,
      errorType: type,
    }),
  ];
}

/**
 * Formats the line Lambda logs when an invocation starts.
 *
 * @param requestId The invocation's request id.
 * @param version The function version.
 * @returns Lambda's `START` line.
 */
export function startLine(requestId: string, version = "$LATEST"): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/**
 * Formats the line Lambda logs when an invocation ends.
 *
 * @param requestId The invocation's request id.
 * @returns Lambda's `END` line.
 */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * Formats a `REPORT` line. Billed duration is rounded up to the millisecond and, as for every
 * custom runtime (`provided.al2023`), includes the init duration on a cold start.
 *
 * @example A cold start
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { reportLine } from "./report.ts";
 *
 * equal(
 *   reportLine({
 *     requestId: "r1", durationMs: 12.341, memoryMb: 128, maxMemoryUsedMb: 45,
 *     initDurationMs: 123.449,
 *   }),
 *   "REPORT RequestId: r1\tDuration: 12.34 ms\tBilled Duration: 136 ms\t" +
 *     "Memory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 123.45 ms",
 * );
 * ```
 *
 * @param fields What to report.
 * @returns The line, without a newline.
 */
export function reportLine(fields: ReportFields): string {
  const init = fields.initDurationMs;
  const billed = Math.ceil(fields.durationMs + (init ?? 0));
  const parts = [
    `REPORT RequestId: ${fields.requestId}`,
    `Duration: ${fields.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${fields.memoryMb} MB`,
    `Max Memory Used: ${fields.maxMemoryUsedMb ?? 0} MB`,
  ];
  if (init !== undefined) parts.push(`Init Duration: ${init.toFixed(2)} ms`);
  if (fields.status !== undefined) parts.push(`Status: ${fields.status}`);
  if (fields.errorType !== undefined) parts.push(`Error Type: ${fields.errorType}`);
  return parts.join("\t");
}

/**
 * Reads a process's peak resident memory (`VmHWM` in `/proc/<pid>/status`), as Lambda reports
 * it in `Max Memory Used`.
 *
 * @param pid The process id.
 * @returns Megabytes (rounded up), or `undefined` where `/proc` is unavailable or the process
 * has gone.
 */
export async function maxMemoryUsedMb(pid: number): Promise<number | undefined> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.ceil(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
