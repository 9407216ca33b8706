/**
 * Where the memorize pipeline keeps its state. Synchronous on purpose (like
 * better-sqlite3): a commit is one transaction and nothing can interleave
 * inside it, so the pipeline never holds a transaction across an `await`.
 *
 * Invariants every implementation must keep (see `runMemoryStoreTests`):
 * - per session, every message id is in at most one memcell, and a message id
 *   in a memcell is never also in the buffer;
 * - `commitSegmentation` is atomic: it validates everything first and either
 *   applies all of it (memcells added, buffer REPLACED) or throws and changes
 *   nothing;
 * - reads return copies: a caller mutating a result never changes the store;
 * - `getBuffer` returns messages sorted by (timestamp, id).
 *
 * Callers serialize writers per session (`SessionLocks`); the store itself
 * only guarantees atomicity, not read-modify-write isolation.
 */
import type { MemCell } from "./MemCell";
import type { Message } from "./Message";

export interface Segmentation {
  /** New memcells; their message ids must not be in any existing memcell. */
  memcells: MemCell[];
  /** The complete new buffer (replaces the old one). */
  buffer: Message[];
}

export interface MemoryStore {
  /** The session's pending messages, sorted by (timestamp, id); [] if none. */
  getBuffer(sessionId: string): Message[];
  /** The subset of `messageIds` already consumed by a memcell of the session. */
  consumedMessageIds(sessionId: string, messageIds: readonly string[]): Set<string>;
  /** The session's memcells in commit order. */
  listMemCells(sessionId: string): MemCell[];
  /** Adds memcells and replaces the buffer in one transaction (see header). */
  commitSegmentation(sessionId: string, segmentation: Segmentation): void;
}
