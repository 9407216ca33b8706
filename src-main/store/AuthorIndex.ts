/**
 * The v5 `authors` table as the store uses it: every author key once, under
 * a small integer `idx` that the log, the seq vectors and the author indexes
 * store instead of the 64-hex key.
 *
 * Invariants:
 * - Rows are only ever added (never updated or deleted), so a cached
 *   key ↔ idx pair stays right for as long as the row exists — except when
 *   the transaction that added it rolls back: the owner must call
 *   `forget()` then (SqliteReplicaStore does, with its other caches).
 * - `idxOf` adds a missing key (writes only); `knownIdx` never writes (reads
 *   of an unknown author find nothing, and leave no row behind).
 * - Keys are stored like ids (`idColumn`): 32 raw bytes for a hex key.
 * - The cache holds one entry per author of the workspace (its members):
 *   small, and bounded by membership, not by traffic.
 */
import type Database from "better-sqlite3";
import { idColumn, type IdValue } from "./idColumn";

/** Converted keys kept (more authors than this: a workspace far larger than any team; the cache starts over). */
const RAW_CACHE_SIZE = 4_096;

export class AuthorIndex {
  private readonly byKey = new Map<string, number>();
  private readonly byIdx = new Map<number, string>();
  private readonly raw = new Map<string, IdValue>();
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      idx: db.prepare<[IdValue], number>("SELECT idx FROM authors WHERE key = ?").pluck(),
      key: db.prepare<[number], IdValue>("SELECT key FROM authors WHERE idx = ?").pluck(),
      add: db.prepare<[IdValue]>("INSERT INTO authors (key) VALUES (?)"),
    };
  }

  /** The idx of `key`, adding the author if it is new. */
  idxOf(key: string): number {
    const known = this.knownIdx(key);
    if (known !== undefined) return known;
    const idx = Number(this.q.add.run(idColumn.encode(key)).lastInsertRowid);
    this.remember(key, idx);
    return idx;
  }

  /** The idx of `key` if the author is known; never writes. */
  knownIdx(key: string): number | undefined {
    const cached = this.byKey.get(key);
    if (cached !== undefined) return cached;
    const idx = this.q.idx.get(idColumn.encode(key));
    if (idx !== undefined) this.remember(key, idx);
    return idx;
  }

  keyOf(idx: number): string {
    const cached = this.byIdx.get(idx);
    if (cached !== undefined) return cached;
    const value = this.q.key.get(idx);
    if (value === undefined) throw new Error(`the log names author #${idx}, which the authors table does not hold`);
    const key = idColumn.decode(value);
    this.remember(key, idx);
    return key;
  }

  /** `key` as its column value (`idColumn.encode`), converted once per author: every stored change names one. */
  rawKeyOf(key: string): IdValue {
    let value = this.raw.get(key);
    if (value === undefined) {
      value = idColumn.encode(key);
      if (this.raw.size >= RAW_CACHE_SIZE) this.raw.clear();
      this.raw.set(key, value);
    }
    return value;
  }

  forget(): void {
    this.byKey.clear();
    this.byIdx.clear();
  }

  private remember(key: string, idx: number): void {
    this.byKey.set(key, idx);
    this.byIdx.set(idx, key);
  }
}
