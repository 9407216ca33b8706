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
 *     meta is right even if another process writes the file; from an empty
 *     log on (a new device's catch-up) the cache holds every change until
 *     it first evicts one, so a miss is an absent change without a query
 *     (`SqliteChangeLog`, also dropped on another connection's commit);
 *   - story records (`StoryCache`); records do change, so it is also
 *     dropped whenever `PRAGMA data_version` says another connection
 *     committed (checked at the start of every outermost transaction and
 *     every read outside one).
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
 *   closes the database or uses it directly calls `settle()` first. The
 *   change rows such a savepoint writes are inserted right after it is
 *   released, outside it (`writeHeldRows`); should that fail, the whole
 *   group rolls back, as for a failed commit.
 * - Story rows lag behind received changes (`StoryLag`): inside a group the
 *   story rows a savepoint wrote are held, not written, across savepoints
 *   and group commits, and written once no received batch came for
 *   `DRAIN_IDLE_MS` or a peer's catch-up is applied (`caughtUp`), in
 *   slices of `DRAIN_SLICE_MS` (`StoryDrainTimer`), oldest first (or at
 *   once by `settle`, which closing calls). A catch-up touches a story in
 *   many groups; each rewrite re-encoded a row that grows with the story's
 *   log. Only a batch writing at least `LAG_MIN_ROWS` rows holds them (a
 *   live change writes its row at once). While any is held, `meta` holds `STORIES_LAG_KEY`, written in the
 *   same transaction as the first held row and deleted with the last row
 *   written: a crash in between leaves the mark, and the next open rebuilds
 *   the derived tables from the log (`rederiveAfterUpgrade`). Reads see
 *   held rows first; any other write of a story supersedes its held row.
 *   The held set is bounded (`LAG_MAX`: the oldest are written beyond it).
 * - Writes made with raw SQL behind the store's back must be followed by
 *   `forgetCachedState()` (rebuild does).
 * - Schema v5 (compact log, see migrations.ts): the interface speaks hex
 *   strings, the tables keep raw ids (`idColumn`), author idxs
 *   (`AuthorIndex`, a cache dropped with the others on rollback) and binary
 *   seq vectors (`vecColumn`); the translation is here and in `SqliteChangeLog`.
 * - Orders the interface promises by id or key (heads, waiters, author
 *   seqs, equivocators) are hex-string orders, sorted here after decoding.
 */
import type Database from "better-sqlite3";
import type { ChangeMeta, PendingEntry, ReplicaStore } from "../crdt/ReplicaStore";
import type { StoryRecord } from "../crdt/StoryRecord";
import type { Hlc } from "../crdt/Hlc";
import { AuthorIndex } from "./AuthorIndex";
import { idColumn } from "./idColumn";
import { storyColumn } from "./storyColumn";
import { StoryCache } from "./StoryCache";
import { StoryLag } from "./StoryLag";
import { StoryDrainTimer } from "./StoryDrainTimer";
import { OtherCommits } from "./OtherCommits";
import { SqlitePendingQueue } from "./SqlitePendingQueue";
import { SqliteChangeLog } from "./SqliteChangeLog";
import { replicaStatements, type ReplicaStatements } from "./replicaStatements";

/** A group of received changes commits once this old (ms): its commit writes every page the group dirtied in one block (measured ≤ ~45 ms for 100 ms of catch-up here, up to 70 ms for 250 ms). */
const GROUP_MAX_MS = 100;
/** ...or when no received batch followed for this long (ms). */
const GROUP_IDLE_MS = 15;
/** Story rows held unwritten (see the header) beyond which the oldest quarter is written. */
const LAG_MAX = 16_384;
/** A received batch writing fewer story rows (live traffic) writes them at once: holding them saves nothing, and costs a drain. */
const LAG_MIN_ROWS = 16;
/** Held story rows are written once no group has been open for this long (ms)... */
const DRAIN_IDLE_MS = 30;
/** ...in transactions of at most about this long (ms), one event-loop turn apart. */
const DRAIN_SLICE_MS = 10;

/** A copy in hex-string order; the replica hands its heads over sorted already (a check, not a sort, per change). */
const sortedCopy = (ids: readonly string[]): string[] => (ids.every((id, i) => i === 0 || ids[i - 1]! < id) ? ids.slice() : [...new Set(ids)].sort());

export class SqliteReplicaStore implements ReplicaStore {
  private readonly q: ReplicaStatements;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  /** The `changes` rows, their metas cache and the rows a group's savepoint holds. */
  private readonly log: SqliteChangeLog;
  private readonly authors: AuthorIndex;
  private readonly stories: StoryCache;
  /** Other connections' commits (they make the caches stale). */
  private readonly others: OtherCommits;
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
  /** Groups rolled back, ever (see `durableRun`). */
  private groupFailures = 0;
  /** The pending queue, with its own mirror of the totals (dropped with the caches). */
  private readonly pending: SqlitePendingQueue;
  /** Story rows held unwritten (see the header), whether `meta` has the mark (null: not known), the drain's timer. */
  private readonly lag = new StoryLag();
  private lagMarked: boolean | null = null;
  /** When held story rows are written (see the header). */
  private readonly drainTimer: StoryDrainTimer;

  constructor(private readonly db: Database.Database) {
    this.q = replicaStatements(db);
    // Before what the caches conclude from the tables (no change, no story): a commit in between shows.
    this.others = new OtherCommits(db, this.q.dataVersion, () => {
      this.log.othersCommitted();
      this.stories.clear();
      this.headIds = null;
      this.maxSeqs = null;
      this.pending.forget();
    });
    this.drainTimer = new StoryDrainTimer(
      {
        pending: () => this.db.open && this.lag.size > 0,
        blocked: () => this.group !== null || this.db.inTransaction,
        slice: () => this.drain(DRAIN_SLICE_MS),
      },
      DRAIN_IDLE_MS,
    );
    this.authors = new AuthorIndex(db);
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.log = new SqliteChangeLog(this.q, this.authors, () => this.others.checkOutside());
    // No story yet (a new device): the empty cache holds every row, so a catch-up's new stories need no query.
    this.stories = new StoryCache(this.q.anyStory.get() === undefined);
    this.pending = new SqlitePendingQueue(
      db,
      (fn) => (this.db.inTransaction ? fn() : this.transaction(fn)), // inside a transaction already atomic (no savepoint)
      () => this.others.checkOutside(),
    );
  }

  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    // A failed group commit is reported to the next received batch (sync logs it and the peer
    // sends again), never to a local edit, which has nothing to do with it.
    if (options.durable === false) this.throwGroupFailure();
    // (Inside a transaction that is not the store's, a group cannot begin: a plain savepoint follows.)
    if (this.depth === 0 && options.durable === false && (this.group !== null || !this.db.inTransaction)) return this.inGroup(fn);
    // Any other writer commits an open group first: its own commit is then durable on its own.
    if (this.depth === 0) this.commitGroup();
    // Inside a transaction the plain call opens a savepoint; outside, IMMEDIATE.
    const outer = !this.db.inTransaction;
    if (!outer) this.flush(); // the savepoint's rollback must not take earlier writes with it
    this.depth++;
    this.lag.begin();
    try {
      const result = outer
        ? (this.tx.immediate(() => {
            this.others.check(); // under the write lock: nobody else commits until we do
            const result = fn();
            this.flush();
            return result;
          }) as T)
        : (this.tx(fn) as T);
      this.lag.commit();
      return result;
    } catch (err) {
      this.lag.rollback();
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
      this.others.check(); // under the write lock, as in `transaction`
      this.group = { opened: performance.now(), timer: null };
      this.lag.begin(); // the group's frame: a failed group commit puts back what it held
    }
    const group = this.group;
    this.depth++;
    this.lag.begin();
    try {
      const result = this.tx(() => {
        const result = fn();
        this.flush(true); // heads and seqs written in the savepoint; story rows held (see the header), change rows below
        return result;
      }) as T;
      this.lag.commit();
      this.writeHeldRows(group);
      return result;
    } catch (err) {
      if (this.group === group) {
        this.lag.rollback();
        this.forgetCachedState(); // the savepoint rolled back; what the group wrote before it is in the tables
      }
      throw err;
    } finally {
      this.depth--;
      if (group.timer !== null) clearTimeout(group.timer);
      if (this.group === group) { // (not when abandoned: see `writeHeldRows`)
        const wait = performance.now() - group.opened >= GROUP_MAX_MS ? 0 : GROUP_IDLE_MS;
        group.timer = setTimeout(() => this.commitGroup(), wait);
        this.drainTimer.batchReceived();
      }
    }
  }

  /**
   * Commits an open group and writes every held story row now (see the
   * header). Called before closing the database and by anyone about to use
   * it directly; never throws (see `commitGroup`; rows that cannot be
   * written stay marked, and the next open rebuilds them from the log).
   */
  settle(): void {
    this.commitGroup();
    this.drainTimer.cancel();
    try {
      this.drain(Infinity);
    } catch {
      // The mark stays committed: the next open rebuilds the rows from the log.
    }
  }

  /** A peer's catch-up is applied (`ReplicaStore.caughtUp`): the group commits and held story rows are written from the next turns on, without waiting out the pauses (`StoryDrainTimer`); not in this turn, whose batch and a commit on top would make one long block. */
  caughtUp(): void {
    if (!this.db.open) return;
    const group = this.group;
    if (group !== null) {
      if (group.timer !== null) clearTimeout(group.timer);
      group.timer = null;
      setImmediate(() => {
        if (this.group === group) this.commitGroup(); // (not if committed meanwhile; no transaction spans turns but a group)
      });
    }
    this.drainTimer.caughtUp(); // its first step comes after the commit (immediates run in order)
  }

  /** `ReplicaStore.durableRun`: in WAL a FULL commit's fsync makes every earlier commit durable, so the end commits the group, then one FULL write. */
  durableRun(): () => void {
    const failures = this.groupFailures;
    const mark = this.writeMark();
    return () => {
      this.commitGroup();
      if (this.groupFailures !== failures) throw new Error("committing received changes failed; they were rolled back");
      if (this.writeMark() !== mark) this.transaction(() => this.q.markDurable.run(String(this.log.lastArrival())));
    };
  }

  /**
   * Commits an open group now (see `inGroup`); never throws: a failed commit
   * rolls the group back (its changes are fetched again from peers) and the
   * next non-durable transaction (received changes) reports the error.
   */
  private commitGroup(): void {
    const group = this.group;
    if (group === null) return;
    this.group = null;
    if (group.timer !== null) clearTimeout(group.timer);
    if (!this.db.open) return; // closed without settling: SQLite rolled the group back
    try {
      this.flush(); // nothing held after a savepoint; a write made outside one may be
      this.q.commit.run();
      this.lag.commit();
      this.drainTimer.schedule();
    } catch (err) {
      this.groupFailure = err;
      this.abandonGroup(group);
    } finally {
      if (this.db.open) this.setSynchronous("FULL");
    }
  }

  /**
   * Inserts the change rows a group's savepoint held once it is released,
   * outside it: in a savepoint SQLite journals the first write to each page
   * (a chunk's random ids touch most id-index leaves), ~2 µs more per row
   * here. A failure leaves applied changes without rows: the whole group
   * rolls back (as a failed commit does; peers send it again).
   */
  private writeHeldRows(group: NonNullable<typeof this.group>): void {
    try {
      this.log.insertHeld();
    } catch (err) {
      this.abandonGroup(group);
      if (this.db.open) this.setSynchronous("FULL");
      throw new Error("writing received changes failed; their group was rolled back (peers send them again)", { cause: err });
    }
  }

  /** Rolls back a group that cannot commit whole (see `commitGroup`, `writeHeldRows`). */
  private abandonGroup(group: NonNullable<typeof this.group>): void {
    this.groupFailures++;
    if (this.group === group) this.group = null;
    if (group.timer !== null) clearTimeout(group.timer);
    this.lag.rollback();
    try {
      if (this.db.inTransaction) this.q.rollback.run();
    } catch {
      // Nothing more to undo here: SQLite rolls back an unfinished transaction itself.
    }
    this.forgetCachedState();
  }

  /** One transaction writing held story rows, oldest first, for up to `budgetMs`; the mark goes with the last. */
  private drain(budgetMs: number): void {
    if (!this.db.open || this.group !== null || (this.lag.size === 0 && this.lagMarked !== true)) return;
    const start = performance.now();
    this.setSynchronous("NORMAL"); // rows derived from committed changes: a power cut leaves the mark
    try {
      this.transaction(() => {
        while (this.lag.size > 0 && performance.now() - start < budgetMs) {
          for (const record of this.lag.oldest(64)) this.writeStory(record);
        }
        if (this.lag.size === 0 && this.isLagMarked()) {
          this.q.unmarkLag.run();
          this.lagMarked = false;
        }
      });
    } finally {
      this.setSynchronous("FULL");
    }
  }

  private isLagMarked(): boolean {
    this.lagMarked ??= this.q.lagMarked.get() !== undefined;
    return this.lagMarked;
  }

  private writeStory(record: StoryRecord): void {
    this.q.putStory.run(record.id, storyColumn.encode(record, this.idxOf));
    this.lag.release(record.id);
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
    this.log.forget(); // its metas, and the change rows a savepoint held
    this.stories.clear();
    this.headIds = null;
    this.maxSeqs = null;
    this.pending.forget();
    this.lagMarked = null;
    this.dropDirty();
    this.authors.forget(); // an author added by a rolled-back write must not keep its idx
  }

  private get writeBehind(): boolean {
    return this.depth > 0;
  }

  /** Writes what the write-behind holds (see the header); change rows too unless a group's savepoint ends (see `inGroup`). */
  private flush(holdRows = false): void {
    if (!holdRows) this.log.insertHeld();
    if (this.dirtyStories.size >= LAG_MIN_ROWS && this.group !== null) {
      // A received catch-up chunk: the rows lag (see the header), marked in the same transaction.
      for (const record of this.dirtyStories.values()) this.lag.hold(record);
      if (!this.isLagMarked()) {
        this.q.markLag.run();
        this.lagMarked = true;
      }
      if (this.lag.size > LAG_MAX) for (const record of this.lag.oldest(LAG_MAX >> 2)) this.writeStory(record);
    } else {
      for (const record of this.dirtyStories.values()) this.writeStory(record);
    }
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

  /** Lookups a caller re-checks before acting on them (`ReplicaStore.reading`): other connections' commits are looked for once. */
  reading<T>(fn: () => T): T {
    return this.others.reading(fn);
  }

  writeMark(): string {
    // Rows this connection wrote (rolled back or not: it only grows), and what other connections committed.
    // Writes held by the write-behind are counted apart (they are rows only once flushed).
    return `${this.q.totalChanges.get()!}:${this.q.dataVersion.get()!}:${this.heldWrites}`;
  }

  getStory(id: string): StoryRecord | undefined {
    this.others.checkOutside();
    const cached = this.dirtyStories.get(id) ?? this.lag.get(id) ?? this.stories.get(id);
    if (cached) return cached;
    if (this.stories.holdsAll) return undefined; // every row is cached: absent
    const row = this.q.getStory.get(id);
    if (!row) return undefined;
    const record = storyColumn.decode(id, row.record, this.keyOf);
    this.stories.set(record);
    return record;
  }
  putStory(record: StoryRecord): void {
    if (this.writeBehind) {
      this.dirtyStories.set(record.id, record);
      this.heldWrites++;
    }
    else this.writeStory(record);
    this.stories.set(record);
  }
  allStories(): StoryRecord[] {
    this.others.checkOutside();
    const cached = this.stories.all();
    if (cached) return cached;
    this.flush(); // the query below reads the table
    let all = this.q.allStories.all().map((r) => storyColumn.decode(r.id, r.record, this.keyOf));
    if (this.lag.size > 0) {
      // Held rows are newer than the table's (and some are not in it yet).
      const byId = new Map(all.map((r) => [r.id, r]));
      for (const record of this.lag.values()) byId.set(record.id, record);
      all = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    this.stories.fill(all);
    return all;
  }

  hasChange(id: string): boolean {
    return this.log.has(id);
  }
  getChangeMeta(id: string): ChangeMeta | undefined {
    return this.log.meta(id);
  }
  getChangeBytes(id: string): Uint8Array | undefined {
    return this.log.bytes(id);
  }
  putChange(meta: ChangeMeta, bytes: Uint8Array): void {
    // In a group's savepoint (see `inGroup`) the row is held until the savepoint is released.
    const hold = this.group !== null && this.depth > 0;
    const author = this.log.put(meta, bytes, hold);
    if (hold) this.heldWrites++;
    const seqs = this.seqIndex();
    if ((seqs.get(meta.author) ?? 0) >= meta.seq) return;
    seqs.set(meta.author, meta.seq);
    if (!this.writeBehind) return void this.q.raiseSeq.run(author, meta.seq);
    this.dirtySeqs.add(meta.author);
    this.heldWrites++;
  }
  changesBySeq(author: string, seq: number): string[] {
    // Above the author's max seq there is nothing to find (the common case: a new change).
    if ((this.seqIndex().get(author) ?? 0) < seq) return [];
    return this.log.bySeq(author, seq);
  }
  changeKeys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[] {
    return this.log.keys(author, from, to);
  }
  changesInArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[] {
    return this.log.inArrival(after, limit);
  }
  changeBytesInArrival(from: number, to: number): { arrival: number; id: string; bytes: Uint8Array }[] {
    return this.log.bytesInArrival(from, to);
  }
  lastArrival(): number {
    return this.log.lastArrival();
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
    this.others.checkOutside();
    if (this.maxSeqs === null) {
      const rows = this.q.authorSeqs.all().map((r): [string, number] => [idColumn.decode(r.key), r.max_seq]);
      this.maxSeqs = new Map(rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    }
    return this.maxSeqs;
  }
  forkedSeqs(author: string): number[] {
    return this.log.forked(author);
  }
  flagEquivocation(author: string): void {
    this.q.flag.run(this.authors.idxOf(author));
  }
  equivocators(): string[] {
    return idColumn.decodeSorted(this.q.equivocators.all());
  }

  heads(): string[] {
    this.others.checkOutside();
    this.headIds ??= idColumn.decodeSorted(this.q.heads.all());
    return [...this.headIds];
  }
  setHeads(heads: string[]): void {
    const old = this.heads();
    if (this.writeBehind) {
      // Remembers the table's heads at the first change; the flush writes the difference.
      this.storedHeads ??= new Set(old);
      this.headIds = sortedCopy(heads);
      this.heldWrites++;
      return;
    }
    // A diff, not a rewrite: a change usually replaces one or two heads.
    const next = new Set(heads);
    const had = new Set(old);
    this.transaction(() => {
      for (const h of old) if (!next.has(h)) this.q.dropHead.run(idColumn.encode(h));
      for (const h of next) if (!had.has(h)) this.q.addHead.run(idColumn.encode(h));
      this.headIds = sortedCopy(heads);
    });
  }

  hasPending(id: string): boolean {
    return this.pending.has(id);
  }
  getPending(id: string): PendingEntry | undefined {
    return this.pending.get(id);
  }
  putPending(entry: PendingEntry): void {
    this.pending.put(entry);
  }
  deletePending(id: string): void {
    this.pending.delete(id);
  }
  pendingWaitingOn(dep: string): string[] {
    return this.pending.waitingOn(dep);
  }
  oldestPending(): PendingEntry | undefined {
    return this.pending.oldest();
  }
  pendingSize(): { count: number; bytes: number } {
    return this.pending.size();
  }
}
