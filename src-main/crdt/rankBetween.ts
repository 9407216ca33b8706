/**
 * Fractional indexing: string keys that sort lexicographically (plain
 * code-unit order, so every replica and SQLite agree) and between any two of
 * which another key can always be made.
 *
 * A key is an integer part followed by a fraction. The integer's first
 * character says how long it is ("a".."z" → 2..27 characters, "A".."Z" →
 * 27..2 characters, for the negative side), the rest are base-62 digits in
 * ASCII order (0-9 < A-Z < a-z). Appending to or prepending before a column
 * increments or decrements the integer, so keys grow logarithmically with
 * the number of appends, not linearly; only repeated inserts between the same
 * two neighbours lengthen the fraction. A fraction never ends in "0", which
 * guarantees room below every key.
 *
 * Two replicas may mint the same key concurrently; the board then orders
 * equal ranks by story id, so the order is still total and identical.
 */
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE = DIGITS.length;
const ZERO = DIGITS[0]!;
const TOP = DIGITS[BASE - 1]!;
const SMALLEST_INTEGER = "A" + ZERO.repeat(26);
/** Generous: appends alone need ~6 characters for millions of stories. */
export const MAX_RANK_LENGTH = 1024;

function digitValue(ch: string): number {
  const v = DIGITS.indexOf(ch);
  if (v < 0) throw new RangeError(`invalid rank digit ${JSON.stringify(ch)}`);
  return v;
}

function integerLength(head: string): number {
  if (head >= "a" && head <= "z") return head.charCodeAt(0) - 97 + 2;
  if (head >= "A" && head <= "Z") return 90 - head.charCodeAt(0) + 2;
  throw new RangeError(`invalid rank head ${JSON.stringify(head)}`);
}

function integerPart(key: string): string {
  const n = integerLength(key[0] ?? "");
  if (n > key.length) throw new RangeError(`rank ${JSON.stringify(key)} is shorter than its integer part`);
  return key.slice(0, n);
}

/** The next integer, or null past the largest ("z" + 26 top digits). */
function increment(int: string): string | null {
  const head = int[0]!;
  const digits = int.slice(1).split("");
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digitValue(digits[i]!) + 1;
    if (d < BASE) {
      digits[i] = DIGITS[d]!;
      return head + digits.join("");
    }
    digits[i] = ZERO;
  }
  if (head === "Z") return "a" + ZERO;
  if (head === "z") return null;
  const next = String.fromCharCode(head.charCodeAt(0) + 1);
  if (next > "a") digits.push(ZERO);
  else digits.pop();
  return next + digits.join("");
}

/** The previous integer, or null below the smallest. */
function decrement(int: string): string | null {
  const head = int[0]!;
  const digits = int.slice(1).split("");
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digitValue(digits[i]!) - 1;
    if (d >= 0) {
      digits[i] = DIGITS[d]!;
      return head + digits.join("");
    }
    digits[i] = TOP;
  }
  if (head === "a") return "Z" + TOP;
  if (head === "A") return null;
  const prev = String.fromCharCode(head.charCodeAt(0) - 1);
  if (prev < "Z") digits.push(TOP);
  else digits.pop();
  return prev + digits.join("");
}

/** A fraction strictly between `a` ("" = lowest) and `b` (null = highest); requires a < b. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n++;
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

/** True when `key` is a well-formed rank. */
export function isRank(key: string): boolean {
  if (key.length === 0 || key.length > MAX_RANK_LENGTH || !/^[0-9A-Za-z]+$/.test(key)) return false;
  if (!/^[A-Za-z]/.test(key)) return false;
  const n = integerLength(key[0]!);
  if (n > key.length || key.slice(0, n) === SMALLEST_INTEGER) return false;
  return !key.slice(n).endsWith(ZERO);
}

function keyBetween(a: string | null, b: string | null): string {
  if (a === null && b === null) return "a" + ZERO;
  if (a === null) {
    const ib = integerPart(b!);
    const fb = b!.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint("", fb);
    if (ib < b!) return ib;
    const prev = decrement(ib);
    if (prev === null) throw new RangeError("no rank below the smallest");
    return prev;
  }
  const ia = integerPart(a);
  const fa = a.slice(ia.length);
  if (b === null) return increment(ia) ?? ia + midpoint(fa, null);
  const ib = integerPart(b);
  if (ia === ib) return ia + midpoint(fa, b.slice(ib.length));
  const next = increment(ia);
  if (next !== null && next < b) return next;
  return ia + midpoint(fa, null);
}

/**
 * A rank that sorts after `before` and before `after` (either may be null for
 * "no neighbour"). When the neighbours are equal or out of order (concurrent
 * inserts minted the same key) the result lands just after `before`.
 */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) {
    const ia = integerPart(before);
    return ia + midpoint(before.slice(ia.length), null);
  }
  return keyBetween(before, after);
}
