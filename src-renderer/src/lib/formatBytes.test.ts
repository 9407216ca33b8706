import { describe, expect, it } from "vitest";
import { formatBytes } from "./formatBytes";

describe("formatBytes", () => {
  it("uses SI units with one decimal only below 10", () => {
    expect([0, 812, 1_234, 12_345, 999_999, 3_400_000].map(formatBytes)).toEqual(["0 B", "812 B", "1.2 kB", "12 kB", "1.0 MB", "3.4 MB"]);
  });
});
