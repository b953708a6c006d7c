/**
 * Escaping text for HTML, for the example pages rendered per request.
 *
 * @module
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for use in HTML element content and in quoted attribute values.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { escapeHtml } from "./html.ts";
 *
 * equal(escapeHtml(`<a href="x">Tom & Jerry's</a>`), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
 * ```
 *
 * @param text Any text.
 * @returns The text with `& < > " '` replaced by character references.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}
