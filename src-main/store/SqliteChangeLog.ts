/**
 * The change log of `SqliteReplicaStore`: the `changes` rows, with what
 * spares them a query or a journal.
 *
 * - Metas cache: validation looks up each new change's deps, almost always
 *   changes applied moments ago. From an empty table on (a new device's
 *   catch-up) it holds every row (`complete`), so a miss is an absent
 *   change without a query, until its first eviction or `forget` (a
 *   rollback), or another connection's commit (`othersCommitted`, which the
 *   store calls when `data_version` moved; `checkOthers` asks it to look).
 * - Held rows: a row put with `hold` (a change received in a group's
 *   savepoint, see `SqliteReplicaStore.inGroup`) is kept here and inserted
 *   by `insertHeld` once the savepoint is released, outside any savepoint.
 *   Every query of `changes` here inserts them first, so no read misses
 *   one; `forget` drops them with the savepoint that rolled back.
 */
import type { ChangeMeta } from "../crdt/ReplicaStore";
import type { Hlc } from "../crdt/Hlc";
import { remember } from "../base/remember";
import type { AuthorIndex } from "./AuthorIndex";
import { bytesColumn } from "./bytesColumn";
import { idColumn } from "./idColumn";
import type { ReplicaStatements } from "./replicaStatements";
import { vecColumn } from "./vecColumn";

// Big enough that a long chain on an equivocation fork (validated back to the fork) stays in memory.
const META_CACHE_SIZE = 65_536;

type RowParams = Parameters<ReplicaStatements["putChange"]["run"]>;

const toBytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

export class SqliteChangeLog {
  private readonly metas = new Map<string, ChangeMeta>();
  private complete: boolean;
  private readonly held: RowParams[] = [];

  constructor(
    private readonly q: ReplicaStatements,
    private readonly authors: AuthorIndex,
    /** Asks the store to check for another connection's commit (outside a transaction). */
    private readonly checkOthers: () => void,
  ) {
    this.complete = (q.lastArrival.get()?.last ?? null) === null;
  }

  has(id: string): boolean {
    // Most lookups are deps: recent changes, whose metas are cached (a cached meta is an applied change).
    if (this.metas.has(id)) return true;
    if (this.knownAbsent()) return false;
    this.insertHeld();
    return this.q.hasChange.get({ id: idColumn.encode(id) }) !== undefined;
  }

  meta(id: string): ChangeMeta | undefined {
    const cached = this.metas.get(id);
    if (cached) return cached;
    if (this.knownAbsent()) return undefined;
    this.insertHeld();
    const r = this.q.getMeta.get({ id: idColumn.encode(id) });
    if (!r) return undefined;
    const meta: ChangeMeta = {
      id,
      author: this.authors.keyOf(r.author),
      seq: r.seq,
      clock: { wall: r.clock_wall, logical: r.clock_logical },
      deps: r.deps !== null ? idColumn.decodeList(r.deps) : bytesColumn.deps(r.bytes ?? Buffer.alloc(0)),
      vec: vecColumn.decode(r.vec, (idx) => this.authors.keyOf(idx)),
    };
    this.cache(meta);
    return meta;
  }

  bytes(id: string): Uint8Array | undefined {
    this.insertHeld();
    const row = this.q.getBytes.get({ id: idColumn.encode(id) });
    if (!row) return undefined;
    return this.restored(row.bytes, row.author);
  }

  /** The changes at arrivals `from`..`to` (inclusive) with their bytes, in arrival order. */
  bytesInArrival(from: number, to: number): { arrival: number; id: string; bytes: Uint8Array }[] {
    this.insertHeld();
    return this.q.bytesInArrival.all(from, to).map(([arrival, id, author, bytes]) => ({ arrival, id: idColumn.checked(id), bytes: this.restored(bytes, author) }));
  }

  private restored(stored: Buffer, author: number): Uint8Array {
    return toBytes(bytesColumn.isCut(stored) ? bytesColumn.restore(stored, this.authors.rawKeyOf(this.authors.keyOf(author))) : stored);
  }

  /** Writes (or with `hold`, holds: see the header) one change's row; returns its author's idx. */
  put(meta: ChangeMeta, bytes: Uint8Array, hold: boolean): number {
    const author = this.authors.idxOf(meta.author);
    const vec = vecColumn.encode(meta.vec, (key) => this.authors.idxOf(key));
    const { stored, cut } = bytesColumn.cut(bytes, this.authors.rawKeyOf(meta.author));
    const row: RowParams = [idColumn.encode(meta.id), author, meta.seq, meta.clock.wall, meta.clock.logical, cut ? null : idColumn.encodeList(meta.deps), vec, stored];
    if (hold) this.held.push(row);
    else this.q.putChange.run(...row);
    this.cache(meta);
    return author;
  }

  /** Inserts the held rows, in the order they were put (their arrival order). */
  insertHeld(): void {
    if (this.held.length === 0) return;
    for (const row of this.held) this.q.putChange.run(...row);
    this.held.length = 0;
  }

  /** Ids of `author`'s changes at `seq`, in arrival order. */
  bySeq(author: string, seq: number): string[] {
    const idx = this.authors.knownIdx(author);
    if (idx === undefined) return [];
    this.insertHeld();
    return this.q.bySeq.all(idx, seq).map(idColumn.decode);
  }

  keys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[] {
    const idx = this.authors.knownIdx(author);
    if (idx === undefined) return [];
    this.insertHeld();
    return this.q.keys.all(idx, from, to).map((r) => ({ id: idColumn.decode(r.id), seq: r.seq, clock: { wall: r.clock_wall, logical: r.clock_logical } }));
  }

  inArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[] {
    // Raw rows (arrays): a fresh device's plan reads every row of the log here.
    this.insertHeld();
    return this.q.arrivals.all(after, limit).map(([arrival, id, author, seq]) => ({ arrival, id: idColumn.checked(id), author: this.authors.keyOf(author), seq }));
  }

  lastArrival(): number {
    this.insertHeld();
    return this.q.lastArrival.get()?.last ?? 0;
  }

  /** Seqs at which `author` has more than one change. */
  forked(author: string): number[] {
    const idx = this.authors.knownIdx(author);
    if (idx === undefined) return [];
    this.insertHeld();
    return this.q.forked.all(idx);
  }

  /** A rollback: the cache may hold rolled-back changes, the held rows were the savepoint's. */
  forget(): void {
    this.metas.clear();
    this.complete = false;
    this.held.length = 0;
  }

  /** Another connection committed: the table may hold rows the cache has not seen. */
  othersCommitted(): void {
    this.complete = false;
  }

  private cache(meta: ChangeMeta): void {
    if (remember(this.metas, META_CACHE_SIZE, meta.id, meta)) this.complete = false;
  }

  /** A change missing from the cache is absent from the table (see the header). */
  private knownAbsent(): boolean {
    if (this.complete) this.checkOthers();
    return this.complete;
  }
}
