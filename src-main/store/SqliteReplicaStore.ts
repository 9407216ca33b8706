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
 * - Write-behind inside the store's own transaction: story rows, heads and
 *   author seqs written by `putStory` / `setHeads` / `putChange` are held in
 *   memory (the caches above, plus dirty sets) and written once, when the
 *   outermost transaction ends — a catch-up chunk touches the same heads
 *   and seqs with every change, and the same story many times. They are
 *   also written before a savepoint opens (so a savepoint's rollback, which
 *   drops every cache and dirty set, loses only its own writes) and before
 *   any read that goes to those tables. A rollback drops them with the
 *   caches. Outside the store's transaction every write goes through.
 * - Durability per transaction: `{ durable: false }` (a batch received from
 *   a peer, which the peer sends again if it is lost) is a savepoint in a
 *   group transaction that commits with `synchronous = NORMAL` (no fsync,
 *   still atomic: WAL) within `GROUP_MAX_MS`, or before any other
 *   transaction (`inGroup`, `settle`); everything else commits alone with
 *   `FULL`, whose fsync also makes every earlier commit durable. Whoever
 *   closes the database or uses it directly calls `settle()` first.
 * - Writes made with raw SQL behind the store's back must be followed by
 *   `forgetCachedState()` (rebuild does).
 * - Schema v5 (compact log, see migrations.ts): the interface speaks hex
 *   strings, the tables keep 32-byte BLOB ids (`idColumn`), integer author
 *   idxs (`AuthorIndex`, a third cache, dropped with the others on
 *   rollback) and binary seq vectors (`vecColumn`); all the translation is
 *   here. A cold `getChangeMeta` decodes bytes, never JSON.
 * - Orders the interface promises by id or key (heads, waiters, author
 *   seqs, equivocators) are hex-string orders, sorted here after decoding.
 */
import type Database from "better-sqlite3";
import type { ChangeMeta, PendingEntry, ReplicaStore } from "../crdt/ReplicaStore";
import type { StoryRecord } from "../crdt/StoryRecord";
import type { Hlc } from "../crdt/Hlc";
import { AuthorIndex } from "./AuthorIndex";
import { idColumn, type IdValue } from "./idColumn";
import { vecColumn } from "./vecColumn";
import { bytesColumn } from "./bytesColumn";
import { storyColumn, type StoryValue } from "./storyColumn";

interface ChangeRow {
  author: number;
  seq: number;
  clock_wall: number;
  clock_logical: number;
  /** NULL when the deps are read from the cut format-2 `bytes` (bytesColumn). */
  deps: IdValue | null;
  vec: Buffer;
  bytes: Buffer | null;
}

interface PendingRow {
  id: IdValue;
  bytes: Buffer;
  missing: IdValue;
}

// Big enough that a long chain on an equivocation fork (validated back to the fork) stays in memory.
const META_CACHE_SIZE = 65_536;
/** A group of received changes commits once this old (ms): its commit writes every page the group dirtied in one block (measured ≤ ~45 ms for 100 ms of catch-up here, up to 70 ms for 250 ms). */
const GROUP_MAX_MS = 100;
/** ...or when no received batch followed for this long (ms). */
const GROUP_IDLE_MS = 15;
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
    getStory: db.prepare<[string], { record: StoryValue }>("SELECT record FROM stories WHERE id = ?"),
    putStory: db.prepare<[string, StoryValue]>("INSERT INTO stories (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record"),
    allStories: db.prepare<[], { id: string; record: StoryValue }>("SELECT id, record FROM stories ORDER BY id"),
    hasChange: db.prepare<[IdValue], { one: number }>("SELECT 1 AS one FROM changes WHERE id = ?"),
    // The bytes only when the deps live in them (no deps column): the usual format-2 row.
    getMeta: db.prepare<[IdValue], ChangeRow>("SELECT author, seq, clock_wall, clock_logical, deps, vec, CASE WHEN deps IS NULL THEN bytes END AS bytes FROM changes WHERE id = ?"),
    getBytes: db.prepare<[IdValue], { bytes: Buffer; author: number }>("SELECT bytes, author FROM changes WHERE id = ?"),
    putChange: db.prepare<[IdValue, number, number, number, number, IdValue | null, Buffer, Buffer]>(
      "INSERT INTO changes (id, author, seq, clock_wall, clock_logical, deps, vec, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    raiseSeq: db.prepare<[number, number]>(
      "INSERT INTO author_seqs (author, max_seq) VALUES (?, ?) ON CONFLICT (author) DO UPDATE SET max_seq = max(max_seq, excluded.max_seq)",
    ),
    bySeq: db.prepare<[number, number], IdValue>("SELECT id FROM changes WHERE author = ? AND seq = ? ORDER BY arrival").pluck(),
    keys: db.prepare<[number, number, number], { id: IdValue; seq: number; clock_wall: number; clock_logical: number }>(
      "SELECT id, seq, clock_wall, clock_logical FROM changes WHERE author = ? AND seq BETWEEN ? AND ? ORDER BY seq, arrival",
    ),
    arrivals: db.prepare<[number, number], { arrival: number; id: IdValue; author: number; seq: number }>(
      "SELECT arrival, id, author, seq FROM changes WHERE arrival > ? ORDER BY arrival LIMIT ?",
    ),
    lastArrival: db.prepare<[], { last: number | null }>("SELECT max(arrival) AS last FROM changes"),
    authorSeqs: db.prepare<[], { key: IdValue; max_seq: number }>("SELECT a.key, s.max_seq FROM author_seqs s JOIN authors a ON a.idx = s.author"),
    forked: db.prepare<[number], number>("SELECT seq FROM changes WHERE author = ? GROUP BY seq HAVING count(*) > 1 ORDER BY seq").pluck(),
    flag: db.prepare<[number]>("INSERT OR IGNORE INTO equivocators (author) VALUES (?)"),
    equivocators: db.prepare<[], IdValue>("SELECT a.key FROM equivocators e JOIN authors a ON a.idx = e.author").pluck(),
    heads: db.prepare<[], IdValue>("SELECT id FROM heads").pluck(),
    addHead: db.prepare<[IdValue]>("INSERT OR IGNORE INTO heads (id) VALUES (?)"),
    dropHead: db.prepare<[IdValue]>("DELETE FROM heads WHERE id = ?"),
    hasPending: db.prepare<[IdValue], { one: number }>("SELECT 1 AS one FROM pending WHERE id = ?"),
    getPending: db.prepare<[IdValue], PendingRow>("SELECT id, bytes, missing FROM pending WHERE id = ?"),
    insertPending: db.prepare<[IdValue, Buffer, IdValue]>("INSERT INTO pending (id, bytes, missing) VALUES (?, ?, ?)"),
    deletePending: db.prepare<[IdValue]>("DELETE FROM pending WHERE id = ?"),
    addWait: db.prepare<[IdValue, IdValue]>("INSERT OR IGNORE INTO pending_waits (dep, id) VALUES (?, ?)"),
    dropWait: db.prepare<[IdValue, IdValue]>("DELETE FROM pending_waits WHERE dep = ? AND id = ?"),
    waitingOn: db.prepare<[IdValue], IdValue>("SELECT id FROM pending_waits WHERE dep = ?").pluck(),
    oldestPending: db.prepare<[], PendingRow>("SELECT id, bytes, missing FROM pending ORDER BY arrival LIMIT 1"),
    pendingTotals: db.prepare<[], { count: number; bytes: number }>("SELECT count, bytes FROM pending_totals WHERE only = 1"),
    adjustTotals: db.prepare<[number, number]>("UPDATE pending_totals SET count = count + ?, bytes = bytes + ? WHERE only = 1"),
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    totalChanges: db.prepare<[], number>("SELECT total_changes()").pluck(),
  };
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const toBytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
/** Ids and keys in the order of their hex strings (what ORDER BY gave on the v4 TEXT columns). */
const sortedIds = (values: IdValue[]): string[] => values.map(idColumn.decode).sort();

export class SqliteReplicaStore implements ReplicaStore {
  private readonly q: ReturnType<typeof prepare>;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly metas = new Map<string, ChangeMeta>();
  private readonly authors: AuthorIndex;
  private readonly stories = new Map<string, StoryRecord>();
  /** True while `stories` holds every row of the table. */
  private storiesComplete = false;
  private dataVersion = -1;
  private readonly idxOf = (key: string): number => this.authors.idxOf(key);
  private readonly keyOf = (idx: number): string => this.authors.keyOf(idx);
  private headIds: string[] | null = null;
  private maxSeqs: Map<string, number> | null = null;
  /** Depth of this store's own transactions (write-behind applies only inside one). */
  private depth = 0;
  /** Write-behind (see the header): rows to write when the outermost transaction ends. */
  private readonly dirtyStories = new Map<string, StoryRecord>();
  /** The heads as the table holds them, while `headIds` differs (null: no change pending). */
  private storedHeads: Set<string> | null = null;
  private readonly dirtySeqs = new Set<string>();
  /** Writes taken by the write-behind, ever (for `writeMark`). */
  private heldWrites = 0;
  /** The open group transaction of received changes (see `inGroup`), and a failed group commit to report. */
  private group: { opened: number; timer: ReturnType<typeof setTimeout> | null } | null = null;
  private groupFailure: unknown = null;
  /** `pending_totals` mirrored (same invalidation as the caches): an empty queue answers `hasPending` without a query. */
  private pendingTotals: { count: number; bytes: number } | null = null;

  constructor(private readonly db: Database.Database) {
    this.q = prepare(db);
    this.authors = new AuthorIndex(db);
    this.tx = db.transaction((fn: () => unknown) => fn());
  }

  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    // A failed group commit is reported to the next received batch (sync logs it and the peer
    // sends again), never to a local edit, which has nothing to do with it.
    if (options.durable === false) this.throwGroupFailure();
    // (Inside a transaction that is not the store's, a group cannot begin: a plain savepoint follows.)
    if (this.depth === 0 && options.durable === false && (this.group !== null || !this.db.inTransaction)) return this.inGroup(fn);
    // Any other writer commits an open group first: its own commit is then durable on its own.
    if (this.depth === 0) this.settle();
    // Inside a transaction the plain call opens a savepoint; outside, IMMEDIATE.
    const outer = !this.db.inTransaction;
    this.depth++;
    try {
      if (!outer) {
        this.flush(); // the savepoint's rollback must not take earlier writes with it
        return this.tx(fn) as T;
      }
      return this.tx.immediate(() => {
        this.checkDataVersion(); // under the write lock: nobody else commits until we do
        const result = fn();
        this.flush();
        return result;
      }) as T;
    } catch (err) {
      this.forgetCachedState();
      throw err;
    } finally {
      this.depth--;
    }
  }

  /**
   * A non-durable transaction (received changes) is a savepoint inside a
   * group transaction that stays open across event-loop turns and commits
   * (without fsync) once it is `GROUP_MAX_MS` old, after `GROUP_IDLE_MS`
   * without another one, before any other transaction, or on `settle`:
   * a catch-up then writes each B-tree page once per group instead of once
   * per chunk of ~100 changes. The savepoint is still what one call commits
   * or rolls back; a group is never rolled back as a whole.
   */
  private inGroup<T>(fn: () => T): T {
    if (this.group === null) {
      // SQLite refuses to change it inside a transaction: set for the group's commit now, reset after it.
      this.setSynchronous("NORMAL"); // a group holds changes peers send again: no fsync
      try {
        this.q.begin.run();
      } catch (err) {
        this.setSynchronous("FULL");
        throw err;
      }
      this.checkDataVersion(); // under the write lock, as in `transaction`
      this.group = { opened: performance.now(), timer: null };
    }
    const group = this.group;
    this.depth++;
    try {
      return this.tx(() => {
        const result = fn();
        // Written inside the savepoint. Held for the whole group instead, the story rows made
        // the group's commit one long block (~30 us each, 2,000 per group) and saved little:
        // a catch-up rarely touches one story twice in a group.
        this.flush();
        return result;
      }) as T;
    } catch (err) {
      this.forgetCachedState(); // the savepoint rolled back; what the group wrote before it is in the tables
      throw err;
    } finally {
      this.depth--;
      if (group.timer !== null) clearTimeout(group.timer);
      const wait = performance.now() - group.opened >= GROUP_MAX_MS ? 0 : GROUP_IDLE_MS;
      group.timer = setTimeout(() => this.settle(), wait);
    }
  }

  /**
   * Commits an open group now (see `inGroup`). Called before closing the
   * database and by anyone about to use it directly; never throws: a failed
   * commit rolls the group back (its changes are fetched again from peers)
   * and the next non-durable transaction (received changes) reports the error.
   */
  settle(): void {
    const group = this.group;
    if (group === null) return;
    this.group = null;
    if (group.timer !== null) clearTimeout(group.timer);
    if (!this.db.open) return; // closed without settling: SQLite rolled the group back
    try {
      this.flush(); // nothing held after a savepoint; a write made outside one may be
      this.q.commit.run();
    } catch (err) {
      this.groupFailure = err;
      try {
        if (this.db.inTransaction) this.q.rollback.run();
      } catch {
        // Nothing more to undo here: SQLite rolls back an unfinished transaction itself.
      }
      this.forgetCachedState();
    } finally {
      if (this.db.open) this.setSynchronous("FULL");
    }
  }

  private throwGroupFailure(): void {
    const err = this.groupFailure;
    if (err === null) return;
    this.groupFailure = null;
    throw new Error("committing received changes failed; they were rolled back (peers send them again)", { cause: err });
  }

  /** Not a prepared statement: SQLite applies this pragma when it is compiled, not when it runs. */
  private setSynchronous(level: "NORMAL" | "FULL"): void {
    this.db.pragma(`synchronous = ${level}`);
  }

  forgetCachedState(): void {
    this.metas.clear();
    this.stories.clear();
    this.storiesComplete = false;
    this.headIds = null;
    this.maxSeqs = null;
    this.pendingTotals = null;
    this.dropDirty();
    this.authors.forget(); // an author added by a rolled-back write must not keep its idx
  }

  private get writeBehind(): boolean {
    return this.depth > 0;
  }

  /** Writes what the write-behind holds (see the header). */
  private flush(): void {
    for (const record of this.dirtyStories.values()) this.q.putStory.run(record.id, storyColumn.encode(record, this.idxOf));
    this.dirtyStories.clear();
    if (this.storedHeads !== null && this.headIds !== null) {
      const next = new Set(this.headIds);
      for (const h of this.storedHeads) if (!next.has(h)) this.q.dropHead.run(idColumn.encode(h));
      for (const h of next) if (!this.storedHeads.has(h)) this.q.addHead.run(idColumn.encode(h));
    }
    this.storedHeads = null;
    if (this.dirtySeqs.size > 0 && this.maxSeqs !== null) {
      for (const author of this.dirtySeqs) this.q.raiseSeq.run(this.authors.idxOf(author), this.maxSeqs.get(author)!);
    }
    this.dirtySeqs.clear();
  }

  private dropDirty(): void {
    this.dirtyStories.clear();
    this.storedHeads = null;
    this.dirtySeqs.clear();
  }

  private checkDataVersion(): void {
    const version = this.q.dataVersion.get()!;
    if (version !== this.dataVersion) {
      this.stories.clear();
      this.storiesComplete = false;
      this.headIds = null;
      this.maxSeqs = null;
      this.pendingTotals = null;
    }
    this.dataVersion = version;
  }

  writeMark(): string {
    // Rows this connection wrote (rolled back or not: it only grows), and what other connections committed.
    // Writes held by the write-behind are counted apart (they are rows only once flushed).
    return `${this.q.totalChanges.get()!}:${this.q.dataVersion.get()!}:${this.heldWrites}`;
  }

  getStory(id: string): StoryRecord | undefined {
    if (!this.db.inTransaction) this.checkDataVersion();
    const cached = this.dirtyStories.get(id) ?? this.stories.get(id);
    if (cached) return cached;
    const row = this.q.getStory.get(id);
    if (!row) return undefined;
    const record = storyColumn.decode(id, row.record, this.keyOf);
    this.cacheStory(record);
    return record;
  }
  putStory(record: StoryRecord): void {
    if (this.writeBehind) {
      this.dirtyStories.set(record.id, record);
      this.heldWrites++;
    }
    else this.q.putStory.run(record.id, storyColumn.encode(record, this.idxOf));
    this.cacheStory(record);
  }
  allStories(): StoryRecord[] {
    if (!this.db.inTransaction) this.checkDataVersion();
    if (this.storiesComplete) return [...this.stories.values()];
    this.flush(); // the query below reads the table
    const all = this.q.allStories.all().map((r) => storyColumn.decode(r.id, r.record, this.keyOf));
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
    // Most lookups are deps: recent changes, whose metas are cached (a cached meta is an applied change).
    return this.metas.has(id) || this.q.hasChange.get(idColumn.encode(id)) !== undefined;
  }
  getChangeMeta(id: string): ChangeMeta | undefined {
    const cached = this.metas.get(id);
    if (cached) return cached;
    const r = this.q.getMeta.get(idColumn.encode(id));
    if (!r) return undefined;
    const meta: ChangeMeta = {
      id,
      author: this.authors.keyOf(r.author),
      seq: r.seq,
      clock: { wall: r.clock_wall, logical: r.clock_logical },
      deps: r.deps !== null ? idColumn.decodeList(r.deps) : bytesColumn.deps(r.bytes ?? Buffer.alloc(0)),
      vec: vecColumn.decode(r.vec, (idx) => this.authors.keyOf(idx)),
    };
    remember(this.metas, META_CACHE_SIZE, id, meta);
    return meta;
  }

  getChangeBytes(id: string): Uint8Array | undefined {
    const row = this.q.getBytes.get(idColumn.encode(id));
    if (!row) return undefined;
    return toBytes(bytesColumn.isCut(row.bytes) ? bytesColumn.restore(row.bytes, this.authors.keyOf(row.author)) : row.bytes);
  }
  putChange(meta: ChangeMeta, bytes: Uint8Array): void {
    const author = this.authors.idxOf(meta.author);
    const vec = vecColumn.encode(meta.vec, (key) => this.authors.idxOf(key));
    const { stored, cut } = bytesColumn.cut(bytes, meta.author);
    this.q.putChange.run(idColumn.encode(meta.id), author, meta.seq, meta.clock.wall, meta.clock.logical, cut ? null : idColumn.encodeList(meta.deps), vec, stored);
    remember(this.metas, META_CACHE_SIZE, meta.id, meta);
    const seqs = this.seqIndex();
    if ((seqs.get(meta.author) ?? 0) >= meta.seq) return;
    seqs.set(meta.author, meta.seq);
    if (this.writeBehind) {
      this.dirtySeqs.add(meta.author);
      this.heldWrites++;
    }
    else this.q.raiseSeq.run(author, meta.seq);
  }
  changesBySeq(author: string, seq: number): string[] {
    // Above the author's max seq there is nothing to find (the common case: a new change).
    if ((this.seqIndex().get(author) ?? 0) < seq) return [];
    const idx = this.authors.knownIdx(author);
    return idx === undefined ? [] : this.q.bySeq.all(idx, seq).map(idColumn.decode);
  }
  changeKeys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[] {
    const idx = this.authors.knownIdx(author);
    if (idx === undefined) return [];
    return this.q.keys.all(idx, from, to).map((r) => ({ id: idColumn.decode(r.id), seq: r.seq, clock: { wall: r.clock_wall, logical: r.clock_logical } }));
  }
  changesInArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[] {
    return this.q.arrivals.all(after, limit).map((r) => ({ arrival: r.arrival, id: idColumn.decode(r.id), author: this.keyOf(r.author), seq: r.seq }));
  }
  lastArrival(): number {
    return this.q.lastArrival.get()?.last ?? 0;
  }
  authorSeqs(): Map<string, number> {
    return new Map(this.seqIndex());
  }
  /** Sets an author's highest seq as a replay found it (rebuild's replace, after clearing the table). */
  restoreAuthorSeq(author: string, seq: number): void {
    this.flush(); // the index is reloaded from the table below
    this.q.raiseSeq.run(this.authors.idxOf(author), seq);
    this.maxSeqs = null; // reloaded from the table on the next read
  }
  private seqIndex(): Map<string, number> {
    if (!this.db.inTransaction) this.checkDataVersion();
    if (this.maxSeqs === null) {
      const rows = this.q.authorSeqs.all().map((r): [string, number] => [idColumn.decode(r.key), r.max_seq]);
      this.maxSeqs = new Map(rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    }
    return this.maxSeqs;
  }
  forkedSeqs(author: string): number[] {
    const idx = this.authors.knownIdx(author);
    return idx === undefined ? [] : this.q.forked.all(idx);
  }
  flagEquivocation(author: string): void {
    this.q.flag.run(this.authors.idxOf(author));
  }
  equivocators(): string[] {
    return sortedIds(this.q.equivocators.all());
  }

  heads(): string[] {
    if (!this.db.inTransaction) this.checkDataVersion();
    this.headIds ??= sortedIds(this.q.heads.all());
    return [...this.headIds];
  }
  setHeads(heads: string[]): void {
    const old = this.heads();
    if (this.writeBehind) {
      // Remembers the table's heads at the first change; the flush writes the difference.
      this.storedHeads ??= new Set(old);
      this.headIds = [...heads].sort();
      this.heldWrites++;
      return;
    }
    // A diff, not a rewrite: a change usually replaces one or two heads.
    const next = new Set(heads);
    const had = new Set(old);
    this.transaction(() => {
      for (const h of old) if (!next.has(h)) this.q.dropHead.run(idColumn.encode(h));
      for (const h of next) if (!had.has(h)) this.q.addHead.run(idColumn.encode(h));
      this.headIds = [...next].sort();
    });
  }

  hasPending(id: string): boolean {
    return this.pendingSize().count > 0 && this.q.hasPending.get(idColumn.encode(id)) !== undefined;
  }
  getPending(id: string): PendingEntry | undefined {
    const row = this.q.getPending.get(idColumn.encode(id));
    return row ? fromPendingRow(row) : undefined;
  }
  putPending(entry: PendingEntry): void {
    this.atomically(() => {
      this.deletePending(entry.id); // re-queueing moves it to the back, like the memory store
      const id = idColumn.encode(entry.id);
      this.q.insertPending.run(id, toBuffer(entry.bytes), idColumn.encodeList(entry.missing));
      for (const dep of entry.missing) this.q.addWait.run(idColumn.encode(dep), id);
      this.q.adjustTotals.run(1, entry.bytes.length);
      this.pendingTotals = null;
    });
  }
  deletePending(id: string): void {
    const entry = this.getPending(id);
    if (!entry) return;
    this.atomically(() => {
      const key = idColumn.encode(id);
      this.q.deletePending.run(key);
      for (const dep of entry.missing) this.q.dropWait.run(idColumn.encode(dep), key);
      this.q.adjustTotals.run(-1, -entry.bytes.length);
      this.pendingTotals = null;
    });
  }
  /** Several statements as one: inside a transaction they are already atomic (no savepoint). */
  private atomically(fn: () => void): void {
    if (this.db.inTransaction) fn();
    else this.transaction(fn);
  }
  pendingWaitingOn(dep: string): string[] {
    if (this.pendingSize().count === 0) return [];
    return sortedIds(this.q.waitingOn.all(idColumn.encode(dep)));
  }
  oldestPending(): PendingEntry | undefined {
    const row = this.q.oldestPending.get();
    return row ? fromPendingRow(row) : undefined;
  }
  pendingSize(): { count: number; bytes: number } {
    if (!this.db.inTransaction) this.checkDataVersion();
    if (this.pendingTotals === null) {
      const row = this.q.pendingTotals.get();
      this.pendingTotals = { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
    }
    return { ...this.pendingTotals };
  }
}

function fromPendingRow(row: PendingRow): PendingEntry {
  return { id: idColumn.decode(row.id), bytes: toBytes(row.bytes), missing: idColumn.decodeList(row.missing) };
}
