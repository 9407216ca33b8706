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
 *   validateChange); changes are ordered by the effective clock derived
 *   from that past (`Hlc.ts`), never by a remote claim or the local clock.
 * - A local write is always possible: more heads than a change may cite are
 *   folded by merge changes in the same transaction (`commitMany`).
 * - Equivocation (two valid changes with one author+seq) is accepted as two
 *   DAG branches — rejecting "the second seen" would depend on arrival order
 *   — and the author is flagged (`equivocators()`) and logged.
 * - Each receive/commit runs in one store transaction; listeners run after it.
 * - A change is authentic iff its own signature verifies or a validly signed
 *   change by the same author that has it in its past ends applied in the
 *   same transaction (`batchAuth.ts`); every queued change stood on its own
 *   signature.
 */
import type { Logger } from "../base/Logger";
import { canonicalJson } from "./canonicalJson";
import { ApiFailure } from "../../src-shared/ApiError";
import { CausalPast } from "./CausalPast";
import { CHANGE_VERSION, changeSchema, MAX_DEPS, type Change, type Op, type SignedChange } from "./Change";
import { ChangeEncodeError, decodeChange, MAX_CHANGE_BYTES, signChange } from "./changeCodec";
import type { ChangeReducer } from "./ChangeReducer";
import { applyChange } from "./applyChange";
import { authorTips } from "./authorTips";
import { ownSeqHeldByOthers } from "./ownSeqHeldByOthers";
import { decodeInput } from "./decodeInput";
import { nextHeads } from "./nextHeads";
import { prepareBatch, type PreparedBatch } from "./prepareBatch";
import { batchCandidates, failedVouches, provisional, Revouch, signedAt, vouchingOf, type BatchAuth, type Decoded } from "./batchAuth";
import type { VerifyPool } from "./VerifyPool";
import { SignatureChecks } from "./SignatureChecks";
import { effectiveClock, type Hlc } from "./Hlc";
import type { Signer } from "./Identity";
import { MemoryReplicaStore } from "./MemoryReplicaStore";
import { NOT_A_MEMBER } from "./Membership";
import type { ReplicaStore } from "./ReplicaStore";
import { isDeleted, type StoryRecord } from "./StoryRecord";
import { toStory } from "./toStory";
import { conflictsOf } from "./storyConflicts";
import { validateChange } from "./validateChange";

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
  /** Worker threads for `receiveBatchAsync`'s signature checks (absent: checked in this thread). */
  verifyPool?: VerifyPool;
  /**
   * The ops of the workspace's first change (its `genesis`), written before
   * the first local change of an empty replica; null when this replica did
   * not found its workspace (it joined one).
   */
  founding?: () => Op[] | null;
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
/** Sorted without repeats; one received change touches one story, usually (no Set for that). */
const uniqueSorted = (ids: readonly string[], from = 0): string[] =>
  ids.length - from <= 1 ? ids.slice(from) : [...new Set(from === 0 ? ids : ids.slice(from))].sort();

const DROP_REPORT_MS = 10_000;
export const DEFAULT_PENDING_LIMITS: PendingLimits = { maxCount: 10_000, maxBytes: 64 * 1024 * 1024 };

export class Replica {
  private workspaceId: string;
  readonly author: string;
  private readonly signer: Signer;
  private readonly store: ReplicaStore;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly limits: PendingLimits;
  private readonly listeners = new Set<(event: AppliedEvent) => void>();
  private readonly reducers: readonly ChangeReducer[];
  private readonly causal: CausalPast;
  private readonly signatures: SignatureChecks;
  private readonly founding: () => Op[] | null;
  private droppedUnreported = 0;
  private droppedReportedAt = -Infinity;

  constructor(options: ReplicaOptions) {
    this.workspaceId = options.workspace;
    this.founding = options.founding ?? (() => null);
    this.signer = options.signer;
    this.author = options.signer.publicKey;
    this.store = options.store ?? new MemoryReplicaStore();
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.limits = options.pendingLimits ?? DEFAULT_PENDING_LIMITS;
    this.reducers = options.reducers ?? [];
    this.causal = new CausalPast(this.store);
    this.signatures = new SignatureChecks(options.verifyPool, this.logger);
  }

  get workspace(): string {
    return this.workspaceId;
  }

  /** Whether nothing was ever applied or queued here (a node that may still join another workspace). */
  isEmpty(): boolean {
    const pending = this.store.pendingSize();
    return this.store.heads().length === 0 && pending.count === 0;
  }

  /** Moves an empty replica to another workspace (joining by invite); throws unless `isEmpty()`. */
  adoptWorkspace(workspace: string): void {
    if (!this.isEmpty()) throw new ApiFailure("conflict", "this node already holds a workspace; only a fresh node can join another");
    this.workspaceId = workspace;
  }

  /** Writes the workspace's genesis now if this replica founds it and is still empty (else nothing). */
  found(): void {
    if (this.store.heads().length > 0) return;
    const genesis = this.founding();
    if (!genesis) return;
    const batch = newBatch();
    this.store.transaction(() => {
      this.causal.refresh();
      this.commitDraft([], genesis, batch);
    });
    this.emit(batch, true);
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

  /** See `ReplicaStore.changeKeys`: `author`'s applied changes at seqs `from..to`, with their effective clocks. */
  changeKeys(author: string, from: number, to: number): { id: string; seq: number; clock: Hlc }[] {
    return this.store.changeKeys(author, from, to);
  }

  /** See `ReplicaStore.changesInArrival`: applied changes in application order (a topological order). */
  changesInArrival(after: number, limit: number): { arrival: number; id: string; author: string; seq: number }[] {
    return this.store.changesInArrival(after, limit);
  }
  /** See `ReplicaStore.changeBytesInArrival`. */
  changeBytesInArrival(from: number, to: number): { arrival: number; id: string; bytes: Uint8Array }[] {
    return this.store.changeBytesInArrival(from, to);
  }
  lastArrival(): number {
    return this.store.lastArrival();
  }

  equivocators(): string[] {
    return this.store.equivocators();
  }

  /** Seqs at which `author` has several applied changes (its forks), ascending. */
  forkedSeqs(author: string): number[] {
    return this.store.forkedSeqs(author);
  }

  /** See `authorTips`: the maximal changes of an equivocating `author` held here, or null above `cap`. */
  authorTips(author: string, cap: number): string[] | null {
    this.causal.refresh(); // outside a transaction: another connection may have written
    return authorTips(this.store, this.causal, author, cap);
  }

  /** Whether change `x` is one of `tips` or in their causal past (all must be applied here). */
  heldBy(tips: readonly string[], x: string): boolean {
    this.causal.refresh(); // outside a transaction: another connection may have written
    return this.causal.heldBy(tips, x);
  }

  /** See `ownSeqHeldByOthers`. */
  ownSeqHeldByOthers(): number {
    return ownSeqHeldByOthers(this.store, this.author);
  }

  pendingSize(): { count: number; bytes: number } {
    return this.store.pendingSize();
  }

  /** Ed25519 signatures this replica has checked (per-author-head authentication keeps it far below the changes received). */
  signaturesChecked(): number {
    return this.signatures.count;
  }

  story(id: string): StoryRecord | undefined {
    return this.store.getStory(id);
  }

  stories(): StoryRecord[] {
    return this.store.allStories();
  }

  /** The effective clock the next local change will get (claim expiry is judged with it). */
  nextClock(): Hlc {
    return effectiveClock({ wall: Math.floor(this.now()), logical: 0 }, this.store.heads().map((h) => this.clockOf(h)));
  }

  /** The effective clock of an applied change, undefined when it is not applied here (one store read). */
  appliedClock(id: string): Hlc | undefined {
    return this.store.getChangeMeta(id)?.clock;
  }

  /** The effective clock of an applied change (the order every replica agrees on). */
  clockOf(id: string): Hlc {
    const meta = this.store.getChangeMeta(id);
    if (!meta) throw new Error(`change ${id} is not applied`);
    return meta.clock;
  }

  /** Canonical JSON of the whole document (kept conflict values included): byte-identical on converged replicas. */
  canonicalState(): string {
    const stories = this.store
      .allStories()
      .map((rec) => ({ ...toStory(rec), deleted: isDeleted(rec), description: rec.desc?.value ?? "", conflicts: conflictsOf(rec) }))
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
    return this.applyPrepared(this.prepare(inputs, false) as PreparedBatch, options);
  }

  /**
   * `receiveBatch` in two halves: decoding and authentication now, the
   * signature checks of a large round in the replica's `verifyPool` (then
   * the result is a promise); `applyPrepared` is the one transaction.
   * Changes applied meanwhile by other calls are simply duplicates by then.
   */
  prepareBatch(inputs: readonly (Uint8Array | SignedChange)[]): PreparedBatch | Promise<PreparedBatch> {
    return this.prepare(inputs, true);
  }

  /** A peer's catch-up is applied: the store may stop waiting for more (`ReplicaStore.caughtUp`). */
  caughtUp(): void {
    this.store.caughtUp?.();
  }

  /** A run of received batches that must end durable (an import): `ReplicaStore.durableRun`. */
  durableRun(): () => void {
    return this.store.durableRun?.() ?? (() => undefined);
  }

  /** Received changes waiting their turn, in the batches they will be prepared in: each batch's author heads verified in the pool meanwhile (`Prechecks`). */
  precheck(batches: readonly (readonly Uint8Array[])[]): Promise<void> {
    return this.signatures.precheck(batches, this.workspace);
  }

  private prepare(inputs: readonly (Uint8Array | SignedChange)[], pooled: boolean): PreparedBatch | Promise<PreparedBatch> {
    const decoded = inputs.map((input) => decodeInput(input, this.workspace));
    return prepareBatch(decoded, batchCandidates(decoded, this.workspace, this.store), this.signatures.forBatch(pooled), (id) => this.store.hasChange(id));
  }

  /** The transaction of a prepared batch (see `prepareBatch`). */
  applyPrepared(prepared: PreparedBatch, options: { quiet?: boolean; durable?: boolean } = {}): ReceiveResult[] {
    return this.applyBatch(prepared.decoded, prepared.auth, options.quiet ?? false, options.durable ?? true);
  }

  /** `receiveBatch` with a large round of signature checks in worker threads (see `prepareBatch`). */
  async receiveBatchAsync(inputs: readonly (Uint8Array | SignedChange)[], options: { quiet?: boolean } = {}): Promise<ReceiveResult[]> {
    return this.applyPrepared(await this.prepareBatch(inputs), options);
  }

  /**
   * One transaction for the batch, re-run while some input accepted on a
   * voucher's word has no voucher that ended applied (see `batchAuth.ts`):
   * each re-run puts those inputs on their own signature, so the set of
   * such inputs strictly grows and the loop ends; an honest batch runs once.
   */
  private applyBatch(decoded: readonly Decoded[], auth: BatchAuth, quiet: boolean, durable: boolean): ReceiveResult[] {
    const vouching = vouchingOf(auth, this.store, this.workspace);
    const batchSize = auth.entries.length;
    for (;;) {
      const authentic = provisional(vouching, batchSize);
      authentic.forEach((ok, k) => (auth.perInput[auth.inputOf[k]!] = ok));
      const batch = newBatch();
      try {
        const results = this.store.transaction(() => {
          this.causal.refresh();
          // Nothing written since the candidates were looked up: an authenticated input is still new here.
          const fresh = this.store.writeMark() === auth.mark;
          const out = decoded.map((d, i) => this.receiveOne(d, auth.perInput[i], batch, quiet, fresh));
          const applied = new Set(batch.applied);
          const failed = failedVouches(vouching, authentic, (id) => applied.has(id), (id) => this.store.hasPending(id));
          if (failed.length > 0) throw new Revouch(failed);
          return out;
        }, { durable });
        this.reportDropped(batch.dropped);
        if (batch.releasedRejected > 0) this.logger.warn("crdt: changes released from the pending queue rejected", { count: batch.releasedRejected });
        this.emit(batch, false);
        return results;
      } catch (err) {
        if (!(err instanceof Revouch)) throw err;
        // Rolled back: these stand on their own signature from now on (checked here, rare: an attack).
        for (const k of err.entries) {
          vouching.ownOnly.add(k);
          if (vouching.verifiedOk[k] === undefined) vouching.verifiedOk[k] = this.signatures.here(signedAt(decoded, auth, k));
        }
      }
    }
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
    const signed = this.store.transaction(() => {
      this.causal.refresh();
      return opLists.map((ops) => this.commitOne(ops, batch));
    });
    this.emit(batch, true);
    return { changes: signed, storyIds: uniqueSorted(batch.storyIds) };
  }

  private commitOne(ops: Op[], batch: Batch): SignedChange {
    if (this.store.heads().length === 0) {
      const genesis = this.founding();
      if (genesis) this.commitDraft([], genesis, batch);
    }
    // A change cites at most MAX_DEPS heads; fold the rest first (see foldHeads).
    while (this.store.heads().length > MAX_DEPS) this.commitDraft(this.foldHeads(), [], batch);
    return this.commitDraft([...this.store.heads()].sort(), ops, batch);
  }

  /**
   * The deps of one merge change: MAX_DEPS heads, those holding our own
   * latest change first — a change that left it out would reuse our seq
   * (equivocate). Each merge replaces MAX_DEPS heads by one, so k heads take
   * about k / MAX_DEPS merges: the cost of a head flood is what was sent.
   */
  private foldHeads(): string[] {
    const own = (h: string): number => this.store.getChangeMeta(h)?.vec[this.author] ?? 0;
    const heads = [...this.store.heads()].sort((a, b) => own(b) - own(a) || (a < b ? -1 : a > b ? 1 : 0));
    return heads.slice(0, MAX_DEPS).sort();
  }

  private commitDraft(deps: string[], ops: Op[], batch: Batch): SignedChange {
    let seq = 1;
    for (const d of deps) seq = Math.max(seq, (this.store.getChangeMeta(d)?.vec[this.author] ?? 0) + 1);
    // Claim what the change's effective clock will be (honest claims equal it); clamped into the format.
    const eff = effectiveClock({ wall: Math.floor(this.now()), logical: 0 }, deps.map((d) => this.clockOf(d)));
    const clock = { wall: eff.wall, logical: Math.min(eff.logical, 0xffff_ffff) };
    const draft: Change = { v: CHANGE_VERSION, workspace: this.workspace, author: this.author, seq, deps, clock, ops };
    // Checked against the same schema peers use, so we never apply what they would refuse.
    const parsed = changeSchema.safeParse(draft);
    if (!parsed.success) throw new ApiFailure("invalid_input", `invalid change: ${parsed.error.issues[0]?.message ?? "shape"}`);
    let made: SignedChange;
    try {
      made = signChange(parsed.data, this.signer);
    } catch (err) {
      if (err instanceof ChangeEncodeError) throw new ApiFailure("invalid_input", `invalid change: ${err.message}`);
      throw err;
    }
    // Peers refuse (and sync frames cannot carry) a larger change.
    if (made.bytes.length > MAX_CHANGE_BYTES) {
      throw new ApiFailure("too_large", `this edit encodes to ${made.bytes.length} bytes; one change holds at most ${MAX_CHANGE_BYTES}`);
    }
    const outcome = this.integrate(made, batch, true);
    // A local change that fails validation is a bug in the caller, not input to log.
    if (outcome.status !== "applied") {
      // Not a bug when the node is not (or no longer) a member: the caller gets a typed refusal.
      if (outcome.reason === NOT_A_MEMBER) throw new ApiFailure("forbidden", "this device is not a member of the workspace (join with an invite, or ask an admin)");
      throw new Error(`local change rejected: ${outcome.reason ?? "?"}`);
    }
    return made;
  }

  private receiveOne(decoded: Decoded, authentic: boolean | undefined, batch: Batch, quiet: boolean, fresh: boolean): ReceiveResult {
    const before = batch.applied.length;
    const storiesBefore = batch.storyIds.length;
    const { status, id, reason } = this.receiveInner(decoded, authentic, batch, quiet, fresh);
    // One per received change: no spread, no slice copied twice.
    const result: ReceiveResult = { status, applied: batch.applied.slice(before), storyIds: uniqueSorted(batch.storyIds, storiesBefore) };
    if (id !== undefined) result.id = id;
    if (reason !== undefined) result.reason = reason;
    return result;
  }

  private receiveInner(decoded: Decoded, authentic: boolean | undefined, batch: Batch, quiet: boolean, fresh: boolean): Omit<ReceiveResult, "applied" | "storyIds"> {
    if (!decoded.ok) return this.reject(undefined, decoded.reason, quiet);
    const signed = decoded.value;
    // `authentic` is set only for candidates, which were neither applied nor queued (`batchCandidates`);
    // `fresh`: nothing was written since, and this batch applies a candidate at most once.
    const known = !(fresh && authentic !== undefined);
    if (known && this.store.hasChange(signed.id)) return { status: "duplicate", id: signed.id, reason: "already applied" };
    if (known && this.store.hasPending(signed.id)) return { status: "duplicate", id: signed.id, reason: "already pending" };
    if (signed.change.workspace !== this.workspace) return this.reject(signed.id, "wrong workspace", quiet);
    // Authenticated for the whole batch up front (per author head); `undefined` only for a
    // repeat inside the batch, which the checks above now report as a duplicate.
    // (Queued changes above it vouch too: `vouchingOf` walks the pending queue.)
    const ok = authentic ?? this.signatures.here(signed);
    if (!ok) return this.reject(signed.id, "bad signature", quiet);
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
        const decoded = decodeChange(entry.bytes, this.workspace);
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
    const valid = validateChange(this.store, this.causal, change);
    if (!valid.ok) return local ? { status: "rejected", id, reason: valid.reason } : this.reject(id, valid.reason, quiet);
    const past = this.pastOf(change, valid.vec);
    for (const reducer of this.reducers) {
      const reason = reducer.validate(id, change, past, valid.clock);
      if (reason !== null) return local ? { status: "rejected", id, reason } : this.reject(id, reason, quiet);
    }
    const result = applyChange(id, change, valid.clock, (s) => this.store.getStory(s), past);
    for (const rec of result.records) this.store.putStory(rec);
    for (const reducer of this.reducers) reducer.apply(id, change, valid.clock);
    if (this.store.changesBySeq(change.author, change.seq).length > 0) {
      // Logged once per author: an equivocator's every further fork would otherwise be a log line.
      if (!this.store.equivocators().includes(change.author)) {
        this.logger.warn("crdt: author equivocated (two changes with one seq); keeping both branches", { author: change.author, seq: change.seq, id });
      }
      this.store.flagEquivocation(change.author);
      this.causal.noteEquivocator(change.author);
    }
    this.store.putChange({ id, author: change.author, seq: change.seq, clock: valid.clock, deps: valid.deps, vec: valid.vec }, signed.bytes);
    this.store.setHeads(nextHeads(this.store.heads(), change.deps, id));
    batch.applied.push(id);
    batch.changes.push(signed.bytes);
    batch.storyIds.push(...result.storyIds);
    return { status: "applied", id };
  }

  /** "Is x in this change's causal past?" (valid.vec already counts the change; its own author's chain below it is the past). */
  private pastOf(change: Change, vec: Record<string, number>): (x: string) => boolean {
    return (x) => {
      const meta = this.store.getChangeMeta(x);
      if (meta === undefined || (meta.author === change.author && meta.seq >= change.seq)) return false;
      return this.causal.contains(change.deps, vec, x);
    };
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
