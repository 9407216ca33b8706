/**
 * The foundation's in-memory pipeline: enough state behind the contract to
 * run both hosts and the UI. The CRDT replica replaces it without changing
 * the contract (see `BoardModel`).
 */
import { ApiFailure } from "../../src-shared/ApiError";
import type { Board } from "../../src-shared/Board";
import { STAGES, type StageId } from "../../src-shared/stages";
import type { Story } from "../../src-shared/Story";
import { rankBetween } from "../crdt/rankBetween";
import type { BoardModel, StoryPatch } from "./BoardModel";
import { sortStories } from "./sortStories";

export class MemoryBoard implements BoardModel {
  private readonly stories = new Map<string, Story>();

  constructor(private readonly newId: () => string) {}

  board(): Board {
    return { stages: STAGES.map((s) => ({ id: s.id, name: s.name })), stories: sortStories([...this.stories.values()]) };
  }

  create(input: { name: string; stage: StageId; agent: string | null; index?: number }): Story {
    const id = this.newId();
    const story: Story = {
      id,
      name: input.name,
      stage: input.stage,
      rank: this.rankAt(input.stage, input.index, id),
      agent: input.agent,
      retryCount: 0,
      blocked: false,
      dependsOn: [],
      claimedBy: null,
      claimedAt: null,
      hidden: false,
    };
    this.stories.set(id, story);
    return story;
  }

  update(id: string, patch: StoryPatch): Story {
    const story = this.require(id);
    const next: Story = { ...story };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.agent !== undefined) next.agent = patch.agent;
    if (patch.blocked !== undefined) next.blocked = patch.blocked;
    if (patch.dependsOn !== undefined) next.dependsOn = [...new Set(patch.dependsOn)].sort();
    this.stories.set(id, next);
    return next;
  }

  move(id: string, stage: StageId, index?: number): Story {
    const story = this.require(id);
    const next: Story = { ...story, stage, rank: this.rankAt(stage, index, id) };
    this.stories.set(id, next);
    return next;
  }

  private require(id: string): Story {
    const story = this.stories.get(id);
    if (!story) throw new ApiFailure("not_found", `no story with id ${JSON.stringify(id)}`);
    return story;
  }

  /** The rank that puts a story at `index` among the other stories of `stage`. */
  private rankAt(stage: StageId, index: number | undefined, self: string): string {
    const column = sortStories([...this.stories.values()].filter((s) => s.stage === stage && s.id !== self && !s.hidden));
    const i = Math.min(index ?? column.length, column.length);
    return rankBetween(column[i - 1]?.rank ?? null, column[i]?.rank ?? null);
  }
}
