/**
 * Fractional indexing: string keys that sort lexicographically (plain
 * code-unit order, so every replica and SQLite agree) and between any two of
 * which another key can always be made. Digits are base 62 in ASCII order
 * (0-9 < A-Z < a-z). Keys never end in the lowest digit "0", which is what
 * guarantees room below every key.
 *
 * Two replicas may mint the same key concurrently; the board then orders
 * equal ranks by story id, so the order is still total and identical.
 */
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE = DIGITS.length;

function digitValue(ch: string): number {
  const v = DIGITS.indexOf(ch);
  if (v < 0) throw new RangeError(`invalid rank digit ${JSON.stringify(ch)}`);
  return v;
}

/** A key strictly between `a` ("" = lowest) and `b` (null = highest); requires a < b. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? "0") === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a.length > 0 ? digitValue(a[0]!) : 0;
  const db = b !== null ? digitValue(b[0]!) : BASE;
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)]!;
  // Adjacent first digits: b's first digit alone is above a and below b
  // whenever b continues past it; otherwise keep a's digit and go deeper.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da]! + midpoint(a.slice(1), null);
}

/** True when `key` is a well-formed rank (non-empty, base-62, no trailing "0"). */
export function isRank(key: string): boolean {
  return /^[0-9A-Za-z]*[1-9A-Za-z]$/.test(key) && key.length <= 256;
}

/**
 * A rank that sorts after `before` and before `after` (either may be null for
 * "no neighbour"). When the neighbours are equal or out of order (concurrent
 * inserts minted the same key) the result lands just after `before`.
 */
export function rankBetween(before: string | null, after: string | null): string {
  const a = before ?? "";
  if (after !== null && a >= after) return a + midpoint("", null);
  return midpoint(a, after);
}
