/**
 * A replica of one workspace's pipeline document: receives signed changes
 * (local or remote), delivers them causally, validates, applies, and tells
 * listeners. All state lives in the injected `ReplicaStore`.
 *
 * Invariants:
 * - Receiving is idempotent: a known change is reported `duplicate` and
 *   changes nothing.
 * - A change is applied only after all its deps are applied; until then it
 *   waits in a queue bounded by count AND bytes (oldest dropped, logged).
 * - A rejected change is never recorded as delivered, so it never releases
 *   its dependents (they stay pending until the bound drops them).
 * - Validity depends only on the change and its causal past (see
 *   validateChange); the local wall clock only advances the local HLC.
 * - Equivocation (two valid changes with one author+seq) is accepted as two
 *   DAG branches — rejecting "the second seen" would depend on arrival order
 *   — and the author is flagged (`equivocators()`) and logged.
 * - Each receive/commit runs in one store transaction; listeners run after it.
 */
import type { Logger } from "../node/Logger";
import { canonicalJson } from "./canonicalJson";
import { ApiFailure } from "../../src-shared/ApiError";
import { changeSchema, type Change, type Op, type SignedChange } from "./Change";
import { changeBody, changeIdOf, decodeChange, MAX_CHANGE_BYTES, signChange, WIRE_VERSION } from "./changeCodec";
import type { ChangeReducer } from "./ChangeReducer";
import { applyChange } from "./applyChange";
import { Ed25519Verifier } from "./Ed25519Verifier";
import { hlcReceive, hlcSend, maxHlc, ZERO_HLC, type Hlc } from "./Hlc";
import type { Signer } from "./Identity";
import { MemoryReplicaStore } from "./MemoryReplicaStore";
import type { ReplicaStore } from "./ReplicaStore";
import { toStory, type StoryRecord } from "./StoryRecord";
import { inCausalPast, validateChange } from "./validateChange";

export type ReceiveStatus = "applied" | "duplicate" | "pending" | "rejected";

export interface ReceiveResult {
  status: ReceiveStatus;
  reason?: string;
  /** The change's id when it could be computed. */
  id?: string;
  /** Changes applied by this call: this one and any dependents it released. */
  applied: string[];
  /** Stories whose state changed. */
  storyIds: string[];
}

export interface AppliedEvent {
  local: boolean;
  changeIds: string[];
  /** Wire bytes of those changes, in application order (for broadcast). */
  changes: Uint8Array[];
  storyIds: string[];
}

export interface PendingLimits {
  maxCount: number;
  maxBytes: number;
}

export interface ReplicaOptions {
  workspace: string;
  signer: Signer;
  logger: Logger;
  store?: ReplicaStore;
  now?: () => number;
  pendingLimits?: PendingLimits;
  /** State folded from the same changes beside the board (see ChangeReducer). */
  reducers?: readonly ChangeReducer[];
}

interface Batch {
  applied: string[];
  changes: Uint8Array[];
  /** Story ids touched, in order, with repeats (a slice per receive is O(its own work)). */
  storyIds: string[];
  /** Pending changes dropped for room (logged once per batch: a flood of orphans is not a flood of lines). */
  dropped: number;
  /** Quiet batches: released dependents that proved invalid (one line per batch; nobody else counts them). */
  releasedRejected: number;
}

const newBatch = (): Batch => ({ applied: [], changes: [], storyIds: [], dropped: 0, releasedRejected: 0 });
const uniqueSorted = (ids: readonly string[]): string[] => [...new Set(ids)].sort();

const DROP_REPORT_MS = 10_000;

export const DEFAULT_PENDING_LIMITS: PendingLimits = { maxCount: 10_000, maxBytes: 64 * 1024 * 1024 };

export class Replica {
  readonly workspace: string;
  readonly author: string;
  private readonly signer: Signer;
  private readonly store: ReplicaStore;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly limits: PendingLimits;
  private readonly verifier = new Ed25519Verifier();
  private readonly listeners = new Set<(event: AppliedEvent) => void>();
  private readonly reducers: readonly ChangeReducer[];
  private droppedUnreported = 0;
  private droppedReportedAt = -Infinity;

  constructor(options: ReplicaOptions) {
    this.workspace = options.workspace;
    this.signer = options.signer;
    this.author = options.signer.publicKey;
    this.store = options.store ?? new MemoryReplicaStore();
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.limits = options.pendingLimits ?? DEFAULT_PENDING_LIMITS;
    this.reducers = options.reducers ?? [];
  }

  /** Subscribes to applied changes (local and remote); returns an unsubscribe. */
  onApplied(listener: (event: AppliedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  heads(): string[] {
    return [...this.store.heads()];
  }

  getChange(id: string): Uint8Array | undefined {
    return this.store.getChangeBytes(id);
  }

  hasChange(id: string): boolean {
    return this.store.hasChange(id);
  }

  /** Highest applied seq per author. */
  authorSeqs(): Map<string, number> {
    return this.store.authorSeqs();
  }

  /** Ids of applied changes by `author` at `seq` (several only if it equivocated). */
  changesBySeq(author: string, seq: number): string[] {
    return this.store.changesBySeq(author, seq);
  }

  equivocators(): string[] {
    return this.store.equivocators();
  }

  pendingSize(): { count: number; bytes: number } {
    return this.store.pendingSize();
  }

  story(id: string): StoryRecord | undefined {
    return this.store.getStory(id);
  }

  stories(): StoryRecord[] {
    return this.store.allStories();
  }

  /** The clock the next local change would get at least (claim expiry is judged with it). */
  nextClock(): Hlc {
    return hlcSend(this.maxKnownClock(), this.now());
  }

  /** Canonical JSON of the whole document: byte-identical on converged replicas. */
  canonicalState(): string {
    const stories = this.store
      .allStories()
      .map((rec) => ({ ...toStory(rec), deleted: rec.deleted !== null }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return canonicalJson({ heads: this.heads(), stories });
  }

  receive(input: Uint8Array | SignedChange): ReceiveResult {
    return this.receiveBatch([input])[0]!;
  }

  /**
   * Receives many changes in one transaction and one listener event.
   * `quiet`: the caller accounts for the rejections it gets back (sync counts
   * and rate-limits them per link), so they are not logged here one by one;
   * dependents released from the pending queue that prove invalid (sent
   * earlier, maybe by someone else) are summed in one line per batch.
   */
  receiveBatch(inputs: readonly (Uint8Array | SignedChange)[], options: { quiet?: boolean } = {}): ReceiveResult[] {
    const batch = newBatch();
    const quiet = options.quiet ?? false;
    const results = this.store.transaction(() => inputs.map((input) => this.receiveOne(input, batch, quiet)));
    this.reportDropped(batch.dropped);
    if (batch.releasedRejected > 0) this.logger.warn("crdt: changes released from the pending queue rejected", { count: batch.releasedRejected });
    this.emit(batch, false);
    return results;
  }

  /** Makes, signs and applies one local change; returns it and the stories it changed. */
  commit(ops: Op[]): { change: SignedChange; storyIds: string[] } {
    const { changes, storyIds } = this.commitMany([ops]);
    return { change: changes[0]!, storyIds };
  }

  /**
   * Makes, signs and applies several local changes (each depending on the
   * one before) in ONE transaction and one listener event: how a write too
   * large for one change (a change must fit a sync frame) stays atomic.
   */
  commitMany(opLists: readonly Op[][]): { changes: SignedChange[]; storyIds: string[] } {
    const batch = newBatch();
    const signed = this.store.transaction(() => opLists.map((ops) => this.commitOne(ops, batch)));
    this.emit(batch, true);
    return { changes: signed, storyIds: uniqueSorted(batch.storyIds) };
  }

  private commitOne(ops: Op[], batch: Batch): SignedChange {
    const deps = [...this.store.heads()].sort();
    let seq = 1;
    for (const d of deps) seq = Math.max(seq, (this.store.getChangeMeta(d)?.vec[this.author] ?? 0) + 1);
    const clock = this.nextClock();
    const draft: Change = { v: 1, workspace: this.workspace, author: this.author, seq, deps, clock, ops };
    // Checked against the same schema peers use, so we never apply what they would refuse.
    const parsed = changeSchema.safeParse(draft);
    if (!parsed.success) throw new ApiFailure("invalid_input", `invalid change: ${parsed.error.issues[0]?.message ?? "shape"}`);
    const made = signChange(parsed.data, this.signer);
    // Peers refuse (and sync frames cannot carry) a larger change.
    if (made.bytes.length > MAX_CHANGE_BYTES) {
      throw new ApiFailure("too_large", `this edit encodes to ${made.bytes.length} bytes; one change holds at most ${MAX_CHANGE_BYTES}`);
    }
    const outcome = this.integrate(made, batch, true);
    // A local change that fails validation is a bug in the caller, not input to log.
    if (outcome.status !== "applied") throw new Error(`local change rejected: ${outcome.reason ?? "?"}`);
    return made;
  }

  private receiveOne(input: Uint8Array | SignedChange, batch: Batch, quiet: boolean): ReceiveResult {
    const before = batch.applied.length;
    const storiesBefore = batch.storyIds.length;
    const result = this.receiveInner(input, batch, quiet);
    return {
      ...result,
      applied: batch.applied.slice(before),
      storyIds: uniqueSorted(batch.storyIds.slice(storiesBefore)),
    };
  }

  private receiveInner(input: Uint8Array | SignedChange, batch: Batch, quiet: boolean): Omit<ReceiveResult, "applied" | "storyIds"> {
    const decoded = input instanceof Uint8Array ? decodeChange(input) : fromObject(input);
    if (!decoded.ok) return this.reject(undefined, decoded.reason, quiet);
    const signed = decoded.value;
    if (this.store.hasChange(signed.id)) return { status: "duplicate", id: signed.id, reason: "already applied" };
    if (this.store.hasPending(signed.id)) return { status: "duplicate", id: signed.id, reason: "already pending" };
    if (signed.change.workspace !== this.workspace) return this.reject(signed.id, "wrong workspace", quiet);
    if (!this.verifier.verify(signed.sig, Buffer.from(signed.id, "hex"), signed.change.author)) {
      return this.reject(signed.id, "bad signature", quiet);
    }
    const missing = signed.change.deps.filter((d) => !this.store.hasChange(d));
    if (missing.length > 0) return this.enqueue(signed, missing, batch);
    return this.integrate(signed, batch, false, quiet);
  }

  /** Validates and applies a change whose deps are all applied, then releases its dependents. */
  private integrate(first: SignedChange, batch: Batch, local: boolean, quiet = false): { status: ReceiveStatus; id: string; reason?: string } {
    const outcome = this.applyOne(first, batch, local, quiet);
    if (outcome.status !== "applied") return outcome;
    const ready = [first.id];
    while (ready.length > 0) {
      const dep = ready.pop()!;
      for (const waiting of this.store.pendingWaitingOn(dep)) {
        const entry = this.store.getPending(waiting);
        if (!entry) continue;
        const decoded = decodeChange(entry.bytes);
        if (!decoded.ok) {
          this.store.deletePending(waiting);
          continue;
        }
        if (!decoded.value.change.deps.every((d) => this.store.hasChange(d))) continue;
        this.store.deletePending(waiting);
        const released = this.applyOne(decoded.value, batch, false, quiet);
        if (released.status === "applied") ready.push(waiting);
        else if (quiet) batch.releasedRejected++;
      }
    }
    return outcome;
  }

  private applyOne(signed: SignedChange, batch: Batch, local: boolean, quiet = false): { status: ReceiveStatus; id: string; reason?: string } {
    const { id, change } = signed;
    const valid = validateChange(this.store, id, change);
    if (!valid.ok) return local ? { status: "rejected", id, reason: valid.reason } : this.reject(id, valid.reason, quiet);
    // valid.vec already counts this change; its own author's chain below it is the past.
    const past = (x: string): boolean => {
      const meta = this.store.getChangeMeta(x);
      if (meta === undefined || (meta.author === change.author && meta.seq >= change.seq)) return false;
      return inCausalPast(this.store, change.deps, valid.vec, x);
    };
    for (const reducer of this.reducers) {
      const reason = reducer.validate(id, change, past);
      if (reason !== null) return local ? { status: "rejected", id, reason } : this.reject(id, reason, quiet);
    }
    const result = applyChange(id, change, (s) => this.store.getStory(s));
    for (const rec of result.records) this.store.putStory(rec);
    for (const reducer of this.reducers) reducer.apply(id, change);
    if (this.store.changesBySeq(change.author, change.seq).length > 0) {
      this.store.flagEquivocation(change.author);
      this.logger.warn("crdt: author equivocated (two changes with one seq); keeping both branches", {
        author: change.author,
        seq: change.seq,
        id,
      });
    }
    this.store.putChange({ id, author: change.author, seq: change.seq, clock: change.clock, deps: change.deps, vec: valid.vec }, signed.bytes);
    const deps = new Set(change.deps);
    this.store.setHeads([...this.store.heads().filter((h) => !deps.has(h)), id].sort());
    this.store.setClock(local ? change.clock : hlcReceive(this.store.clock(), change.clock, this.now()));
    batch.applied.push(id);
    batch.changes.push(signed.bytes);
    batch.storyIds.push(...result.storyIds);
    return { status: "applied", id };
  }

  private enqueue(signed: SignedChange, missing: string[], batch: Batch): { status: ReceiveStatus; id: string; reason?: string } {
    const size = signed.bytes.length;
    if (size > this.limits.maxBytes) return this.reject(signed.id, "larger than the pending queue");
    for (;;) {
      const { count, bytes } = this.store.pendingSize();
      if (count < this.limits.maxCount && bytes + size <= this.limits.maxBytes) break;
      const oldest = this.store.oldestPending();
      if (!oldest) break;
      this.store.deletePending(oldest.id);
      batch.dropped++;
    }
    this.store.putPending({ id: signed.id, bytes: signed.bytes, missing });
    return { status: "pending", id: signed.id, reason: `waiting for ${missing.length} dep(s)` };
  }

  /**
   * Pending changes dropped for room are logged at most every 10 s, with the
   * count since the last line: a peer flooding orphans (changes whose deps
   * never come) must not flood the log. Drops after the last line are
   * counted into the next one.
   */
  private reportDropped(dropped: number): void {
    if (dropped === 0) return;
    this.droppedUnreported += dropped;
    const now = this.now();
    if (now - this.droppedReportedAt < DROP_REPORT_MS) return;
    this.logger.warn("crdt: pending change dropped", { dropped: this.droppedUnreported, reason: "pending queue full", ...this.limits });
    this.droppedUnreported = 0;
    this.droppedReportedAt = now;
  }

  private reject(id: string, reason: string, quiet?: boolean): { status: ReceiveStatus; id: string; reason: string };
  private reject(id: string | undefined, reason: string, quiet?: boolean): { status: ReceiveStatus; id?: string; reason: string };
  private reject(id: string | undefined, reason: string, quiet = false): { status: ReceiveStatus; id?: string; reason: string } {
    if (!quiet) this.logger.warn("crdt: change rejected", { id, reason });
    return id === undefined ? { status: "rejected", reason } : { status: "rejected", id, reason };
  }

  private maxKnownClock(): Hlc {
    let clock = this.store.clock();
    for (const h of this.store.heads()) clock = maxHlc(clock, this.store.getChangeMeta(h)?.clock ?? ZERO_HLC);
    return clock;
  }

  private emit(batch: Batch, local: boolean): void {
    if (batch.applied.length === 0) return;
    const event: AppliedEvent = { local, changeIds: batch.applied, changes: batch.changes, storyIds: uniqueSorted(batch.storyIds) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error("crdt: applied-listener threw", { err });
      }
    }
  }
}

/** A `SignedChange` handed over as an object: recompute its id and bytes; never trust them. */
function fromObject(input: SignedChange): { ok: true; value: SignedChange } | { ok: false; reason: string } {
  let body: Uint8Array;
  try {
    body = changeBody(input.change);
  } catch {
    return { ok: false, reason: "change is not encodable" };
  }
  if (changeIdOf(body) !== input.id) return { ok: false, reason: "hash mismatch" };
  if (input.sig.length !== 64) return { ok: false, reason: "bad signature length" };
  const bytes = new Uint8Array(65 + body.length);
  bytes[0] = WIRE_VERSION;
  bytes.set(input.sig, 1);
  bytes.set(body, 65);
  return decodeChange(bytes); // re-validates the shape with zod
}
