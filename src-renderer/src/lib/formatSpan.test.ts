import { describe, expect, it } from "vitest";
import { formatSpan } from "./formatSpan";

describe("formatSpan", () => {
  const t = new Date(2025, 0, 6, 9, 0).getTime();
  it("shows one instant once", () => {
    expect(formatSpan(t, t, "en-GB")).toBe("6 Jan, 09:00");
  });
  it("shows only the end time within a day", () => {
    expect(formatSpan(t, t + 42 * 60_000, "en-GB")).toBe("6 Jan, 09:00 – 09:42");
  });
  it("shows both dates across days", () => {
    expect(formatSpan(t, t + 24 * 3_600_000, "en-GB")).toBe("6 Jan, 09:00 – 7 Jan, 09:00");
  });
});
