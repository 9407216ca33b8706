/**
 * Which sessions exist. A small seam beside `MemoryStore` (which holds a
 * session's buffer and memcells): the in-memory registry now, a SQLite table
 * (and replicated session-create changes) later.
 *
 * Invariants every implementation keeps:
 * - `add` is idempotent per id with the same value and rejects a different
 *   session under an existing id (ids are random and never reused);
 * - `list` is newest first: createdAt descending, then id descending, so two
 *   replicas holding the same sessions list them identically;
 * - reads return copies.
 */
import type { Session } from "../../src-shared/Session";

export interface SessionRegistry {
  add(session: Session): void;
  get(sessionId: string): Session | undefined;
  /** Newest first; only the story's sessions when `storyId` is given. */
  list(filter?: { storyId?: string }): Session[];
}

/** The registry's one ordering rule, shared by every implementation. */
export function compareSessionsNewestFirst(a: Session, b: Session): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
