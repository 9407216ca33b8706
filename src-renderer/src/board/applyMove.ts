/**
 * The optimistic view of a move: the board as it will look once `story/move`
 * commits, so the card (and keyboard focus) follow at once. The server's
 * board replaces it on the next refetch; ranks here are left stale because
 * the UI never reads them, only the order.
 */
import type { Board } from "../../../src-shared/Board";
import type { StageId } from "../../../src-shared/stages";

export function applyMove(board: Board, storyId: string, stage: StageId, index: number): Board {
  const story = board.stories.find((s) => s.id === storyId);
  if (!story) return board;
  const others = board.stories.filter((s) => s.id !== storyId);
  const moved = { ...story, stage };
  const order = new Map(board.stages.map((s, i) => [s.id, i]));
  const targetOrder = order.get(stage) ?? 0;
  // Insert before the index-th visible story of the target stage, or after
  // the last story (hidden or not) at or before that stage.
  let seen = 0;
  let at = others.length;
  for (let i = 0; i < others.length; i++) {
    const s = others[i]!;
    const o = order.get(s.stage) ?? 0;
    if (o > targetOrder || (s.stage === stage && !s.hidden && seen === index)) {
      at = i;
      break;
    }
    if (s.stage === stage && !s.hidden) seen += 1;
  }
  return { ...board, stories: [...others.slice(0, at), moved, ...others.slice(at)] };
}
