/**
 * The shape of a JSON value, as the fixture tests compare it with the published sample each
 * fixture stands for: one line per key path, with the type found there (`string`, `number`,
 * `boolean`, `null`, `object`, `array`), containers included, so that an empty object counts.
 *
 * @module
 */

/**
 * The sorted `path: type` lines of `value`.
 *
 * @param value A parsed JSON value.
 * @returns One line per path, `Records[0].s3.object.key: string`.
 */
export function shapeOf(value: unknown): string[] {
  const lines: string[] = [];
  _walk(value, "", lines);
  return lines.sort();
}

function _walk(value: unknown, path: string, lines: string[]): void {
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  lines.push(`${path === "" ? "(root)" : path}: ${type}`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => _walk(item, `${path}[${i}]`, lines));
  } else if (type === "object") {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      _walk(item, path === "" && step.startsWith(".") ? step.slice(1) : `${path}${step}`, lines);
    }
  }
}
