import { describe, expect, it } from "vitest";
import { columnsOf } from "./columnsOf";
import { keyAction, type KeyPress } from "./keyAction";
import { activeIdOf, focusTarget } from "./rovingFocus";
import { testBoard } from "../testing/testBoard";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("keyAction", () => {
  it("moves focus with j/k and plain arrows", () => {
    expect(keyAction(press("j"))).toEqual({ kind: "focus", move: "down" });
    expect(keyAction(press("k"))).toEqual({ kind: "focus", move: "up" });
    expect(keyAction(press("ArrowDown"))).toEqual({ kind: "focus", move: "down" });
    expect(keyAction(press("ArrowLeft"))).toEqual({ kind: "focus", move: "left" });
    expect(keyAction(press("Home"))).toEqual({ kind: "focus", move: "first" });
  });
  it("moves the card with h/l and Shift+arrows", () => {
    expect(keyAction(press("h"))).toEqual({ kind: "move", key: "ArrowLeft" });
    expect(keyAction(press("l"))).toEqual({ kind: "move", key: "ArrowRight" });
    expect(keyAction(press("ArrowRight", { shiftKey: true }))).toEqual({ kind: "move", key: "ArrowRight" });
    expect(keyAction(press("ArrowUp", { shiftKey: true }))).toEqual({ kind: "move", key: "ArrowUp" });
    expect(keyAction(press("J", { shiftKey: true }))).toEqual({ kind: "move", key: "ArrowDown" });
  });
  it("opens, creates, and leaves modified keys alone", () => {
    expect(keyAction(press("Enter"))).toEqual({ kind: "open" });
    expect(keyAction(press("e"))).toEqual({ kind: "open" });
    expect(keyAction(press("n"))).toEqual({ kind: "new" });
    expect(keyAction(press("ArrowRight", { ctrlKey: true }))).toBeNull();
    expect(keyAction(press("l", { metaKey: true }))).toBeNull();
    expect(keyAction(press("ArrowRight", { altKey: true }))).toBeNull();
    expect(keyAction(press("x"))).toBeNull();
    expect(keyAction(press("N", { shiftKey: true }))).toBeNull();
  });
});

describe("roving focus", () => {
  const cols = columnsOf(testBoard({ "1_backlog": ["a", "b", "c"], "2_current": ["d"], "4_merge": ["e", "f"] }));
  it("keeps a column's tab stop on its remembered card while it is shown, else the first", () => {
    expect(activeIdOf(cols[0]!, "b")).toBe("b");
    expect(activeIdOf(cols[0]!, "gone")).toBe("a");
    expect(activeIdOf(cols[0]!, null)).toBe("a");
    expect(activeIdOf(cols[2]!, "a")).toBeNull();
  });
  it("moves up and down within a column and stops at its ends", () => {
    expect(focusTarget(cols, { stage: "1_backlog", id: "a" }, "down")).toEqual({ stage: "1_backlog", id: "b" });
    expect(focusTarget(cols, { stage: "1_backlog", id: "b" }, "up")).toEqual({ stage: "1_backlog", id: "a" });
    expect(focusTarget(cols, { stage: "1_backlog", id: "a" }, "up")).toBeNull();
    expect(focusTarget(cols, { stage: "1_backlog", id: "c" }, "down")).toBeNull();
    expect(focusTarget(cols, { stage: "1_backlog", id: "b" }, "last")).toEqual({ stage: "1_backlog", id: "c" });
    expect(focusTarget(cols, { stage: "1_backlog", id: "c" }, "first")).toEqual({ stage: "1_backlog", id: "a" });
  });
  it("moves sideways keeping the row, clamped, onto an empty column's placeholder", () => {
    expect(focusTarget(cols, { stage: "1_backlog", id: "c" }, "right")).toEqual({ stage: "2_current", id: "d" });
    expect(focusTarget(cols, { stage: "2_current", id: "d" }, "right")).toEqual({ stage: "3_qa", id: null });
    expect(focusTarget(cols, { stage: "3_qa", id: null }, "right")).toEqual({ stage: "4_merge", id: "e" });
    expect(focusTarget(cols, { stage: "3_qa", id: null }, "down")).toBeNull();
    expect(focusTarget(cols, { stage: "1_backlog", id: "a" }, "left")).toBeNull();
    expect(focusTarget(cols, { stage: "6_archived", id: null }, "right")).toBeNull();
  });
});
