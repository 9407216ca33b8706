import { STAGES } from "./stages";
import type { Story } from "./Story";

const stageOrder = new Map<string, number>(STAGES.map((s, i) => [s.id, i]));

/** Board order: stage, then rank, then id (equal ranks are legal after concurrent moves). A total order: ids are unique. */
export function compareStories(a: Story, b: Story): number {
  return (
    (stageOrder.get(a.stage) ?? 0) - (stageOrder.get(b.stage) ?? 0) ||
    (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Sorts in place into board order (`compareStories`). */
export function sortStories(stories: Story[]): Story[] {
  return stories.sort(compareStories);
}
