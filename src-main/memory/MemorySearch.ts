/**
 * Full-text search over memory: memcell titles + contents and messages still
 * in a session's buffer. The seam the lead swaps for SQLite FTS5: an FTS5
 * implementation keeps its index in the same transaction as the memcells and
 * buffer it indexes and ranks with bm25(); callers see no difference.
 *
 * Contract every implementation keeps:
 * - hidden memcells are never returned;
 * - `storyId` keeps only hits from sessions of that story;
 * - at most `limit` hits, best first; ties by newer timestamp, then id, so
 *   the same data always yields the same order.
 */
import type { MemoryHit } from "../../src-shared/MemoryHit";

export interface MemorySearchOptions {
  storyId?: string;
  limit: number;
}

export interface MemorySearch {
  search(query: string, options: MemorySearchOptions): MemoryHit[];
}
