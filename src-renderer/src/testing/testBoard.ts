/** Test helper: a board from `stage: [names]`, in board order. */
import type { Board } from "../../../src-shared/Board";
import { STAGES, type StageId } from "../../../src-shared/stages";
import type { Story } from "../../../src-shared/Story";

export function testBoard(layout: Partial<Record<StageId, string[]>>, hidden: string[] = []): Board {
  const stories: Story[] = [];
  for (const stage of STAGES) {
    for (const [i, id] of (layout[stage.id] ?? []).entries()) {
      stories.push({
        id,
        name: id,
        stage: stage.id,
        rank: String(i).padStart(3, "0"),
        agent: null,
        retryCount: 0,
        blocked: false,
        dependsOn: [],
        claimedBy: null,
        claimedAt: null,
        hidden: hidden.includes(id),
        conflicted: false,
      });
    }
  }
  return { stages: STAGES.map((s) => ({ id: s.id, name: s.name, limit: null })), stories };
}

/** `stage: [ids]` for the non-empty visible columns, for compact assertions. */
export function layoutOf(board: Board): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of board.stories) if (!s.hidden) (out[s.stage] ??= []).push(s.id);
  return out;
}
