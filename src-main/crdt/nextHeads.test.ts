import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextHeads } from "./nextHeads";

const hexId = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex"));

describe("nextHeads", () => {
  it("is the sorted heads without the change's deps, plus the change (as a filter and a sort would give)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexId, { maxLength: 20 }), fc.array(hexId, { maxLength: 4 }), hexId, fc.array(fc.nat(), { maxLength: 6 }), (raw, extra, id, picks) => {
        const heads = raw.filter((h) => h !== id).sort();
        const deps = [...picks.map((p) => heads[p % Math.max(1, heads.length)]).filter((d): d is string => d !== undefined), ...extra];
        expect(nextHeads(heads, deps, id)).toEqual([...heads.filter((h) => !deps.includes(h)), id].sort());
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });

  it("places the change first, last and in between", () => {
    expect(nextHeads(["b", "d"], [], "a")).toEqual(["a", "b", "d"]);
    expect(nextHeads(["b", "d"], [], "e")).toEqual(["b", "d", "e"]);
    expect(nextHeads(["b", "d"], ["b"], "c")).toEqual(["c", "d"]);
    expect(nextHeads([], [], "c")).toEqual(["c"]);
  });
});
