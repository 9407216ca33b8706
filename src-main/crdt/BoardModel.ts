/**
 * What the API needs from the pipeline state: one method per story verb of
 * the contract. `PipelineBoard` implements it on the CRDT replica; each
 * mutating call is one signed change, committed before it returns.
 */
import type { Board } from "../../src-shared/Board";
import type { StageId } from "../../src-shared/stages";
import type { HistoryEntry, Story, StoryDetail } from "../../src-shared/Story";

export interface StoryPatch {
  name?: string;
  description?: string;
  agent?: string | null;
  blocked?: boolean;
  dependsOn?: string[];
}

export interface BoardModel {
  board(opts?: { includeHidden?: boolean }): Board;
  create(input: { name: string; stage: StageId; agent: string | null }): Story;
  update(id: string, patch: StoryPatch): Story;
  move(id: string, stage: StageId, index?: number): Story;
  retry(id: string): Story;
  claim(id: string, claimant: string): Story;
  release(id: string): Story;
  hide(id: string): Story;
  unhide(id: string): Story;
  delete(id: string): { id: string };
  get(id: string): StoryDetail;
  history(id: string): { entries: HistoryEntry[] };
  setLimit(stage: StageId, limit: number | null): StageInfo;
  trash(): { stories: Story[] };
  restore(id: string): Story;
  undo(): { undone: string | null };
  redo(): { redone: string | null };
}

export interface StageInfo {
  id: StageId;
  name: string;
  limit: number | null;
}
