/**
 * What the API needs from the pipeline state. The foundation keeps it in
 * memory; the CRDT replica implements the same interface.
 */
import type { Board } from "../../src-shared/Board";
import type { StageId } from "../../src-shared/stages";
import type { Story } from "../../src-shared/Story";

export interface StoryPatch {
  name?: string;
  agent?: string | null;
  blocked?: boolean;
  dependsOn?: string[];
}

export interface BoardModel {
  board(): Board;
  create(input: { name: string; stage: StageId; agent: string | null }): Story;
  update(id: string, patch: StoryPatch): Story;
  move(id: string, stage: StageId, index?: number): Story;
}
