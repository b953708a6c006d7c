/**
 * The logical ids a template's functions take, with those SAM derives from them (`<id>Role`,
 * `<id>Url`, one per event), so that two functions never share one: CloudFormation would
 * silently keep one resource, or SAM would fail at deploy time, far from the cause.
 *
 * @module
 */

/** Every logical id taken so far, with what took it. */
export class LogicalIds {
  readonly #owners = new Map<string, string>();

  /**
   * Takes names for `owner`.
   *
   * @example A URL permission taking another function's name
   * ```ts
   * import { throws } from "node:assert/strict";
   * import { LogicalIds } from "./logical_ids.ts";
   *
   * const ids = new LogicalIds();
   * ids.claim("zz.handler", ["ZzHandler", "ZzHandlerUrlPublicInvoke"]);
   * throws(
   *   () => ids.claim("Zz.handlerUrlPublicInvoke", ["ZzHandlerUrlPublicInvoke"]),
   *   /Zz\.handlerUrlPublicInvoke and zz\.handler would both name ZzHandlerUrlPublicInvoke/,
   * );
   * ```
   *
   * @param owner What takes them, for messages: `file.export`, or a resource's name.
   * @param names The logical ids.
   * @throws {TypeError} "Cannot write the template: … would both name …" if one is taken.
   */
  claim(owner: string, names: readonly string[]): void {
    for (const name of names) {
      const other = this.#owners.get(name);
      if (other !== undefined && other !== owner) {
        throw new TypeError(
          `Cannot write the template: ${owner} and ${other} would both name ${name} (a ` +
            "template's logical ids are letters and digits only; rename an export or a module)",
        );
      }
      this.#owners.set(name, owner);
    }
  }
}
