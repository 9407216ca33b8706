/**
 * The storage seam of a replica: small, synchronous, and shaped so a SQLite
 * implementation can keep materialized story rows, the change log and the
 * pending queue in tables and open WITHOUT replaying history.
 *
 * Contract (every implementation must keep it):
 * - `transaction(fn)` runs fn atomically: if fn throws, no write made inside
 *   it is visible afterwards. fn is synchronous (no awaits inside).
 *   `durable: false` (changes received from a peer, which it sends again)
 *   lets a persistent store commit without waiting for the disk; the
 *   default waits (a local edit is durable before it is visible).
 * - Values handed to `put*` are owned by the store afterwards; values
 *   returned by `get*` must not be mutated by the caller (clone first).
 * - Everything stored is plain JSON-serializable data or bytes.
 */
import type { Hlc } from "./Hlc";
import type { StoryRecord } from "./StoryRecord";

/** What validation needs to know about an applied change, without its body. */
export interface ChangeMeta {
  id: string;
  author: string;
  seq: number;
  /** The EFFECTIVE clock (derived by validateChange), not the author's claim. */
  clock: Hlc;
  deps: string[];
  /**
   * Highest seq per author in this change's causal past, itself included.
   * Cost: O(authors) per change; it makes "is X in the causal past" O(1)
   * unless X's author equivocated (see `validateChange`).
   */
  vec: Record<string, number>;
}

export interface PendingEntry {
  id: string;
  bytes: Uint8Array;
  /** Deps not yet applied when it was queued. */
  missing: string[];
}

export interface ReplicaStore {
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T;
  /**
   * A hint: a peer's catch-up has been applied, so no received batch is
   * expected soon. A store that defers work until received batches pause
   * (SqliteReplicaStore: the group commit, held story rows) may start it
   * now instead of waiting to see the pause. Nothing else may depend on it.
   */
  caughtUp?(): void;
  /**
   * Begins a run of non-durable transactions that must end durable (an
   * import); the returned `end` makes every commit made so far durable
   * (those of received batches included) and throws if any of them failed
   * since the run began (it was rolled back: the run's results are void).
   * Absent: every commit is as durable as the store gets.
   */
  durableRun?(): () => void;
  /**
   * Runs `fn`, a run of lookups whose answers the caller re-checks against
   * `writeMark` (taken before) before acting on them: a store whose caches
   * follow other connections' commits may check for those once, here,
   * instead of once per lookup. Nothing inside may write.
   */
  reading?<T>(fn: () => T): T;
  /**
   * A mark that differs from an earlier one whenever anything may have been
   * written in between (by this store, or by another connection to the same
   * file): lets a batch checked outside a transaction skip re-checking what
   * cannot have changed.
   */
  writeMark(): string;

  getStory(id: string): StoryRecord | undefined;
  putStory(record: StoryRecord): void;
  allStories(): StoryRecord[];

  hasChange(id: string): boolean;
  getChangeMeta(id: string): ChangeMeta | undefined;
  getChangeBytes(id: string): Uint8Array | undefined;
  putChange(meta: ChangeMeta, bytes: Uint8Array): void;
  /** Ids of applied changes with this author and seq (more than one = equivocation). */
  changesBySeq(author: string, seq: number): string[];
  /**
   * Every applied change by `author` with `from <= seq <= to`, by seq (a
   * fork's changes in arrival order), with its effective clock: what
   * planning a catch-up reads, in one range read instead of a read per seq
   * and another per id.
   */
  changeKeys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[];
  /**
   * Applied changes in the order this store applied them, from position
   * `after + 1` (positions start at 1 and only grow), at most `limit`: a
   * topological order (a change is applied only after its deps), which
   * planning a large catch-up reads in one pass instead of sorting.
   */
  changesInArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[];
  /**
   * The applied changes at positions `from`..`to` (inclusive, as
   * `changesInArrival` numbers them) with their bytes, in arrival order:
   * what serving a catch-up planned in arrival order reads, a run of rows
   * instead of a lookup per id.
   */
  changeBytesInArrival(from: number, to: number): { arrival: number; id: string; bytes: Uint8Array }[];
  /** The position of the last applied change (0: none). */
  lastArrival(): number;
  /**
   * The highest applied seq of every author (what sync summarizes a replica
   * by). Kept as an index, not computed from the log: O(authors).
   */
  authorSeqs(): Map<string, number>;
  /** Seqs at which `author` has several applied changes, ascending (empty unless it equivocated). */
  forkedSeqs(author: string): number[];
  flagEquivocation(author: string): void;
  equivocators(): string[];

  heads(): string[];
  setHeads(heads: string[]): void;


  hasPending(id: string): boolean;
  getPending(id: string): PendingEntry | undefined;
  putPending(entry: PendingEntry): void;
  deletePending(id: string): void;
  /** Ids of pending changes that list `dep` among their missing deps. */
  pendingWaitingOn(dep: string): string[];
  /** Oldest queued first. */
  oldestPending(): PendingEntry | undefined;
  pendingSize(): { count: number; bytes: number };
}
