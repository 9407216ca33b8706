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
 * touched). Built lazily on first use; the sort is redone only after a
 * change, never per read. Objects handed out must not be mutated.
 */
import type { Story } from "../../src-shared/Story";
import { sortStories } from "../../src-shared/sortStories";
import type { Replica } from "./Replica";
import { isDeleted, toStory } from "./StoryRecord";

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

  private patch(ids: readonly string[]): void {
    if (!this.byId || ids.length === 0) return;
    for (const id of ids) {
      const rec = this.replica.story(id);
      if (rec && !isDeleted(rec)) this.byId.set(id, toStory(rec));
      else this.byId.delete(id);
    }
    this.sorted = null;
  }
}
