/**
 * Story rows applied but not yet written to the `stories` table (see
 * `SqliteReplicaStore`, "Story rows lag"), with an undo frame per open
 * transaction or savepoint: what a rolled-back frame changed here is put
 * back, so the rows held stay exactly those of committed (or still open)
 * work. Records are never mutated (`put*` hands ownership over), so holding
 * the object is holding the row.
 *
 * Oldest first: a record held again moves to the back, so `oldest()` gives
 * the rows least likely to change again (written first when the lag is
 * over its bound, and by the drain).
 */
import type { StoryRecord } from "../crdt/StoryRecord";

/** A record's value before the frame first touched it (undefined: it was not held). */
type Frame = Map<string, StoryRecord | undefined>;

export class StoryLag {
  private readonly rows = new Map<string, StoryRecord>();
  private readonly frames: Frame[] = [];

  get size(): number {
    return this.rows.size;
  }

  get(id: string): StoryRecord | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<StoryRecord> {
    return this.rows.values();
  }

  /** Up to `n` held records, oldest first. */
  oldest(n: number): StoryRecord[] {
    const out: StoryRecord[] = [];
    for (const record of this.rows.values()) {
      if (out.length >= n) break;
      out.push(record);
    }
    return out;
  }

  hold(record: StoryRecord): void {
    this.remember(record.id);
    this.rows.delete(record.id); // to the back: the newest
    this.rows.set(record.id, record);
  }

  /** Written (or superseded by a row written): no longer held. */
  release(id: string): void {
    if (!this.rows.has(id)) return;
    this.remember(id);
    this.rows.delete(id);
  }

  begin(): void {
    this.frames.push(new Map());
  }

  /** The frame's changes stand; an enclosing frame can still undo them. */
  commit(): void {
    const frame = this.frames.pop();
    const parent = this.frames[this.frames.length - 1];
    if (frame === undefined || parent === undefined) return;
    for (const [id, before] of frame) if (!parent.has(id)) parent.set(id, before);
  }

  rollback(): void {
    const frame = this.frames.pop();
    if (frame === undefined) return;
    for (const [id, before] of frame) {
      if (before === undefined) this.rows.delete(id);
      else this.rows.set(id, before);
    }
  }

  private remember(id: string): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame !== undefined && !frame.has(id)) frame.set(id, this.rows.get(id));
  }
}
