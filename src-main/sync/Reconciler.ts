/**
 * The protocol after the handshake, as a pure state machine (the receiving
 * half of LinkMachine): the receive queue, applying in chunks, the
 * reconciliation steps driven by the peer's control messages (sync → plan
 * our catch-up for it; plan/ready → progress; ready → ask for anything still
 * missing with `need`), and our live changes held while its catch-up is
 * planned. It does no I/O: it reads the replica through the host (read-only,
 * synchronously), takes time as arguments, and emits LinkActions.
 *
 * Invariants:
 * - at most `maxRecvQueueBytes` of received frames wait here; above that it
 *   asks to pause the socket until half of it is applied (memory stays
 *   bounded whatever the peer sends; changes whose deps never come sit in the
 *   replica's own bounded pending queue);
 * - invalid changes cost the peer its link: past `maxRejectedChanges`
 *   rejections (duplicates and pending changes are not invalid) the link
 *   closes with 4009 and ONE summary line counts them by reason; before that
 *   the first `MAX_LOGGED_REJECTS` are logged one by one (the replica is told
 *   not to log them: this is the one place that does, per link);
 * - `need` rounds and `need` answers are bounded per connection, and an id is
 *   requested at most once, so a lying peer cannot make us loop;
 * - a peer's vector is trusted only for what *we* send it: if it lies it
 *   merely misses changes; it can never make us apply anything unverified;
 * - planning an answer (to `sync` or `need`) is a `plan` action; meanwhile
 *   this link's later frames wait (in order, still bounded), so the protocol
 *   sees the same sequence as if planning were instant;
 * - a peer gets live changes only after we began planning its catch-up, so
 *   every change reaches it exactly once: in the catch-up or live. Changes
 *   applied while the plan is computed are held and sent right after the
 *   catch-up, minus any the plan already carries; held bytes are bounded
 *   like the send queue (4006);
 * - the apply chunk adapts towards `APPLY_BUDGET_MS` per turn (at most
 *   `applyChunk` changes): a SQLite-backed replica pays an fsync per batch,
 *   and the cost per change varies with the machine.
 */
import { changeIdOfBytes, decodeChange } from "../crdt/changeCodec";
import type { ReceiveResult } from "../crdt/Replica";
import type { Logger } from "../base/Logger";
import type { LinkAction } from "./LinkAction";
import { SPLIT_TURN_AT, type PeerHost } from "./PeerHost";
import { SyncCloseCode } from "./SyncCloseCode";
import { MAX_NEED_IDS, type SyncMessage, type SyncMessageOf } from "./SyncMessage";
import type { PlanPart } from "./planCatchUp";

type Inbound = { kind: "control"; message: SyncMessage } | { kind: "changes"; changes: Uint8Array[]; bytes: number; at?: number; parts?: number[] };

/** What the reconciler needs from the link that owns it. */
export interface ReconcilerPort {
  logger(): Logger;
  emit(action: LinkAction): void;
  close(code: number, reason: string): void;
  /** Our catch-up is planned or theirs arrived: the link may become live. */
  progressed(): void;
}

const MAX_LOGGED_REJECTS = 5;
/** Distinct rejection reasons counted per link (reasons name ids; the rest count as "other"). */
const MAX_REJECT_REASONS = 8;
/**
 * Target time of one turn of applying received changes (the design allows ~50 ms per block). A
 * catch-up chunk runs as two event-loop turns (`SyncService.receive`: checks, then its
 * transaction, about 1:2), so the longest block is about two thirds of this — when the machine
 * is not shared: a busy neighbour stretches a turn 2–3×, which is why this is well under 50. A
 * larger chunk costs fewer signature checks (one per author head per chunk), but those run in
 * the pool now (`precheckNext`): 18 ms gave the same catch-up time as 25 and shorter blocks
 * (fresh-device benchmark, 7 runs each, alternating: longest block 36–44 ms but one loaded run
 * at 64, against 31–66).
 */
const APPLY_BUDGET_MS = 18;
/** Frames prechecked ahead of the chunk handed out: the pool's answers must be in before their turn (it shares a core). */
const PRECHECK_AHEAD = 2;
/** First apply chunk, before any measurement: small, because cold code is slow. */
const FIRST_APPLY_CHUNK = 32;

export class Reconciler {
  changesIn = 0;
  gotReady = false;
  catchUp: { expected: number; received: number } | null = null;
  /** Accepts live changes (its catch-up is being planned, or was). */
  live = false;
  readonly peerVec = new Map<string, number>();
  readonly peerHeads = new Set<string>();
  private readonly queue: Inbound[] = [];
  private queuedBytes = 0;
  private paused = false;
  private stopped = false;
  /** A plan (for `sync` or `need`) is being computed; frames after it wait. */
  private planning: "catch-up" | "need answer" | null = null;
  /** The turn in progress (between `drain` and the end of its budget), and the changes handed out to apply. */
  private turn: { budget: number; started: number; applied: number } | null = null;
  private applying: Uint8Array[] | null = null;
  private chunk = FIRST_APPLY_CHUNK;
  private synced = false;
  private needRounds = 0;
  private needsAnswered = 0;
  private readonly requested = new Set<string>();
  private readonly pendingDeps = new Set<string>();
  private pendingLooked = 0;
  private readonly counts = { applied: 0, duplicate: 0, pending: 0, rejected: 0 };
  private readonly rejectReasons = new Map<string, number>();
  /** Live changes applied while this peer's catch-up is being planned (null when not planning it). */
  private held: { changes: readonly Uint8Array[]; ownSeq: number | undefined }[] | null = null;
  private heldBytes = 0;
  /** Our vector when the catch-up plan began (its own-seq marks delivery), and the size of the `need` being answered. */
  private planUpTo: ReadonlyMap<string, number> | null = null;
  /** A catch-up plan sent while it is computed (`plannedPart`): the count announced, ids sent, and the latest part, held back. */
  private streamed: { announced: number; sent: number; last: { ids: string[]; arrivals?: number[] } | null } | null = null;
  private needAsked = 0;

  constructor(
    private readonly port: ReconcilerPort,
    private readonly host: Pick<PeerHost, "replica" | "identity" | "limits">,
  ) {}

  /** Live changes go out now (catch-up planned, held ones sent) and the peer's catch-up arrived. */
  get settled(): boolean {
    return this.live && this.held === null && this.gotReady;
  }

  push(item: Inbound): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (item.kind === "changes") this.queuedBytes += item.bytes;
    if (!this.paused && this.queuedBytes > this.host.limits.maxRecvQueueBytes) {
      this.paused = true;
      this.port.emit({ t: "pause" });
      this.port.logger().debug("sync: receive queue full, pausing the socket", { bytes: this.queuedBytes });
    }
    if (this.turn === null) this.port.emit({ t: "drainLater" });
  }

  /** Frames received and not yet applied, or a plan being computed. */
  busy(): boolean {
    return this.queue.length > 0 || this.planning !== null;
  }

  stop(): void {
    this.stopped = true;
    this.live = false;
    this.held = null;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  /** One turn of applying: up to the adaptive chunk of changes and control messages. `now` in ms (monotonic). */
  drain(now: number): void {
    if (this.stopped || this.turn !== null) return;
    this.turn = { budget: Math.min(this.chunk, this.host.limits.applyChunk), started: now, applied: 0 };
    this.continueTurn(now);
  }

  /** The results of the last `apply` action, in order. */
  applied(results: readonly ReceiveResult[], now: number): void {
    const changes = this.applying;
    this.applying = null;
    if (changes === null || this.stopped) return;
    this.changesIn += changes.length;
    results.forEach((r, i) => this.tally(r, changes[i]!));
    if (this.counts.rejected > this.host.limits.maxRejectedChanges) this.dropForInvalid();
    else {
      if (this.catchUp) this.catchUp.received = Math.min(this.catchUp.expected, this.catchUp.received + changes.length);
      this.port.emit({ t: "changed" });
    }
    this.continueTurn(now);
  }

  /** Live changes applied here (local or relayed): sent, held while planning, or dropped before its sync. */
  sendLive(changes: readonly Uint8Array[], ownSeq: number | undefined): void {
    if (!this.live || this.stopped || changes.length === 0) return;
    if (this.held === null) return this.port.emit({ t: "changes", changes, ownSeq });
    this.held.push({ changes, ownSeq });
    for (const c of changes) this.heldBytes += c.length;
    // The same bound as the send queue: a plan that outlasts that much traffic means this link cannot keep up.
    if (this.heldBytes > this.host.limits.maxQueuedBytes) this.port.close(SyncCloseCode.lagging, "peer lags: live changes held during planning over the bound");
  }

  /** The plan asked for is computed: `ids` in delivery order. */
  planned(ids: string[]): void {
    const what = this.planning;
    this.planning = null;
    if (this.stopped || what === null) return;
    if (what === "catch-up") {
      const ownSeq = this.planUpTo?.get(this.host.identity.publicKey);
      const streamed = this.streamed;
      this.streamed = null;
      if (streamed === null) this.sendBatch(ids, ownSeq);
      else {
        // The parts sent were a prefix of `ids`; the count was announced first (a surplus is added: counts add up).
        if (ids.length > streamed.announced) this.port.emit({ t: "control", message: { t: "plan", count: ids.length - streamed.announced } });
        const rest = ids.slice(streamed.sent);
        // Usually the rest is the part held back, whose positions are known.
        const arrivals = streamed.last !== null && streamed.last.ids.length === rest.length ? streamed.last.arrivals : undefined;
        this.port.emit({ t: "catchUp", ids: rest, ownSeq, ...(arrivals !== undefined ? { arrivals } : {}) });
        this.port.emit({ t: "control", message: { t: "ready" } });
      }
      this.planUpTo = null;
      this.endCatchUp(ids);
      this.port.logger().info("sync: catch-up planned", { sending: ids.length, peerAuthors: this.peerVec.size, peerHeads: this.peerHeads.size });
      this.port.progressed();
    } else {
      this.port.logger().info("sync: answering need", { asked: this.needAsked, sending: ids.length });
      this.sendBatch(ids, undefined);
    }
    this.port.emit({ t: "drainLater" });
  }

  /**
   * Part of the catch-up plan being computed (`planCatchUp`'s `stream`): the
   * count goes out at once, then each part; the latest part waits for the
   * next one or for `planned`, so the catch-up's last frame still carries
   * our own seq. Live changes stay held until `planned`, as before.
   */
  plannedPart(part: PlanPart): void {
    if (this.stopped || this.planning !== "catch-up") return;
    if ("announce" in part) {
      this.streamed = { announced: part.announce, sent: 0, last: null };
      this.port.emit({ t: "control", message: { t: "plan", count: part.announce } });
      return;
    }
    const streamed = this.streamed;
    if (streamed === null) return;
    if (streamed.last !== null) {
      this.port.emit({ t: "catchUp", ...streamed.last, ownSeq: undefined });
      streamed.sent += streamed.last.ids.length;
    }
    streamed.last = part;
  }

  /** Computing the plan failed (a bug, or the store closing): the link drops. */
  planFailed(err: unknown): void {
    const what = this.planning;
    this.planning = null;
    this.streamed = null;
    if (this.stopped || what === null) return; // the link closed meanwhile: nothing to send, nothing to read
    this.port.logger().error(`sync: planning ${what} failed`, { err });
    this.port.close(SyncCloseCode.badFrame, `internal error planning ${what}`);
  }

  private continueTurn(now: number): void {
    const turn = this.turn;
    if (turn === null) return;
    while (!this.stopped && this.planning === null && turn.budget > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === "control") {
        this.queue.shift();
        this.control(head.message);
        turn.budget--;
        continue;
      }
      const at = head.at ?? 0;
      // A prechecked frame is applied in its parts, whole (`precheckNext` sized them for a turn, and verified
      // each one's heads); a part that no longer fits this turn starts the next one.
      const partEnd = head.parts?.find((end) => end > at);
      if (partEnd !== undefined && turn.applied > 0 && partEnd - at > turn.budget) break;
      const slice = head.changes.slice(at, partEnd ?? at + turn.budget);
      head.at = at + slice.length;
      turn.budget -= slice.length;
      turn.applied += slice.length;
      if (head.at >= head.changes.length) {
        this.queue.shift();
        this.queuedBytes -= head.bytes;
      }
      this.precheckNext();
      this.applying = slice;
      this.port.emit({ t: "apply", changes: slice });
      return; // continues in `applied`
    }
    this.endTurn(turn, now);
  }

  /**
   * The frames after the chunk being handed out (`PRECHECK_AHEAD`), each
   * split into the chunks it will be applied in (at the current chunk size):
   * their checks start now, in the pool while this chunk applies.
   */
  private precheckNext(): void {
    for (const next of this.queue.slice(0, PRECHECK_AHEAD)) this.precheck(next);
  }

  private precheck(next: Inbound): void {
    if (next.kind !== "changes" || next.parts !== undefined) return;
    const from = next.at ?? 0;
    const left = next.changes.length - from;
    if (left < SPLIT_TURN_AT) return; // checked and applied in one turn: nothing runs meanwhile
    const step = Math.ceil(left / Math.max(1, Math.ceil(left / Math.min(this.chunk, this.host.limits.applyChunk))));
    const ends: number[] = [];
    for (let end = from + step; end < next.changes.length; end += step) ends.push(end);
    ends.push(next.changes.length);
    next.parts = ends;
    this.port.emit({ t: "precheck", parts: ends.map((end, i) => next.changes.slice(i === 0 ? from : ends[i - 1], end)) });
  }

  private endTurn(turn: { started: number; applied: number }, now: number): void {
    this.turn = null;
    if (turn.applied >= 8) {
      // Halfway towards the size that would have taken the budget: quick to adapt, slow to oscillate.
      const ideal = (turn.applied * APPLY_BUDGET_MS) / Math.max(1, now - turn.started);
      this.chunk = Math.round(Math.max(8, Math.min(this.host.limits.applyChunk, (this.chunk + ideal) / 2)));
    }
    if (this.stopped) return;
    if (this.paused && this.queuedBytes <= this.host.limits.maxRecvQueueBytes / 2) {
      this.paused = false;
      this.port.emit({ t: "resume" });
    }
    if (this.queue.length > 0 && this.planning === null) this.port.emit({ t: "drainLater" });
  }

  private tally(r: ReceiveResult, bytes: Uint8Array): void {
    this.counts[r.status]++;
    if (r.status === "rejected") {
      const reason = (r.reason ?? "?").slice(0, 120);
      const key = this.rejectReasons.has(reason) || this.rejectReasons.size < MAX_REJECT_REASONS ? reason : "other";
      this.rejectReasons.set(key, (this.rejectReasons.get(key) ?? 0) + 1);
      if (this.counts.rejected <= MAX_LOGGED_REJECTS) this.port.logger().warn("sync: change from peer rejected", { id: r.id, reason: r.reason });
    }
    // Decoding costs; look at a bounded number of pending changes per round.
    if (r.status === "pending" && this.pendingDeps.size < MAX_NEED_IDS && this.pendingLooked++ < MAX_NEED_IDS) {
      const d = decodeChange(bytes, this.host.replica.workspace);
      if (d.ok) for (const dep of d.value.change.deps) if (!this.host.replica.hasChange(dep)) this.pendingDeps.add(dep);
    }
  }

  /** One summary line, then the link closes: frames still queued are dropped unread. */
  private dropForInvalid(): void {
    const limit = this.host.limits.maxRejectedChanges;
    this.port.logger().warn("sync: peer sent too many invalid changes", {
      rejected: this.counts.rejected,
      limit,
      byReason: Object.fromEntries(this.rejectReasons),
      applied: this.counts.applied,
      duplicate: this.counts.duplicate,
      pending: this.counts.pending,
    });
    this.port.close(SyncCloseCode.invalidChanges, `more than ${limit} invalid changes`);
  }

  private control(m: SyncMessage): void {
    switch (m.t) {
      case "sync":
        return this.onSync(m);
      case "plan":
        this.catchUp = { expected: (this.catchUp?.expected ?? 0) + m.count, received: this.catchUp?.received ?? 0 };
        this.port.emit({ t: "changed" });
        return;
      case "ready":
        return this.onReady();
      case "need":
        return this.onNeed(m.ids);
      default:
        this.port.close(SyncCloseCode.badFrame, `unexpected ${m.t}`);
    }
  }

  private onSync(m: SyncMessageOf<"sync">): void {
    if (this.synced) return this.port.close(SyncCloseCode.badFrame, "second sync on one connection");
    this.synced = true;
    for (const [author, seq] of m.vec) this.peerVec.set(author, Math.max(seq, this.peerVec.get(author) ?? 0));
    for (const h of m.heads) this.peerHeads.add(h);
    const peerForks = new Map(m.forks ?? []);
    this.port.emit({ t: "delivered", seq: this.peerVec.get(this.host.identity.publicKey) ?? 0 });
    // The vector now is what the plan covers; what is applied while it is computed is held as live.
    const upTo = this.host.replica.authorSeqs();
    this.live = true;
    this.held = [];
    this.heldBytes = 0;
    this.planUpTo = upTo;
    this.planning = "catch-up";
    this.port.emit({ t: "plan", request: { kind: "catch-up", peerVec: this.peerVec, upTo, peerForks } });
  }

  /** Queues the held live changes after the catch-up that was just queued, minus those the plan carries. */
  private endCatchUp(planned: readonly string[]): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    if (held.length === 0) return;
    const inPlan = new Set(planned);
    for (const h of held) {
      const rest = inPlan.size === 0 ? h.changes : h.changes.filter((c) => !inPlan.has(changeIdOfBytes(c, this.host.replica.workspace)));
      if (rest.length > 0) this.port.emit({ t: "changes", changes: rest, ownSeq: h.ownSeq });
    }
  }

  private sendBatch(ids: string[], ownSeq: number | undefined): void {
    this.port.emit({ t: "control", message: { t: "plan", count: ids.length } });
    this.port.emit({ t: "catchUp", ids, ownSeq });
    this.port.emit({ t: "control", message: { t: "ready" } });
  }

  private onReady(): void {
    const got = this.catchUp?.received ?? 0;
    this.catchUp = null;
    this.gotReady = true;
    this.port.emit({ t: "caughtUp" }); // dequeued behind every change of the catch-up, so all are applied
    this.port.logger().info("sync: catch-up received", { received: got, ...this.counts });
    const wanted = [...this.peerHeads, ...this.pendingDeps]
      .filter((id) => !this.host.replica.hasChange(id) && !this.requested.has(id))
      .slice(0, MAX_NEED_IDS);
    this.pendingDeps.clear();
    this.pendingLooked = 0;
    if (wanted.length > 0) {
      if (this.needRounds >= this.host.limits.maxNeedRounds) {
        this.port.logger().warn("sync: still missing changes after the last need round", { missing: wanted.length });
      } else {
        this.needRounds++;
        for (const id of wanted) this.requested.add(id);
        this.port.logger().info("sync: asking for missing changes", { ids: wanted.length, round: this.needRounds });
        this.port.emit({ t: "control", message: { t: "need", ids: wanted } });
      }
    }
    this.port.progressed();
  }

  private onNeed(ids: string[]): void {
    if (this.needsAnswered >= this.host.limits.maxNeedRounds) {
      this.port.logger().warn("sync: need limit reached; answering with nothing", { ids: ids.length });
      return this.sendBatch([], undefined);
    }
    this.needsAnswered++;
    this.needAsked = ids.length;
    this.planning = "need answer";
    this.port.emit({
      t: "plan",
      request: { kind: "need answer", ids, peerVec: this.peerVec, peerHeads: this.peerHeads, max: this.host.limits.maxNeedAnswer },
    });
  }
}
