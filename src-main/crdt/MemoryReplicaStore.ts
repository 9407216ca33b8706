/**
 * In-memory `ReplicaStore`: the default, and the one tests use. Transactions
 * are implemented with an undo journal so a throw inside `transaction` leaves
 * the store exactly as it was (same contract as the SQLite store).
 */
import type { ChangeMeta, PendingEntry, ReplicaStore } from "./ReplicaStore";
import type { Hlc } from "./Hlc";
import type { StoryRecord } from "./StoryRecord";

type Undo = () => void;

export class MemoryReplicaStore implements ReplicaStore {
  private readonly stories = new Map<string, StoryRecord>();
  private readonly metas = new Map<string, ChangeMeta>();
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly bySeq = new Map<string, string[]>();
  /** Applied change ids in application order (`changesInArrival`: position = index + 1). */
  private readonly arrivals: string[] = [];
  private readonly maxSeq = new Map<string, number>();
  private readonly equivocating = new Set<string>();
  private readonly pending = new Map<string, PendingEntry>();
  private readonly waiting = new Map<string, Set<string>>();
  private pendingBytes = 0;
  private headIds: string[] = [];
  private journal: Undo[] | null = null;
  /** Every write records its undo: counting them marks writes. */
  private writes = 0;

  transaction<T>(fn: () => T): T {
    if (this.journal !== null) return fn(); // nested: the outer one owns rollback
    const undo: Undo[] = [];
    this.journal = undo;
    const arrivals = this.arrivals.length;
    try {
      const result = fn();
      this.journal = null;
      return result;
    } catch (err) {
      this.journal = null;
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      this.arrivals.length = arrivals;
      throw err;
    }
  }

  writeMark(): string {
    return String(this.writes);
  }

  private record(undo: Undo): void {
    this.writes++;
    this.journal?.push(undo);
  }

  private setIn<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const old = map.get(key);
    this.record(() => (had ? map.set(key, old as V) : map.delete(key)));
    map.set(key, value);
  }

  getStory(id: string): StoryRecord | undefined {
    return this.stories.get(id);
  }
  putStory(record: StoryRecord): void {
    this.setIn(this.stories, record.id, record);
  }
  allStories(): StoryRecord[] {
    return [...this.stories.values()];
  }

  hasChange(id: string): boolean {
    return this.metas.has(id);
  }
  getChangeMeta(id: string): ChangeMeta | undefined {
    return this.metas.get(id);
  }
  getChangeBytes(id: string): Uint8Array | undefined {
    return this.bytes.get(id);
  }
  putChange(meta: ChangeMeta, bytes: Uint8Array): void {
    this.setIn(this.metas, meta.id, meta);
    this.setIn(this.bytes, meta.id, bytes);
    this.arrivals.push(meta.id); // a rollback truncates it (`transaction`): no undo entry per change
    const key = `${meta.author}:${meta.seq}`;
    this.setIn(this.bySeq, key, [...(this.bySeq.get(key) ?? []), meta.id]);
    if ((this.maxSeq.get(meta.author) ?? 0) < meta.seq) this.setIn(this.maxSeq, meta.author, meta.seq);
  }
  authorSeqs(): Map<string, number> {
    return new Map(this.maxSeq);
  }
  changesBySeq(author: string, seq: number): string[] {
    return this.bySeq.get(`${author}:${seq}`) ?? [];
  }
  changeKeys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[] {
    const out: { id: string; seq: number; clock: Hlc }[] = [];
    for (let seq = from; seq <= Math.min(to, this.maxSeq.get(author) ?? 0); seq++) {
      for (const id of this.changesBySeq(author, seq)) out.push({ id, seq, clock: this.metas.get(id)!.clock });
    }
    return out;
  }
  changesInArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[] {
    return this.arrivals.slice(Math.max(0, after), Math.max(0, after) + Math.max(0, limit)).map((id, i) => {
      const meta = this.metas.get(id)!;
      return { arrival: after + i + 1, id, author: meta.author, seq: meta.seq };
    });
  }
  changeBytesInArrival(from: number, to: number): { arrival: number; id: string; bytes: Uint8Array }[] {
    const first = Math.max(1, from);
    return this.arrivals.slice(first - 1, Math.max(first - 1, to)).map((id, i) => ({ arrival: first + i, id, bytes: this.bytes.get(id)! }));
  }
  lastArrival(): number {
    return this.arrivals.length;
  }
  forkedSeqs(author: string): number[] {
    const out: number[] = [];
    for (const [key, ids] of this.bySeq) {
      if (ids.length > 1 && key.startsWith(`${author}:`)) out.push(Number(key.slice(author.length + 1)));
    }
    return out.sort((a, b) => a - b);
  }
  flagEquivocation(author: string): void {
    if (this.equivocating.has(author)) return;
    this.equivocating.add(author);
    this.record(() => this.equivocating.delete(author));
  }
  equivocators(): string[] {
    return [...this.equivocating].sort();
  }

  heads(): string[] {
    return this.headIds;
  }
  setHeads(heads: string[]): void {
    const old = this.headIds;
    this.record(() => (this.headIds = old));
    this.headIds = heads;
  }


  hasPending(id: string): boolean {
    return this.pending.has(id);
  }
  getPending(id: string): PendingEntry | undefined {
    return this.pending.get(id);
  }
  putPending(entry: PendingEntry): void {
    this.deletePending(entry.id);
    this.setIn(this.pending, entry.id, entry);
    this.adjustBytes(entry.bytes.length);
    for (const dep of entry.missing) this.waitSet(dep, entry.id, true);
  }
  deletePending(id: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.record(() => this.pending.set(id, entry)); // re-inserted last: order is best-effort after rollback
    this.pending.delete(id);
    this.adjustBytes(-entry.bytes.length);
    for (const dep of entry.missing) this.waitSet(dep, id, false);
  }
  pendingWaitingOn(dep: string): string[] {
    return [...(this.waiting.get(dep) ?? [])];
  }
  oldestPending(): PendingEntry | undefined {
    return this.pending.values().next().value;
  }
  pendingSize(): { count: number; bytes: number } {
    return { count: this.pending.size, bytes: this.pendingBytes };
  }

  private adjustBytes(delta: number): void {
    this.pendingBytes += delta;
    this.record(() => (this.pendingBytes -= delta));
  }

  private waitSet(dep: string, id: string, add: boolean): void {
    let set = this.waiting.get(dep);
    if (add) {
      if (!set) this.waiting.set(dep, (set = new Set()));
      set.add(id);
      this.record(() => set?.delete(id));
    } else if (set?.delete(id)) {
      if (set.size === 0) this.waiting.delete(dep);
      this.record(() => this.waitSet(dep, id, true));
    }
  }
}
