/**
 * Notices commits that other connections made to the same file (another
 * process, or another connection in this one), so `SqliteReplicaStore` can
 * drop caches they may have made stale. SQLite's `PRAGMA data_version`
 * moves exactly when another connection committed.
 *
 * - `check()`: always asks (a transaction's start, under the write lock:
 *   nobody else commits until it ends).
 * - `checkOutside()`: asks unless a transaction is open (its start asked)
 *   or a `reading` run is (its start asked; its lookups are re-checked by
 *   their caller, `ReplicaStore.reading`): a catch-up's candidate lookups
 *   paid one query each.
 * - The version is read when constructed, before the store concludes
 *   anything from the tables: a commit in between then shows as a move.
 */
import type Database from "better-sqlite3";

export class OtherCommits {
  private version: number;
  private readDepth = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly dataVersion: Database.Statement<[], number>,
    /** Another connection committed: drop what it may have made stale. */
    private readonly committed: () => void,
  ) {
    this.version = dataVersion.get()!;
  }

  check(): void {
    const version = this.dataVersion.get()!;
    if (version !== this.version) this.committed();
    this.version = version;
  }

  checkOutside(): void {
    if (!this.db.inTransaction && this.readDepth === 0) this.check();
  }

  reading<T>(fn: () => T): T {
    this.checkOutside();
    this.readDepth++;
    try {
      return fn();
    } finally {
      this.readDepth--;
    }
  }
}
