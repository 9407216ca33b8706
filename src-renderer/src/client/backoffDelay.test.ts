import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoffDelay";

describe("backoffDelay", () => {
  it("starts at 1 s and doubles", () => {
    expect([0, 1, 2, 3, 4].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000]);
  });
  it("caps at 30 s, however many attempts", () => {
    expect(backoffDelay(5)).toBe(30000);
    expect(backoffDelay(1000)).toBe(30000);
  });
});
