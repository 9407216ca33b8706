/**
 * The board as the API shows it (`Story` objects, in board order), kept
 * beside the replica and patched from its applied events, so `board/get`
 * and the rank of a new card cost a filter over ready objects instead of
 * re-reading and re-folding every story record — which is what made a board
 * a peer inflated to 75,000 stories take 1–1.5 s per read (the store's
 * record cache stops at 50,000 stories, so every read re-parsed ~110 MB).
 *
 * Invariants: after any applied event, `stories()` equals
 * `replica.stories()` folded by `toStory` minus deleted ones, in
 * `sortStories` order (the replica emits the id of every story a change
 * touched). Built (and sorted) lazily on first use; afterwards each touched
 * story is taken out and put back in order, so an edit costs O(log n) plus a
 * memmove, not a re-sort (a re-sort per edit made a local create 8× slower
 * at 6,500 stories). Objects handed out must not be mutated.
 */
import type { Story } from "../../src-shared/Story";
import { compareStories, sortStories } from "../../src-shared/sortStories";
import type { Replica } from "./Replica";
import { isDeleted } from "./StoryRecord";
import { toStory } from "./toStory";

export class BoardView {
  private byId: Map<string, Story> | null = null;
  private sorted: Story[] | null = null;

  constructor(private readonly replica: Replica) {
    replica.onApplied((e) => this.patch(e.storyIds));
  }

  /** Every live (not deleted) story, hidden ones included, in board order. */
  stories(): readonly Story[] {
    const byId = this.load();
    return (this.sorted ??= sortStories([...byId.values()]));
  }

  private load(): Map<string, Story> {
    if (this.byId) return this.byId;
    const byId = new Map<string, Story>();
    for (const rec of this.replica.stories()) if (!isDeleted(rec)) byId.set(rec.id, toStory(rec));
    this.byId = byId;
    return byId;
  }

  /** Replaces each touched story in place: O(log n) to find, a memmove to shift; never a full re-sort per edit. */
  private patch(ids: readonly string[]): void {
    if (!this.byId || ids.length === 0) return;
    for (const id of ids) {
      const old = this.byId.get(id);
      const rec = this.replica.story(id);
      const next = rec && !isDeleted(rec) ? toStory(rec) : undefined;
      if (next) this.byId.set(id, next);
      else this.byId.delete(id);
      if (!this.sorted) continue;
      if (old) this.sorted.splice(lowerBound(this.sorted, old), 1);
      if (next) this.sorted.splice(lowerBound(this.sorted, next), 0, next);
    }
  }
}

/** First index whose story does not sort before `story`. */
function lowerBound(sorted: readonly Story[], story: Story): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStories(sorted[mid]!, story) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
