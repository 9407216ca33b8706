/**
 * Where the memorize pipeline keeps its state. Synchronous on purpose (like
 * better-sqlite3): a commit is one transaction and nothing can interleave
 * inside it, so the pipeline never holds a transaction across an `await`.
 *
 * Invariants every implementation must keep (see `runMemoryStoreTests`):
 * - per session, every stored message id is in exactly one memcell or in the
 *   buffer: the buffer is DERIVED (stored messages in no memcell), so no
 *   commit can drop a message — and a message that arrives from a peer while
 *   the detector runs simply stays buffered;
 * - `commitSegmentation` is atomic: it validates everything first and either
 *   applies all of it (messages stored, memcells added) or throws an
 *   `ApiFailure("conflict")` and changes nothing; re-sending a known message
 *   is not an error (it is ignored);
 * - reads return copies: a caller mutating a result never changes the store;
 * - `getBuffer` returns messages sorted by (timestamp, id).
 *
 * Callers serialize writers per session (`SessionLocks`); the store itself
 * only guarantees atomicity, not read-modify-write isolation.
 */
import type { MemCell } from "./MemCell";
import type { Message } from "./Message";

export interface Segmentation {
  /** Messages to store (known ids are ignored); those in no memcell are buffered. */
  messages: Message[];
  /** New memcells over stored or given messages, none already in a memcell. */
  memcells: MemCell[];
}

export interface MemoryStore {
  /** The session's pending messages, sorted by (timestamp, id); [] if none. */
  getBuffer(sessionId: string): Message[];
  /** The subset of `messageIds` already consumed by a memcell of the session. */
  consumedMessageIds(sessionId: string, messageIds: readonly string[]): Set<string>;
  /** The session's memcells in commit order. */
  listMemCells(sessionId: string): MemCell[];
  /** Stores messages and memcells in one transaction (see header). */
  commitSegmentation(sessionId: string, segmentation: Segmentation): void;
}
