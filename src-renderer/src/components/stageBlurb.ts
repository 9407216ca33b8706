/** One sentence per stage: what it holds, for empty columns and the first-run note. */
import type { StageId } from "../../../src-shared/stages";

const BLURBS: Record<StageId, string> = {
  "1_backlog": "Ideas and work not started. Press n to add one.",
  "2_current": "Work in progress, by a person or an agent.",
  "3_qa": "Done by its author, waiting to be checked.",
  "4_merge": "Checked, waiting to land.",
  "5_done": "Landed. Move a card here when it ships.",
  "6_archived": "Kept for history, out of the way.",
};

export function stageBlurb(stage: StageId): string {
  return BLURBS[stage];
}
