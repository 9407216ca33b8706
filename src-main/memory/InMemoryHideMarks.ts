/** `HideMarks` in a map, until the SQLite store takes over (same contract). */
import type { HideMarks } from "./HideMarks";
import { laterStamp, type VisibilityMarks, type VisibilityStamp } from "./VisibilityStamp";

export class InMemoryHideMarks implements HideMarks {
  private readonly marks = new Map<string, VisibilityMarks>();

  get(memCellId: string): VisibilityMarks {
    const marks = this.marks.get(memCellId) ?? {};
    const copy: VisibilityMarks = {};
    if (marks.hide) copy.hide = { ...marks.hide };
    if (marks.unhide) copy.unhide = { ...marks.unhide };
    return copy;
  }

  record(memCellId: string, direction: "hide" | "unhide", stamp: VisibilityStamp): void {
    const marks = this.marks.get(memCellId) ?? {};
    marks[direction] = { ...laterStamp(marks[direction], stamp) };
    this.marks.set(memCellId, marks);
  }
}
