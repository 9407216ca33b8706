import { describe, expect, it } from "vitest";
import { applyMove } from "./applyMove";
import { columnsOf } from "./columnsOf";
import { dropIndex } from "./dropIndex";
import { keyboardMoveTarget } from "./keyboardMoveTarget";
import { layoutOf, testBoard } from "../testing/testBoard";

describe("columnsOf", () => {
  it("gives six columns in stage order and skips hidden stories", () => {
    const cols = columnsOf(testBoard({ "1_backlog": ["a", "h", "b"], "3_qa": ["c"] }, ["h"]));
    expect(cols.map((c) => c.name)).toEqual(["Backlog", "Current", "QA", "Merge", "Done", "Archived"]);
    expect(cols[0]!.stories.map((s) => s.id)).toEqual(["a", "b"]);
    expect(cols[2]!.stories.map((s) => s.id)).toEqual(["c"]);
  });
});

describe("dropIndex", () => {
  it("counts the other cards whose midpoint is above the pointer", () => {
    expect(dropIndex([], 50)).toBe(0);
    expect(dropIndex([10, 30, 50], 5)).toBe(0);
    expect(dropIndex([10, 30, 50], 31)).toBe(2);
    expect(dropIndex([10, 30, 50], 500)).toBe(3);
  });
});

describe("keyboardMoveTarget", () => {
  const cols = columnsOf(testBoard({ "1_backlog": ["a", "b", "c"], "2_current": ["d"] }));

  it("reorders within a column and stops at the ends", () => {
    expect(keyboardMoveTarget(cols, "b", "ArrowUp")).toEqual({ stage: "1_backlog", index: 0 });
    expect(keyboardMoveTarget(cols, "b", "ArrowDown")).toEqual({ stage: "1_backlog", index: 2 });
    expect(keyboardMoveTarget(cols, "a", "ArrowUp")).toBeNull();
    expect(keyboardMoveTarget(cols, "c", "ArrowDown")).toBeNull();
  });

  it("moves across stages keeping the row, clamped to the target length", () => {
    expect(keyboardMoveTarget(cols, "a", "ArrowRight")).toEqual({ stage: "2_current", index: 0 });
    expect(keyboardMoveTarget(cols, "c", "ArrowRight")).toEqual({ stage: "2_current", index: 1 });
    expect(keyboardMoveTarget(cols, "d", "ArrowLeft")).toEqual({ stage: "1_backlog", index: 0 });
    expect(keyboardMoveTarget(cols, "a", "ArrowLeft")).toBeNull();
    expect(keyboardMoveTarget(cols, "zz", "ArrowLeft")).toBeNull();
  });

  it("stops at the last stage", () => {
    const end = columnsOf(testBoard({ "6_archived": ["x"] }));
    expect(keyboardMoveTarget(end, "x", "ArrowRight")).toBeNull();
  });
});

describe("applyMove", () => {
  const board = testBoard({ "1_backlog": ["a", "b", "c"], "2_current": ["d"], "5_done": ["e"] });

  it("reorders within a column with the server's index semantics", () => {
    expect(layoutOf(applyMove(board, "a", "1_backlog", 2))["1_backlog"]).toEqual(["b", "c", "a"]);
    expect(layoutOf(applyMove(board, "c", "1_backlog", 0))["1_backlog"]).toEqual(["c", "a", "b"]);
    expect(layoutOf(applyMove(board, "b", "1_backlog", 2))["1_backlog"]).toEqual(["a", "c", "b"]);
  });

  it("moves to another stage, including an empty one, keeping board order", () => {
    const moved = applyMove(board, "b", "2_current", 0);
    expect(layoutOf(moved)).toEqual({ "1_backlog": ["a", "c"], "2_current": ["b", "d"], "5_done": ["e"] });
    const empty = applyMove(board, "a", "3_qa", 0);
    expect(empty.stories.map((s) => s.id)).toEqual(["b", "c", "d", "a", "e"]);
  });

  it("counts visible stories only", () => {
    const withHidden = testBoard({ "2_current": ["h", "d"] }, ["h"]);
    const moved = applyMove({ ...withHidden, stories: [...withHidden.stories, ...board.stories.slice(0, 1)] }, "a", "2_current", 1);
    expect(layoutOf(moved)["2_current"]).toEqual(["d", "a"]);
  });
});
