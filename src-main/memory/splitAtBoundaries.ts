/**
 * Turning boundary indices into segments.
 *
 * Boundaries are 1-based "cut after message b" (the everos convention).
 * Anything that is not an integer in 1..n is DROPPED, never clamped: a model
 * answering "cut after 999" over 3 messages has misunderstood the input, and
 * clamping would silently consume messages it never looked at.
 *
 * Invariant: concat(segments) ++ tail === messages (same order, nothing
 * dropped, nothing duplicated).
 */
export function normalizeBoundaries(raw: readonly unknown[], count: number): number[] {
  const kept = new Set<number>();
  for (const b of raw) {
    if (typeof b === "number" && Number.isInteger(b) && b >= 1 && b <= count) kept.add(b);
  }
  return [...kept].sort((a, b) => a - b);
}

export interface Split<T> {
  segments: T[][];
  tail: T[];
}

export function splitAtBoundaries<T>(items: readonly T[], rawBoundaries: readonly unknown[]): Split<T> {
  const boundaries = normalizeBoundaries(rawBoundaries, items.length);
  const segments: T[][] = [];
  let start = 0;
  for (const b of boundaries) {
    segments.push(items.slice(start, b));
    start = b;
  }
  return { segments, tail: items.slice(start) };
}
