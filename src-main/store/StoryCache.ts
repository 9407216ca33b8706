/**
 * The story records `SqliteReplicaStore` has read or written, by id: each
 * ingested change re-reads the story it touches, and every local create and
 * board read scans all stories. Once the whole table has been read and fits
 * (`fill`), or the table is empty (a new device), it holds every row
 * (`complete`): a miss is then an absent story, and `all` needs no query.
 *
 * Invariants: records do change, so the owner drops it (`clear`) on a
 * rollback and on another connection's commit; evicting one record ends
 * `complete`; the records are handed out as they are (the `ReplicaStore`
 * contract: callers never mutate what `get*` returns).
 */
import type { StoryRecord } from "../crdt/StoryRecord";
import { remember } from "../base/remember";

/** Above this many stories the table is no longer held in memory (about 1 KB each). */
const STORY_CACHE_SIZE = 50_000;

export class StoryCache {
  private readonly records = new Map<string, StoryRecord>();

  constructor(
    /** True while the cache holds every row of the table. */
    private complete: boolean,
  ) {}

  get(id: string): StoryRecord | undefined {
    return this.records.get(id);
  }

  /** Whether a story missing here is absent from the table. */
  get holdsAll(): boolean {
    return this.complete;
  }

  /** Every record, if the cache holds every row; else null (the caller reads the table, then `fill`s). */
  all(): StoryRecord[] | null {
    return this.complete ? [...this.records.values()] : null;
  }

  set(record: StoryRecord): void {
    if (remember(this.records, STORY_CACHE_SIZE, record.id, record)) this.complete = false;
  }

  /** The whole table, just read: kept if it fits. */
  fill(all: readonly StoryRecord[]): void {
    if (all.length > STORY_CACHE_SIZE) return;
    this.records.clear();
    for (const record of all) this.records.set(record.id, record);
    this.complete = true;
  }

  clear(): void {
    this.records.clear();
    this.complete = false;
  }
}
