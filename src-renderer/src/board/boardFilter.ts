/**
 * The board filter: text over each story's name, agent and id (every word
 * must match one of them, case-insensitively), quick toggles (claimed,
 * blocked, has an agent), and "show hidden". `shownColumns` is `columnsOf`
 * with the filter applied.
 *
 * Moves stay exact while filtering: `story/move`'s index counts the *visible*
 * stories of the target stage (hidden ones never count), while a drop or a
 * keyboard move lands between *shown* cards. `serverIndex` turns "before the
 * n-th shown card other than the moving one" into the index the host wants:
 * the number of visible stories other than the moving one that come before
 * that card in board order (after the last shown card for the end slot).
 * Without a filter the two are the same number.
 */
import type { Board } from "../../../src-shared/Board";
import type { StageId } from "../../../src-shared/stages";
import type { Story } from "../../../src-shared/Story";
import type { Column } from "./columnsOf";

export interface BoardFilter {
  text: string;
  claimed: boolean;
  blocked: boolean;
  agent: boolean;
  showHidden: boolean;
}

export const NO_FILTER: BoardFilter = { text: "", claimed: false, blocked: false, agent: false, showHidden: false };

/** True when some card that the plain board shows is left out. */
export function narrows(f: BoardFilter): boolean {
  return f.text.trim() !== "" || f.claimed || f.blocked || f.agent;
}

export function storyMatches(story: Story, f: BoardFilter, words = wordsOf(f.text)): boolean {
  if (story.hidden && !f.showHidden) return false;
  if (f.claimed && story.claimedBy === null) return false;
  if (f.blocked && !story.blocked) return false;
  if (f.agent && story.agent === null) return false;
  if (words.length === 0) return true;
  const name = story.name.toLowerCase();
  const agent = story.agent?.toLowerCase() ?? "";
  const id = story.id.toLowerCase();
  return words.every((w) => name.includes(w) || agent.includes(w) || id.includes(w));
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

export function shownColumns(board: Board, f: BoardFilter): Column[] {
  const columns = board.stages.map((s): Column => ({ id: s.id, name: s.name, stories: [] }));
  const byId = new Map(columns.map((c) => [c.id, c]));
  const words = wordsOf(f.text);
  for (const story of board.stories) if (storyMatches(story, f, words)) byId.get(story.stage)?.stories.push(story);
  return columns;
}

/**
 * The `story/move` index for dropping `movingId` into `stage` at `slot`
 * among `shownOthers` (the ids of the shown cards of that column, the moving
 * one left out, in order).
 */
export function serverIndex(board: Board, stage: StageId, shownOthers: readonly string[], slot: number, movingId: string): number {
  const anchor = shownOthers[Math.min(slot, shownOthers.length - 1)];
  const afterAnchor = slot >= shownOthers.length;
  let count = 0;
  for (const s of board.stories) {
    if (s.stage !== stage || s.id === movingId) continue;
    if (s.id === anchor) return count + (afterAnchor && !s.hidden ? 1 : 0);
    if (!s.hidden) count += 1;
  }
  return count;
}
