/**
 * `ReplicaStore` on SQLite (better-sqlite3): the change log, the indexes the
 * replica keeps (heads, per-author max seq, equivocators, pending queue) and
 * the materialized story rows, all in one database, so one transaction
 * covers everything one batch writes (design Invariant 4). Opening a
 * workspace reads the rows; nothing is replayed.
 *
 * Invariants:
 * - `transaction(fn)`: the outermost call is `BEGIN IMMEDIATE` (takes the
 *   write lock up front, so two writers queue instead of failing at
 *   upgrade); nested calls become savepoints (better-sqlite3 does that for a
 *   transaction function called inside another). fn must be synchronous —
 *   better-sqlite3 throws if it returns a promise.
 * - Every value returned is freshly decoded from its row, so callers may not
 *   corrupt the store by mutating it.
 * - Prepared statements belong to the instance (no module-level state).
 * - Two read caches, both cleared when a transaction (or savepoint) throws,
 *   so nothing rolled back lingers:
 *   - change metas (validation looks up each new change's deps, almost
 *     always recent ones); a change is immutable under its hash, so a cached
 *     meta is right even if another process writes the file;
 *   - story records (each ingested change re-reads the story it touches,
 *     and every local create and board read scans all stories: once the
 *     whole table has been read and fits, `allStories` is served from
 *     memory); records do change, so this cache is also dropped whenever
 *     `PRAGMA data_version` says another connection committed (checked at
 *     the start of every outermost transaction and every read outside one).
 *   Handing out the cached object is within the `ReplicaStore` contract:
 *   callers never mutate what `get*` returns, and `put*` hands ownership over.
 * - Two small indexes mirrored in memory, with the same invalidation as the
 *   story cache (rollback, another connection's commit): the heads and the
 *   per-author max seq. Every applied change reads both (heads to replace
 *   its deps; the max seq to tell a new seq from a fork without a query).
 * - Writes made with raw SQL behind the store's back must be followed by
 *   `forgetCachedState()` (rebuild does).
 */
import type Database from "better-sqlite3";
import type { ChangeMeta, PendingEntry, ReplicaStore } from "../crdt/ReplicaStore";
import type { StoryRecord } from "../crdt/StoryRecord";

interface ChangeRow {
  id: string;
  author: string;
  seq: number;
  clock_wall: number;
  clock_logical: number;
  deps: string;
  vec: string;
}

interface PendingRow {
  id: string;
  bytes: Buffer;
  missing: string;
}

// Big enough that a long chain on an equivocation fork (validated back to the fork) stays in memory.
const META_CACHE_SIZE = 65_536;
/** Above this many stories the table is no longer held in memory (about 1 KB each). */
const STORY_CACHE_SIZE = 50_000;

/** A Map used as a bounded cache: insertion order, oldest evicted first. Returns whether it evicted. */
function remember<V>(cache: Map<string, V>, cap: number, key: string, value: V): boolean {
  const evict = cache.size >= cap && !cache.has(key);
  if (evict) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return evict;
}

function prepare(db: Database.Database) {
  return {
    getStory: db.prepare<[string], { record: string }>("SELECT record FROM stories WHERE id = ?"),
    putStory: db.prepare<[string, string]>("INSERT INTO stories (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record"),
    allStories: db.prepare<[], { record: string }>("SELECT record FROM stories ORDER BY id"),
    hasChange: db.prepare<[string], { one: number }>("SELECT 1 AS one FROM changes WHERE id = ?"),
    getMeta: db.prepare<[string], ChangeRow>("SELECT id, author, seq, clock_wall, clock_logical, deps, vec FROM changes WHERE id = ?"),
    getBytes: db.prepare<[string], { bytes: Buffer }>("SELECT bytes FROM changes WHERE id = ?"),
    putChange: db.prepare<[string, string, number, number, number, string, string, Buffer]>(
      "INSERT INTO changes (id, author, seq, clock_wall, clock_logical, deps, vec, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    raiseSeq: db.prepare<[string, number]>(
      "INSERT INTO author_seqs (author, max_seq) VALUES (?, ?) ON CONFLICT (author) DO UPDATE SET max_seq = max(max_seq, excluded.max_seq)",
    ),
    bySeq: db.prepare<[string, number], { id: string }>("SELECT id FROM changes WHERE author = ? AND seq = ? ORDER BY arrival"),
    authorSeqs: db.prepare<[], { author: string; max_seq: number }>("SELECT author, max_seq FROM author_seqs ORDER BY author"),
    forked: db.prepare<[string], { seq: number }>("SELECT seq FROM changes WHERE author = ? GROUP BY seq HAVING count(*) > 1 ORDER BY seq"),
    flag: db.prepare<[string]>("INSERT OR IGNORE INTO equivocators (author) VALUES (?)"),
    equivocators: db.prepare<[], { author: string }>("SELECT author FROM equivocators ORDER BY author"),
    heads: db.prepare<[], { id: string }>("SELECT id FROM heads ORDER BY id"),
    addHead: db.prepare<[string]>("INSERT OR IGNORE INTO heads (id) VALUES (?)"),
    dropHead: db.prepare<[string]>("DELETE FROM heads WHERE id = ?"),
    hasPending: db.prepare<[string], { one: number }>("SELECT 1 AS one FROM pending WHERE id = ?"),
    getPending: db.prepare<[string], PendingRow>("SELECT id, bytes, missing FROM pending WHERE id = ?"),
    insertPending: db.prepare<[string, Buffer, string]>("INSERT INTO pending (id, bytes, missing) VALUES (?, ?, ?)"),
    deletePending: db.prepare<[string]>("DELETE FROM pending WHERE id = ?"),
    addWait: db.prepare<[string, string]>("INSERT OR IGNORE INTO pending_waits (dep, id) VALUES (?, ?)"),
    dropWait: db.prepare<[string, string]>("DELETE FROM pending_waits WHERE dep = ? AND id = ?"),
    waitingOn: db.prepare<[string], { id: string }>("SELECT id FROM pending_waits WHERE dep = ? ORDER BY id"),
    oldestPending: db.prepare<[], PendingRow>("SELECT id, bytes, missing FROM pending ORDER BY arrival LIMIT 1"),
    pendingTotals: db.prepare<[], { count: number; bytes: number }>("SELECT count, bytes FROM pending_totals WHERE only = 1"),
    adjustTotals: db.prepare<[number, number]>("UPDATE pending_totals SET count = count + ?, bytes = bytes + ? WHERE only = 1"),
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
  };
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const toBytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

export class SqliteReplicaStore implements ReplicaStore {
  private readonly q: ReturnType<typeof prepare>;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly metas = new Map<string, ChangeMeta>();
  private readonly stories = new Map<string, StoryRecord>();
  /** True while `stories` holds every row of the table. */
  private storiesComplete = false;
  private dataVersion = -1;
  private headIds: string[] | null = null;
  private maxSeqs: Map<string, number> | null = null;

  constructor(private readonly db: Database.Database) {
    this.q = prepare(db);
    this.tx = db.transaction((fn: () => unknown) => fn());
  }

  transaction<T>(fn: () => T): T {
    // Inside a transaction the plain call opens a savepoint; outside, IMMEDIATE.
    try {
      if (this.db.inTransaction) return this.tx(fn) as T;
      return this.tx.immediate(() => {
        this.checkDataVersion(); // under the write lock: nobody else commits until we do
        return fn();
      }) as T;
    } catch (err) {
      this.forgetCachedState();
      throw err;
    }
  }

  forgetCachedState(): void {
    this.metas.clear();
    this.stories.clear();
    this.storiesComplete = false;
    this.headIds = null;
    this.maxSeqs = null;
  }

  private checkDataVersion(): void {
    const version = this.q.dataVersion.get()!;
    if (version !== this.dataVersion) {
      this.stories.clear();
      this.storiesComplete = false;
      this.headIds = null;
      this.maxSeqs = null;
    }
    this.dataVersion = version;
  }

  getStory(id: string): StoryRecord | undefined {
    if (!this.db.inTransaction) this.checkDataVersion();
    const cached = this.stories.get(id);
    if (cached) return cached;
    const row = this.q.getStory.get(id);
    if (!row) return undefined;
    const record = JSON.parse(row.record) as StoryRecord;
    this.cacheStory(record);
    return record;
  }
  putStory(record: StoryRecord): void {
    this.q.putStory.run(record.id, JSON.stringify(record));
    this.cacheStory(record);
  }
  allStories(): StoryRecord[] {
    if (!this.db.inTransaction) this.checkDataVersion();
    if (this.storiesComplete) return [...this.stories.values()];
    const all = this.q.allStories.all().map((r) => JSON.parse(r.record) as StoryRecord);
    if (all.length <= STORY_CACHE_SIZE) {
      this.stories.clear();
      for (const record of all) this.stories.set(record.id, record);
      this.storiesComplete = true;
    }
    return all;
  }
  private cacheStory(record: StoryRecord): void {
    if (remember(this.stories, STORY_CACHE_SIZE, record.id, record)) this.storiesComplete = false;
  }

  hasChange(id: string): boolean {
    return this.q.hasChange.get(id) !== undefined;
  }
  getChangeMeta(id: string): ChangeMeta | undefined {
    const cached = this.metas.get(id);
    if (cached) return cached;
    const r = this.q.getMeta.get(id);
    if (!r) return undefined;
    const meta: ChangeMeta = {
      id: r.id,
      author: r.author,
      seq: r.seq,
      clock: { wall: r.clock_wall, logical: r.clock_logical },
      deps: JSON.parse(r.deps) as string[],
      vec: JSON.parse(r.vec) as Record<string, number>,
    };
    remember(this.metas, META_CACHE_SIZE, id, meta);
    return meta;
  }

  getChangeBytes(id: string): Uint8Array | undefined {
    const row = this.q.getBytes.get(id);
    return row ? toBytes(row.bytes) : undefined;
  }
  putChange(meta: ChangeMeta, bytes: Uint8Array): void {
    this.q.putChange.run(meta.id, meta.author, meta.seq, meta.clock.wall, meta.clock.logical, JSON.stringify(meta.deps), JSON.stringify(meta.vec), toBuffer(bytes));
    this.q.raiseSeq.run(meta.author, meta.seq);
    remember(this.metas, META_CACHE_SIZE, meta.id, meta);
    const seqs = this.seqIndex();
    if ((seqs.get(meta.author) ?? 0) < meta.seq) seqs.set(meta.author, meta.seq);
  }
  changesBySeq(author: string, seq: number): string[] {
    // Above the author's max seq there is nothing to find (the common case: a new change).
    if ((this.seqIndex().get(author) ?? 0) < seq) return [];
    return this.q.bySeq.all(author, seq).map((r) => r.id);
  }
  authorSeqs(): Map<string, number> {
    return new Map(this.seqIndex());
  }
  private seqIndex(): Map<string, number> {
    if (!this.db.inTransaction) this.checkDataVersion();
    this.maxSeqs ??= new Map(this.q.authorSeqs.all().map((r) => [r.author, r.max_seq]));
    return this.maxSeqs;
  }
  forkedSeqs(author: string): number[] {
    return this.q.forked.all(author).map((r) => r.seq);
  }
  flagEquivocation(author: string): void {
    this.q.flag.run(author);
  }
  equivocators(): string[] {
    return this.q.equivocators.all().map((r) => r.author);
  }

  heads(): string[] {
    if (!this.db.inTransaction) this.checkDataVersion();
    this.headIds ??= this.q.heads.all().map((r) => r.id);
    return [...this.headIds];
  }
  setHeads(heads: string[]): void {
    // A diff, not a rewrite: a change usually replaces one or two heads.
    const next = new Set(heads);
    const old = this.heads();
    const had = new Set(old);
    this.transaction(() => {
      for (const h of old) if (!next.has(h)) this.q.dropHead.run(h);
      for (const h of next) if (!had.has(h)) this.q.addHead.run(h);
      this.headIds = [...next].sort();
    });
  }

  hasPending(id: string): boolean {
    return this.q.hasPending.get(id) !== undefined;
  }
  getPending(id: string): PendingEntry | undefined {
    const row = this.q.getPending.get(id);
    return row ? fromPendingRow(row) : undefined;
  }
  putPending(entry: PendingEntry): void {
    this.transaction(() => {
      this.deletePending(entry.id); // re-queueing moves it to the back, like the memory store
      this.q.insertPending.run(entry.id, toBuffer(entry.bytes), JSON.stringify(entry.missing));
      for (const dep of entry.missing) this.q.addWait.run(dep, entry.id);
      this.q.adjustTotals.run(1, entry.bytes.length);
    });
  }
  deletePending(id: string): void {
    const entry = this.getPending(id);
    if (!entry) return;
    this.transaction(() => {
      this.q.deletePending.run(id);
      for (const dep of entry.missing) this.q.dropWait.run(dep, id);
      this.q.adjustTotals.run(-1, -entry.bytes.length);
    });
  }
  pendingWaitingOn(dep: string): string[] {
    return this.q.waitingOn.all(dep).map((r) => r.id);
  }
  oldestPending(): PendingEntry | undefined {
    const row = this.q.oldestPending.get();
    return row ? fromPendingRow(row) : undefined;
  }
  pendingSize(): { count: number; bytes: number } {
    const row = this.q.pendingTotals.get();
    return { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
  }
}

function fromPendingRow(row: PendingRow): PendingEntry {
  return { id: row.id, bytes: toBytes(row.bytes), missing: JSON.parse(row.missing) as string[] };
}
