import { describe, expect, it } from "vitest";
import { NO_FILTER, narrows, serverIndex, shownColumns, storyMatches } from "./boardFilter";
import { columnsOf } from "./columnsOf";
import { testBoard } from "../testing/testBoard";

const board = (() => {
  const b = testBoard({ "1_backlog": ["a1", "h", "b2", "c3", "d4"], "2_current": ["e5"] }, ["h"]);
  const named: Record<string, Partial<(typeof b.stories)[number]>> = {
    a1: { name: "Fix billing export", agent: "coder" },
    b2: { name: "Billing page", blocked: true },
    c3: { name: "Cache warmup", claimedBy: "node-1" },
    d4: { name: "Deploy script", agent: "reviewer", blocked: true },
    e5: { name: "Editor undo" },
    h: { name: "Hidden billing thing" },
  };
  return { ...b, stories: b.stories.map((s) => ({ ...s, ...named[s.id] })) };
})();
const ids = (f = NO_FILTER) => shownColumns(board, f).map((c) => c.stories.map((s) => s.id));

describe("board filter", () => {
  it("without a filter shows what columnsOf shows", () => {
    expect(shownColumns(board, NO_FILTER)).toEqual(columnsOf(board));
    expect(narrows(NO_FILTER)).toBe(false);
  });
  it("matches every word against name, agent or id, ignoring case", () => {
    expect(ids({ ...NO_FILTER, text: "BILLING" })[0]).toEqual(["a1", "b2"]);
    expect(ids({ ...NO_FILTER, text: "billing coder" })[0]).toEqual(["a1"]);
    expect(ids({ ...NO_FILTER, text: "reviewer" })[0]).toEqual(["d4"]);
    expect(ids({ ...NO_FILTER, text: "e5" })[1]).toEqual(["e5"]);
    expect(ids({ ...NO_FILTER, text: "  " })[0]).toEqual(["a1", "b2", "c3", "d4"]);
    expect(narrows({ ...NO_FILTER, text: "x" })).toBe(true);
  });
  it("applies the toggles together", () => {
    expect(ids({ ...NO_FILTER, blocked: true })[0]).toEqual(["b2", "d4"]);
    expect(ids({ ...NO_FILTER, blocked: true, agent: true })[0]).toEqual(["d4"]);
    expect(ids({ ...NO_FILTER, claimed: true })[0]).toEqual(["c3"]);
    expect(ids({ ...NO_FILTER, showHidden: true })[0]).toEqual(["a1", "h", "b2", "c3", "d4"]);
    expect(storyMatches(board.stories[1]!, { ...NO_FILTER, showHidden: true, text: "billing" })).toBe(true);
  });
});

describe("serverIndex", () => {
  // Backlog in board order: a1, h (hidden), b2, c3, d4.
  it("is the slot itself when every visible card is shown", () => {
    const shown = ["a1", "b2", "c3", "d4"];
    for (let slot = 0; slot <= 4; slot++) expect(serverIndex(board, "1_backlog", shown, slot, "e5")).toBe(slot);
  });
  it("counts visible cards before the anchor when the filter hides some", () => {
    // Filter shows only b2 and d4.
    expect(serverIndex(board, "1_backlog", ["b2", "d4"], 0, "e5")).toBe(1); // before b2: after a1
    expect(serverIndex(board, "1_backlog", ["b2", "d4"], 1, "e5")).toBe(3); // before d4
    expect(serverIndex(board, "1_backlog", ["b2", "d4"], 2, "e5")).toBe(4); // after d4
  });
  it("leaves the moving card out and never counts hidden ones", () => {
    expect(serverIndex(board, "1_backlog", ["a1", "c3", "d4"], 1, "b2")).toBe(1);
    expect(serverIndex(board, "1_backlog", ["a1", "h", "c3"], 2, "b2")).toBe(1); // before c3, moving b2 left out
    expect(serverIndex(board, "1_backlog", ["h"], 1, "e5")).toBe(1); // after the hidden h: after a1
    expect(serverIndex(board, "1_backlog", ["h"], 0, "e5")).toBe(1);
  });
  it("goes to the end of a column whose shown list is empty", () => {
    expect(serverIndex(board, "1_backlog", [], 0, "e5")).toBe(4);
    expect(serverIndex(board, "3_qa", [], 0, "e5")).toBe(0);
  });
});
