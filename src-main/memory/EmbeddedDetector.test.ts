import { describe, expect, it } from "vitest";
import { EmbeddedDetector } from "./EmbeddedDetector";
import { extractContent, extractTitle } from "./extractEpisode";
import { estimateTokens, withForcedCuts } from "./withForcedCuts";
import { toMessages, type MessageInput } from "./Message";
import { normalizeBoundaries, splitAtBoundaries } from "./splitAtBoundaries";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 9, 0, 0); // 09:00 UTC
const msg = (timestamp: number, content = "work", role: MessageInput["role"] = "user"): MessageInput => ({
  senderId: "alice",
  role,
  timestamp,
  content,
});

describe("EmbeddedDetector", () => {
  it("keeps one continuous conversation as the tail", async () => {
    const d = await new EmbeddedDetector().detect(toMessages("s", [msg(T0), msg(T0 + HOUR), msg(T0 + 2 * HOUR)]));
    expect(d).toEqual({ boundaries: [], shouldWait: true, episodes: [] });
  });

  it("cuts at a gap >= 4 h and where the UTC day changes", async () => {
    const at = (day: number, h: number, m = 0) => Date.UTC(2026, 0, day, h, m);
    const msgs = toMessages("s", [
      msg(at(10, 9)),
      msg(at(10, 13)), // gap exactly 4 h → cut after 1
      msg(at(10, 14)),
      msg(at(10, 17)),
      msg(at(10, 20)),
      msg(at(10, 23, 30)),
      msg(at(11, 0, 30)), // 1 h later but the next UTC day → cut after 6
    ]);
    const d = await new EmbeddedDetector().detect(msgs);
    expect(d.boundaries).toEqual([1, 6]);
    expect(d.shouldWait).toBe(true);
    expect(d.episodes).toHaveLength(2);
    const custom = await new EmbeddedDetector({ gapMs: 30 * 60_000 }).detect(msgs);
    expect(custom.boundaries).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("forces a cut at the message limit and the token limit, closing the tail", async () => {
    const many = toMessages("s", Array.from({ length: 1_200 }, (_, i) => msg(T0 + i)));
    expect((await new EmbeddedDetector().detect(many)).boundaries).toEqual([500, 1_000]);
    const exact = toMessages("s", Array.from({ length: 500 }, (_, i) => msg(T0 + i)));
    expect((await new EmbeddedDetector().detect(exact)).shouldWait).toBe(false);
    const big = "x".repeat(40_000); // 10,000 tokens each
    const heavy = toMessages("s", Array.from({ length: 8 }, (_, i) => msg(T0 + i, big)));
    expect((await new EmbeddedDetector().detect(heavy)).boundaries).toEqual([6]);
  });
});

describe("segmentation helpers", () => {
  it("drops (never clamps) bad boundaries, dedupes and sorts", () => {
    expect(normalizeBoundaries([3, 0, -1, 2.5, 4, 99, 2, 2, "1", null, Number.NaN], 3)).toEqual([2, 3]);
    expect(splitAtBoundaries(["a", "b", "c"], [2, 99])).toEqual({ segments: [["a", "b"]], tail: ["c"] });
    expect(splitAtBoundaries(["a", "b", "c"], [3, 1])).toEqual({ segments: [["a"], ["b", "c"]], tail: [] });
  });

  it("estimates tokens as ceil(chars / 4) and lets one oversized message stand alone", () => {
    expect([estimateTokens(""), estimateTokens("abc"), estimateTokens("abcde")]).toEqual([0, 1, 2]);
    const msgs = toMessages("s", [msg(T0, "a"), msg(T0 + 1, "x".repeat(100)), msg(T0 + 2, "b")]);
    expect(withForcedCuts(msgs, [], { maxMessages: 500, maxTokens: 10 })).toEqual([1, 2]);
  });

  it("titles from the first substantive user line and condenses content", () => {
    const msgs = toMessages("s", [
      msg(T0, "Let me look", "assistant"),
      msg(T0 + 1, "ok\n\n  Fix the   login bug on Safari  \nthanks"),
      msg(T0 + 2, "y".repeat(500), "assistant"),
    ]);
    expect(extractTitle(msgs)).toBe("Fix the login bug on Safari");
    expect(extractTitle(toMessages("s", [msg(T0, "z".repeat(200))])).length).toBeLessThanOrEqual(80);
    expect(extractTitle([])).toBe("Untitled episode");
    const lines = extractContent(msgs).split("\n");
    expect(lines[0]).toBe("alice: Let me look");
    expect(lines[1]).toBe("alice: ok Fix the login bug on Safari thanks");
    expect(lines[2]?.length).toBeLessThanOrEqual(200);
  });
});
