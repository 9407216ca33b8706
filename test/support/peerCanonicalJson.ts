/**
 * Canonical JSON as docs/PROTOCOL.md §Changes describes it, written from the
 * doc (not imported from the node) so the protocol peer checks the doc:
 * object keys sorted by UTF-16 code unit, no whitespace, strings and numbers
 * as `JSON.stringify` prints them; only finite numbers, no `undefined`.
 */
export function peerCanonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("canonical JSON has finite numbers only");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(peerCanonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${peerCanonicalJson(v)}`).join(",")}}`;
  }
  throw new Error(`canonical JSON cannot encode a ${typeof value}`);
}
