/**
 * Canonical JSON: the one byte-exact encoding that change ids and convergence
 * checks hash. Two values that are equal as JSON data encode to the same
 * string whatever order their keys were inserted in.
 *
 * Invariants:
 * - object keys are sorted by UTF-16 code unit (plain `<`, the same order on
 *   every replica and in SQLite's BINARY collation);
 * - no whitespace; strings and numbers use JSON.stringify's escaping, which
 *   is fully specified by ECMA-262 and therefore identical everywhere;
 * - `undefined`, functions, symbols, bigints and non-finite numbers are
 *   rejected (throw `CanonicalJsonError`) rather than silently dropped, so a
 *   value never hashes to the same id as a different value;
 * - only plain arrays and plain objects are walked (no toJSON surprises).
 */
export class CanonicalJsonError extends Error {
  override readonly name = "CanonicalJsonError";
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, "$");
  return out.join("");
}

function write(value: unknown, out: string[], path: string): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number at ${path}`);
      // -0 and 0 are the same JSON number; JSON.stringify already prints "0".
      out.push(JSON.stringify(value));
      return;
    case "object":
      if (value === null) {
        out.push("null");
        return;
      }
      if (Array.isArray(value)) {
        out.push("[");
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(",");
          write(value[i], out, `${path}[${i}]`);
        }
        out.push("]");
        return;
      }
      writeObject(value, out, path);
      return;
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value} at ${path}`);
  }
}

function writeObject(value: object, out: string[], path: string): void {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`only plain objects are encoded (at ${path})`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push("{");
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) throw new CanonicalJsonError(`undefined value at ${path}.${key}`);
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    write(v, out, `${path}.${key}`);
  }
  out.push("}");
}
