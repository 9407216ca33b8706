/**
 * Roving focus on the board: each column is one tab stop (its active card,
 * or its empty placeholder), and keys move focus between cards without
 * moving them. `activeIdOf` says which card holds a column's tab stop;
 * `focusTarget` says where a focus key sends focus. Pure: both work on the
 * columns as shown (filtered), so they never point at a card not on screen.
 */
import type { StageId } from "../../../src-shared/stages";
import type { Column } from "./columnsOf";

export type FocusMove = "up" | "down" | "left" | "right" | "first" | "last";
/** A focus destination: a card, or (id null) an empty column's placeholder. */
export type FocusSpot = { stage: StageId; id: string | null };

/** The card that is the column's tab stop: the remembered one if still shown, else the first. */
export function activeIdOf(column: Column, remembered: string | null | undefined): string | null {
  if (remembered && column.stories.some((s) => s.id === remembered)) return remembered;
  return column.stories[0]?.id ?? null;
}

export function focusTarget(columns: readonly Column[], from: FocusSpot, move: FocusMove): FocusSpot | null {
  const col = columns.findIndex((c) => c.id === from.stage);
  const column = columns[col];
  if (!column) return null;
  const found = from.id === null ? -1 : column.stories.findIndex((s) => s.id === from.id);
  const row = Math.max(0, found);
  const at = (c: Column, r: number): FocusSpot => ({ stage: c.id, id: c.stories[r]?.id ?? null });
  const last = column.stories.length - 1;
  switch (move) {
    case "up":
      return found > 0 ? at(column, found - 1) : null;
    case "down":
      return found >= 0 && found < last ? at(column, found + 1) : null;
    case "first":
      return last >= 0 && found !== 0 ? at(column, 0) : null;
    case "last":
      return last >= 0 && found !== last ? at(column, last) : null;
    case "left":
    case "right": {
      const next = columns[move === "left" ? col - 1 : col + 1];
      if (!next) return null;
      return at(next, Math.min(row, next.stories.length - 1));
    }
  }
}
