import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortInSlices } from "./sortInSlices";
import { TimeSlicer } from "./TimeSlicer";

type Item = { k: number; tag: number };
const byK = (a: Item, b: Item): number => a.k - b.k;

describe("sortInSlices", () => {
  it("equals a stable Array.prototype.sort, across many runs and with ties", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 0, maxLength: 20_000 }), async (keys) => {
        const items = keys.map((k, tag) => ({ k, tag }));
        const sorted = await sortInSlices(items, byK, new TimeSlicer(0));
        expect(sorted).toEqual([...items].sort(byK));
      }),
      { numRuns: 25 },
    );
  });

  it("yields to the event loop between slices and stops when aborted", async () => {
    const items = Array.from({ length: 30_000 }, (_, i) => ({ k: (i * 7919) % 1000, tag: i }));
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    await sortInSlices(items, byK, new TimeSlicer(0));
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);
    const abort = new AbortController();
    abort.abort();
    await expect(sortInSlices(items, byK, new TimeSlicer(0, abort.signal))).rejects.toThrow(/abort/i);
  });
});
