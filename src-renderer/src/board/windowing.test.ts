import { describe, expect, it } from "vitest";
import { autoScrollStep } from "./autoScrollStep";
import { slotAt, slotOffset } from "./dropSlot";

describe("autoScrollStep", () => {
  it("is zero in the middle and grows towards either edge", () => {
    expect(autoScrollStep(500, 0, 1000, 50, 20)).toBe(0);
    expect(autoScrollStep(49, 0, 1000, 50, 20)).toBe(-1);
    expect(autoScrollStep(25, 0, 1000, 50, 20)).toBe(-10);
    expect(autoScrollStep(0, 0, 1000, 50, 20)).toBe(-20);
    expect(autoScrollStep(975, 0, 1000, 50, 20)).toBe(10);
    expect(autoScrollStep(1000, 0, 1000, 50, 20)).toBe(20);
  });
  it("caps at the maximum beyond the edge", () => {
    expect(autoScrollStep(-300, 0, 1000, 50, 20)).toBe(-20);
    expect(autoScrollStep(1300, 0, 1000, 50, 20)).toBe(20);
  });
  it("keeps a still middle in a short column", () => {
    expect(autoScrollStep(45, 0, 90, 50, 20)).toBe(0);
    expect(autoScrollStep(5, 0, 90, 50, 20)).toBeLessThan(0);
    expect(autoScrollStep(85, 0, 90, 50, 20)).toBeGreaterThan(0);
    expect(autoScrollStep(0, 0, 0, 50, 20)).toBe(0);
  });
});

describe("slotAt / slotOffset", () => {
  // Rows 50 px tall with a 10 px gap: a at 0, b at 60, c at 120.
  const rows = [
    { start: 0, size: 50 },
    { start: 60, size: 50 },
    { start: 120, size: 50 },
  ];
  const ids = ["a", "b", "c"];
  it("counts the other rows whose midpoint is above the pointer", () => {
    expect(slotAt(rows, ids, null, 10)).toBe(0);
    expect(slotAt(rows, ids, null, 30)).toBe(1);
    expect(slotAt(rows, ids, null, 146)).toBe(3);
    expect(slotAt([], [], null, 500)).toBe(0);
  });
  it("leaves the dragged row out", () => {
    expect(slotAt(rows, ids, "a", 100)).toBe(1);
    expect(slotAt(rows, ids, "b", 100)).toBe(1);
    expect(slotAt(rows, ids, "c", 1000)).toBe(2);
  });
  it("draws the indicator in the gap before the slot's row, or after the last", () => {
    expect(slotOffset(rows, ids, null, 0, 10)).toBe(0);
    expect(slotOffset(rows, ids, null, 1, 10)).toBe(55);
    expect(slotOffset(rows, ids, null, 3, 10)).toBe(175);
    expect(slotOffset(rows, ids, "b", 1, 10)).toBe(115);
    expect(slotOffset([], [], null, 0, 10)).toBe(0);
  });
  it("finds a slot far down a long column", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ start: i * 60, size: 50 }));
    const manyIds = many.map((_, i) => `s${i}`);
    expect(slotAt(many, manyIds, "s0", 4000 * 60 + 10)).toBe(3999);
    expect(slotOffset(many, manyIds, "s0", 3999, 10)).toBe(4000 * 60 - 5);
  });
});
