/**
 * The pending queue of `SqliteReplicaStore` (changes waiting for deps):
 * the `pending` rows, the `pending_waits` index by missing dep, and the
 * `pending_totals` row mirrored in memory, so an empty queue answers
 * `has` and `waitingOn` without a query (the common case: every received
 * change asks). The mirror is dropped with the store's other caches
 * (`forget`: a rollback, another connection's commit).
 */
import type Database from "better-sqlite3";
import type { PendingEntry } from "../crdt/ReplicaStore";
import { idColumn, type IdValue } from "./idColumn";

interface PendingRow {
  id: IdValue;
  bytes: Buffer;
  missing: IdValue;
}

function statements(db: Database.Database) {
  return {
    has: db.prepare<[IdValue], { one: number }>("SELECT 1 AS one FROM pending WHERE id = ?"),
    get: db.prepare<[IdValue], PendingRow>("SELECT id, bytes, missing FROM pending WHERE id = ?"),
    insert: db.prepare<[IdValue, Buffer, IdValue]>("INSERT INTO pending (id, bytes, missing) VALUES (?, ?, ?)"),
    delete: db.prepare<[IdValue]>("DELETE FROM pending WHERE id = ?"),
    addWait: db.prepare<[IdValue, IdValue]>("INSERT OR IGNORE INTO pending_waits (dep, id) VALUES (?, ?)"),
    dropWait: db.prepare<[IdValue, IdValue]>("DELETE FROM pending_waits WHERE dep = ? AND id = ?"),
    waitingOn: db.prepare<[IdValue], IdValue>("SELECT id FROM pending_waits WHERE dep = ?").pluck(),
    oldest: db.prepare<[], PendingRow>("SELECT id, bytes, missing FROM pending ORDER BY arrival LIMIT 1"),
    totals: db.prepare<[], { count: number; bytes: number }>("SELECT count, bytes FROM pending_totals WHERE only = 1"),
    adjustTotals: db.prepare<[number, number]>("UPDATE pending_totals SET count = count + ?, bytes = bytes + ? WHERE only = 1"),
  };
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const fromRow = (row: PendingRow): PendingEntry => ({
  id: idColumn.decode(row.id),
  bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
  missing: idColumn.decodeList(row.missing),
});

export class SqlitePendingQueue {
  private readonly q: ReturnType<typeof statements>;
  private totals: { count: number; bytes: number } | null = null;

  /**
   * @param atomically runs several statements as one (the store's transaction, or as they are inside one)
   * @param beforeRead drops the store's caches if another connection committed (outside a transaction)
   */
  constructor(
    db: Database.Database,
    private readonly atomically: (fn: () => void) => void,
    private readonly beforeRead: () => void,
  ) {
    this.q = statements(db);
  }

  forget(): void {
    this.totals = null;
  }

  has(id: string): boolean {
    return this.size().count > 0 && this.q.has.get(idColumn.encode(id)) !== undefined;
  }
  get(id: string): PendingEntry | undefined {
    const row = this.q.get.get(idColumn.encode(id));
    return row ? fromRow(row) : undefined;
  }
  put(entry: PendingEntry): void {
    this.atomically(() => {
      this.delete(entry.id); // re-queueing moves it to the back, like the memory store
      const id = idColumn.encode(entry.id);
      this.q.insert.run(id, toBuffer(entry.bytes), idColumn.encodeList(entry.missing));
      for (const dep of entry.missing) this.q.addWait.run(idColumn.encode(dep), id);
      this.q.adjustTotals.run(1, entry.bytes.length);
      this.totals = null;
    });
  }
  delete(id: string): void {
    const entry = this.get(id);
    if (!entry) return;
    this.atomically(() => {
      const key = idColumn.encode(id);
      this.q.delete.run(key);
      for (const dep of entry.missing) this.q.dropWait.run(idColumn.encode(dep), key);
      this.q.adjustTotals.run(-1, -entry.bytes.length);
      this.totals = null;
    });
  }
  /** Ids waiting for `dep`, in hex order. */
  waitingOn(dep: string): string[] {
    if (this.size().count === 0) return [];
    return idColumn.decodeSorted(this.q.waitingOn.all(idColumn.encode(dep)));
  }
  oldest(): PendingEntry | undefined {
    const row = this.q.oldest.get();
    return row ? fromRow(row) : undefined;
  }
  size(): { count: number; bytes: number } {
    this.beforeRead();
    if (this.totals === null) {
      const row = this.q.totals.get();
      this.totals = { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
    }
    return { ...this.totals };
  }
}
