/**
 * Where a keyboard move sends a story. ArrowLeft/ArrowRight: the previous or
 * next stage, keeping the card's row when the target column is long enough
 * (else last). ArrowUp/ArrowDown: one place up or down in its own column.
 * Returns null when the move would leave the board or not change anything.
 * The index follows `story/move`: position among the *other* visible stories.
 */
import type { StageId } from "../../../src-shared/stages";
import type { Column } from "./columnsOf";

export type MoveKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";
export type MoveTarget = { stage: StageId; index: number };

export function keyboardMoveTarget(columns: readonly Column[], storyId: string, key: MoveKey): MoveTarget | null {
  const col = columns.findIndex((c) => c.stories.some((s) => s.id === storyId));
  const column = columns[col];
  if (!column) return null;
  const row = column.stories.findIndex((s) => s.id === storyId);
  switch (key) {
    case "ArrowUp":
      return row > 0 ? { stage: column.id, index: row - 1 } : null;
    case "ArrowDown":
      return row < column.stories.length - 1 ? { stage: column.id, index: row + 1 } : null;
    case "ArrowLeft":
    case "ArrowRight": {
      const target = columns[key === "ArrowLeft" ? col - 1 : col + 1];
      return target ? { stage: target.id, index: Math.min(row, target.stories.length) } : null;
    }
  }
}

export function isMoveKey(key: string): key is MoveKey {
  return key === "ArrowLeft" || key === "ArrowRight" || key === "ArrowUp" || key === "ArrowDown";
}
