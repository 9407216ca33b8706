import { describe, expect, it } from "vitest";
import { InMemoryHideMarks } from "./InMemoryHideMarks";
import { VisibilityClock } from "./VisibilityClock";
import { isHidden, type VisibilityStamp } from "./VisibilityStamp";

const at = (wallMs: number, counter = 0, nodeId = "a"): VisibilityStamp => ({ wallMs, counter, nodeId });

describe("hide wins unless the unhide is strictly later", () => {
  it("applies the rule", () => {
    expect(isHidden({})).toBe(false);
    expect(isHidden({ unhide: at(5) })).toBe(false);
    expect(isHidden({ hide: at(5) })).toBe(true);
    expect(isHidden({ hide: at(5), unhide: at(5) })).toBe(true);
    expect(isHidden({ hide: at(5), unhide: at(6) })).toBe(false);
    expect(isHidden({ hide: at(6), unhide: at(5) })).toBe(true);
    expect(isHidden({ hide: at(5, 1), unhide: at(5, 2) })).toBe(false);
    expect(isHidden({ hide: at(5, 0, "b"), unhide: at(5, 0, "a") })).toBe(true);
  });

  it("converges whatever order marks arrive in", () => {
    const marks = [
      ["hide", at(1)],
      ["unhide", at(3)],
      ["hide", at(2, 0, "b")],
      ["unhide", at(2)],
    ] as const;
    const outcomes = new Set<string>();
    for (const order of [marks, [...marks].reverse(), [marks[2], marks[0], marks[3], marks[1]]]) {
      const store = new InMemoryHideMarks();
      for (const [direction, stamp] of order) store.record("c", direction, stamp);
      outcomes.add(JSON.stringify([store.get("c"), isHidden(store.get("c"))]));
    }
    expect(outcomes.size).toBe(1);
  });

  it("stamps strictly increase on one node even when the wall clock stalls or steps back", () => {
    const times = [100, 100, 99, 101];
    const clock = new VisibilityClock("n", () => times.shift() ?? 0);
    const stamps = [clock.stamp(), clock.stamp(), clock.stamp(), clock.stamp()];
    expect(stamps.map((s) => [s.wallMs, s.counter])).toEqual([
      [100, 0],
      [100, 1],
      [100, 2],
      [101, 0],
    ]);
  });
});
