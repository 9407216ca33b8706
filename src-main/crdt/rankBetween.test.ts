import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRank, rankBetween } from "./rankBetween";

describe("rankBetween", () => {
  it("makes a first key and keys at both ends", () => {
    const first = rankBetween(null, null);
    expect(isRank(first)).toBe(true);
    expect(rankBetween(first, null) > first).toBe(true);
    expect(rankBetween(null, first) < first).toBe(true);
  });

  it("always finds a key strictly between two keys it made", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (picks) => {
        const keys: string[] = [];
        for (const p of picks) {
          const i = p % (keys.length + 1);
          const k = rankBetween(keys[i - 1] ?? null, keys[i] ?? null);
          expect(isRank(k)).toBe(true);
          if (i > 0) expect(k > keys[i - 1]!).toBe(true);
          if (i < keys.length) expect(k < keys[i]!).toBe(true);
          keys.splice(i, 0, k);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("keeps keys short under 100,000 appends and 100,000 prepends", () => {
    let last = rankBetween(null, null);
    let first = last;
    for (let i = 0; i < 100_000; i++) {
      const next = rankBetween(last, null);
      expect(next > last).toBe(true);
      last = next;
      const prev = rankBetween(null, first);
      expect(prev < first).toBe(true);
      first = prev;
    }
    expect(last.length).toBeLessThanOrEqual(5);
    expect(first.length).toBeLessThanOrEqual(5);
    expect(isRank(last) && isRank(first)).toBe(true);
  });

  it("lands after `before` when neighbours collide", () => {
    const k = rankBetween(null, null);
    const after = rankBetween(k, k);
    expect(after > k).toBe(true);
    expect(isRank(after)).toBe(true);
  });

  it("rejects malformed ranks", () => {
    for (const bad of ["", "0", "a", "a00", "a0-", "b0", "A" + "0".repeat(26), "z".repeat(2000)]) {
      expect(isRank(bad)).toBe(false);
    }
  });
});
