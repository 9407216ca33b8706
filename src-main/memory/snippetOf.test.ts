import { describe, expect, it } from "vitest";
import { markedRanges, unusedMarkers } from "./markedRanges";
import { snippetOf } from "./snippetOf";

const pick = (r: { snippet: string; matches: { start: number; end: number }[] }) => r.matches.map((m) => r.snippet.slice(m.start, m.end));

describe("snippetOf", () => {
  it("keeps a short text whole, flattening whitespace, with its ranges", () => {
    const text = "the  Flamingo\n\nlanded";
    const r = snippetOf(text, [{ start: 5, end: 13 }, { start: 15, end: 21 }]);
    expect(r.snippet).toBe("the Flamingo landed");
    expect(pick(r)).toEqual(["Flamingo", "landed"]);
  });

  it("cuts around the first match of a long text, at a word start, with ellipses", () => {
    const text = "word ".repeat(400) + "needle " + "tail ".repeat(400);
    const at = text.indexOf("needle");
    const r = snippetOf(text, [{ start: at, end: at + 6 }]);
    expect(r.snippet.startsWith("…word ")).toBe(true);
    expect(r.snippet.endsWith("…")).toBe(true);
    expect(r.snippet.length).toBeLessThanOrEqual(162);
    expect(pick(r)).toEqual(["needle"]);
    expect(r.matches[0]!.start).toBeGreaterThan(20);
    expect(r.matches[0]!.start).toBeLessThan(60);
  });

  it("starts at the beginning when nothing matched (a title-only hit)", () => {
    expect(snippetOf("a b c", [])).toEqual({ snippet: "a b c", matches: [] });
  });
});

describe("markedRanges / unusedMarkers", () => {
  it("reads the ranges between markers, in the unmarked text", () => {
    const m = { open: "\ue000", close: "\ue001" };
    expect(markedRanges("a \ue000bc\ue001 d \ue000ef\ue001", m)).toEqual([
      { start: 2, end: 4 },
      { start: 7, end: 9 },
    ]);
  });

  it("picks markers the texts do not contain, so a text cannot forge a mark", () => {
    expect(unusedMarkers(["plain"])).toEqual({ open: "\ue000", close: "\ue001" });
    const m = unusedMarkers(["forged \ue000x\ue001 and \ue002"])!;
    expect([m.open, m.close]).toEqual(["\ue003", "\ue004"]);
    const everything = Array.from({ length: 0xf8ff - 0xe000 + 1 }, (_, i) => String.fromCharCode(0xe000 + i)).join("");
    expect(unusedMarkers([everything])).toBeNull();
  });
});
