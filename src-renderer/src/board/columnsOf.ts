/**
 * The board as the UI draws it: one column per stage in `board.stages`
 * order, each holding its visible stories in board order. Hidden stories are
 * not shown, and `story/move`'s `index` counts visible stories only, so every
 * index computed in the UI is computed on these lists.
 */
import type { Board } from "../../../src-shared/Board";
import type { StageId } from "../../../src-shared/stages";
import type { Story } from "../../../src-shared/Story";

export type Column = { id: StageId; name: string; stories: Story[] };

export function columnsOf(board: Board): Column[] {
  const columns = board.stages.map((s): Column => ({ id: s.id, name: s.name, stories: [] }));
  const byId = new Map(columns.map((c) => [c.id, c]));
  // `board.stories` is already in board order; a stable pass keeps it.
  for (const story of board.stories) {
    if (!story.hidden) byId.get(story.stage)?.stories.push(story);
  }
  return columns;
}
