import { describe, expect, it } from "vitest";
import { formatRelative } from "./formatRelative";

describe("formatRelative", () => {
  const now = new Date(2025, 0, 6, 9, 0).getTime();
  it("says past and future instants relative to now", () => {
    expect(formatRelative(now - 500, now)).toBe("just now");
    expect(formatRelative(now + 500, now)).toBe("now");
    expect(formatRelative(now - 12_000, now)).toBe("12 s ago");
    expect(formatRelative(now + 8_000, now)).toBe("in 8 s");
    expect(formatRelative(now - 4 * 60_000, now)).toBe("4 min ago");
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe("3 h ago");
  });
  it("gives the date past a day", () => {
    expect(formatRelative(now - 2 * 86_400_000, now, "en-GB")).toBe("4 Jan, 09:00");
  });
});
