/**
 * The receiving half of a PeerLink: applies frames in arrival order, a chunk
 * per event-loop turn, and runs the reconciliation steps driven by the
 * peer's control messages (sync → plan our catch-up for it; plan/ready →
 * progress; ready → ask for anything still missing with `need`).
 *
 * Invariants:
 * - at most `maxRecvQueueBytes` of received frames wait here; above that the
 *   socket is paused until half of it is applied (memory stays bounded
 *   whatever the peer sends; changes whose deps never come sit in the
 *   replica's own bounded pending queue);
 * - invalid changes cost the peer its link: past `maxRejectedChanges`
 *   rejections (duplicates and pending changes are not invalid) the link
 *   closes with 4009 and ONE summary line counts them by reason; before
 *   that the first `MAX_LOGGED_REJECTS` are logged one by one (the replica
 *   is told not to log them: this is the one place that does, per link);
 * - `need` rounds and `need` answers are bounded per connection, and an id is
 *   requested at most once, so a lying peer cannot make us loop;
 * - a peer's vector is trusted only for what *we* send it: if it lies it
 *   merely misses changes; it can never make us apply anything unverified;
 * - planning an answer (to `sync` or `need`) runs in TimeSlicer slices;
 *   meanwhile this link's later frames wait (in order, still bounded), so
 *   the protocol sees the same sequence as if planning were instant;
 * - the apply chunk adapts towards `APPLY_BUDGET_MS` per turn (at most
 *   `applyChunk` changes): a SQLite-backed replica pays an fsync per batch,
 *   and the cost per change varies with the machine.
 */
import { decodeChange } from "../crdt/changeCodec";
import type { ReceiveResult } from "../crdt/Replica";
import type { PeerHost } from "./PeerHost";
import type { PeerLink } from "./PeerLink";
import { SyncCloseCode } from "./SyncCloseCode";
import { MAX_NEED_IDS, type SyncMessage, type SyncMessageOf } from "./SyncMessage";
import { planCatchUp, planNeed } from "./planCatchUp";
import { TimeSlicer } from "./TimeSlicer";

type Inbound = { kind: "control"; message: SyncMessage } | { kind: "changes"; changes: Uint8Array[]; bytes: number; at?: number };

const MAX_LOGGED_REJECTS = 5;
/** Distinct rejection reasons counted per link (reasons name ids; the rest count as "other"). */
const MAX_REJECT_REASONS = 8;
/** Target time of one turn of applying received changes (the design allows ~50 ms per block). */
const APPLY_BUDGET_MS = 20;
/** First apply chunk, before any measurement: small, because cold code is slow. */
const FIRST_APPLY_CHUNK = 32;

export class LinkReceiver {
  bytesIn = 0;
  changesIn = 0;
  gotReady = false;
  catchUp: { expected: number; received: number } | null = null;
  readonly peerVec = new Map<string, number>();
  readonly peerHeads = new Set<string>();
  private readonly queue: Inbound[] = [];
  private queuedBytes = 0;
  private paused = false;
  private scheduled = false;
  private stopped = false;
  /** A plan (for `sync` or `need`) is being computed; frames after it wait. */
  private planning = false;
  private readonly abort = new AbortController();
  private chunk = FIRST_APPLY_CHUNK;
  private synced = false;
  private needRounds = 0;
  private needsAnswered = 0;
  private readonly requested = new Set<string>();
  private readonly pendingDeps = new Set<string>();
  private pendingLooked = 0;
  private readonly counts = { applied: 0, duplicate: 0, pending: 0, rejected: 0 };
  private readonly rejectReasons = new Map<string, number>();

  constructor(
    private readonly link: PeerLink,
    private readonly host: PeerHost,
  ) {}

  push(item: Inbound): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (item.kind === "changes") this.queuedBytes += item.bytes;
    if (!this.paused && this.queuedBytes > this.host.limits.maxRecvQueueBytes) {
      this.paused = true;
      this.link.pauseSocket();
      this.link.log.debug("sync: receive queue full, pausing the socket", { bytes: this.queuedBytes });
    }
    this.schedule();
  }

  /** Frames received and not yet applied, or a plan being computed. */
  busy(): boolean {
    return this.queue.length > 0 || this.planning;
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.drain();
      } catch (err) {
        this.link.log.error("sync: applying frames failed", { err });
        this.link.close(SyncCloseCode.badFrame, "internal error applying frames");
      }
    });
  }

  private drain(): void {
    let budget = Math.min(this.chunk, this.host.limits.applyChunk);
    const started = performance.now();
    let applied = 0;
    while (!this.stopped && !this.planning && budget > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === "control") {
        this.queue.shift();
        this.control(head.message);
        budget--;
        continue;
      }
      const at = head.at ?? 0;
      const slice = head.changes.slice(at, at + budget);
      head.at = at + slice.length;
      budget -= slice.length;
      applied += slice.length;
      if (head.at >= head.changes.length) {
        this.queue.shift();
        this.queuedBytes -= head.bytes;
      }
      this.applyChanges(slice);
    }
    if (applied >= 8) {
      // Halfway towards the size that would have taken the budget: quick to adapt, slow to oscillate.
      const ideal = (applied * APPLY_BUDGET_MS) / Math.max(1, performance.now() - started);
      this.chunk = Math.round(Math.max(8, Math.min(this.host.limits.applyChunk, (this.chunk + ideal) / 2)));
    }
    if (this.stopped) return;
    if (this.paused && this.queuedBytes <= this.host.limits.maxRecvQueueBytes / 2) {
      this.paused = false;
      this.link.resumeSocket();
    }
    if (this.queue.length > 0 && !this.planning) this.schedule();
  }

  /** Runs a plan in slices; frames queued after it wait until it is done. A failure drops the link. */
  private plan(what: string, work: (slicer: TimeSlicer) => Promise<void>): void {
    this.planning = true;
    work(new TimeSlicer(this.host.limits.planSliceMs, this.abort.signal))
      .catch((err: unknown) => {
        if (this.stopped) return; // the link closed meanwhile: nothing to send, nothing to read
        this.link.log.error(`sync: planning ${what} failed`, { err });
        this.link.close(SyncCloseCode.badFrame, `internal error planning ${what}`);
      })
      .finally(() => {
        this.planning = false;
        if (!this.stopped) this.schedule();
      });
  }

  private applyChanges(changes: Uint8Array[]): void {
    const results = this.link.apply(changes);
    this.changesIn += changes.length;
    results.forEach((r, i) => this.tally(r, changes[i]!));
    if (this.counts.rejected > this.host.limits.maxRejectedChanges) return this.dropForInvalid();
    if (this.catchUp) this.catchUp.received = Math.min(this.catchUp.expected, this.catchUp.received + changes.length);
    this.host.linkChanged(this.link);
  }

  private tally(r: ReceiveResult, bytes: Uint8Array): void {
    this.counts[r.status]++;
    if (r.status === "rejected") {
      const reason = (r.reason ?? "?").slice(0, 120);
      const key = this.rejectReasons.has(reason) || this.rejectReasons.size < MAX_REJECT_REASONS ? reason : "other";
      this.rejectReasons.set(key, (this.rejectReasons.get(key) ?? 0) + 1);
      if (this.counts.rejected <= MAX_LOGGED_REJECTS) this.link.log.warn("sync: change from peer rejected", { id: r.id, reason: r.reason });
    }
    // Decoding costs; look at a bounded number of pending changes per round.
    if (r.status === "pending" && this.pendingDeps.size < MAX_NEED_IDS && this.pendingLooked++ < MAX_NEED_IDS) {
      const d = decodeChange(bytes);
      if (d.ok) for (const dep of d.value.change.deps) if (!this.host.replica.hasChange(dep)) this.pendingDeps.add(dep);
    }
  }

  /** One summary line, then the link closes: frames still queued are dropped unread. */
  private dropForInvalid(): void {
    const limit = this.host.limits.maxRejectedChanges;
    this.link.log.warn("sync: peer sent too many invalid changes", {
      rejected: this.counts.rejected,
      limit,
      byReason: Object.fromEntries(this.rejectReasons),
      applied: this.counts.applied,
      duplicate: this.counts.duplicate,
      pending: this.counts.pending,
    });
    this.link.close(SyncCloseCode.invalidChanges, `more than ${limit} invalid changes`);
  }

  private control(m: SyncMessage): void {
    switch (m.t) {
      case "sync":
        return this.onSync(m);
      case "plan":
        this.catchUp = { expected: (this.catchUp?.expected ?? 0) + m.count, received: this.catchUp?.received ?? 0 };
        this.host.linkChanged(this.link);
        return;
      case "ready":
        return this.onReady();
      case "need":
        return this.onNeed(m.ids);
      default:
        this.link.close(SyncCloseCode.badFrame, `unexpected ${m.t}`);
    }
  }

  private onSync(m: SyncMessageOf<"sync">): void {
    if (this.synced) return this.link.close(SyncCloseCode.badFrame, "second sync on one connection");
    this.synced = true;
    for (const [author, seq] of m.vec) this.peerVec.set(author, Math.max(seq, this.peerVec.get(author) ?? 0));
    for (const h of m.heads) this.peerHeads.add(h);
    const peerForks = new Map(m.forks ?? []);
    const me = this.host.identity.publicKey;
    this.host.noteDelivered(this.peerVec.get(me) ?? 0);
    // The vector now is what the plan covers; what is applied while it is computed is held as live.
    const upTo = this.host.replica.authorSeqs();
    this.link.beginCatchUp();
    this.plan("catch-up", async (slicer) => {
      const ids = await planCatchUp(this.host.replica, this.peerVec, { slicer, upTo, peerForks });
      this.sendBatch(ids, upTo.get(me));
      this.link.endCatchUp(ids);
      this.link.log.info("sync: catch-up planned", { sending: ids.length, peerAuthors: this.peerVec.size, peerHeads: this.peerHeads.size });
      this.link.updateState();
    });
  }

  private sendBatch(ids: string[], ownSeq: number | undefined): void {
    this.link.control({ t: "plan", count: ids.length });
    this.link.send.catchUp(ids, ownSeq);
    this.link.control({ t: "ready" });
  }

  private onReady(): void {
    const got = this.catchUp?.received ?? 0;
    this.catchUp = null;
    this.gotReady = true;
    this.link.log.info("sync: catch-up received", { received: got, ...this.counts });
    const wanted = [...this.peerHeads, ...this.pendingDeps]
      .filter((id) => !this.host.replica.hasChange(id) && !this.requested.has(id))
      .slice(0, MAX_NEED_IDS);
    this.pendingDeps.clear();
    this.pendingLooked = 0;
    if (wanted.length > 0) {
      if (this.needRounds >= this.host.limits.maxNeedRounds) {
        this.link.log.warn("sync: still missing changes after the last need round", { missing: wanted.length });
      } else {
        this.needRounds++;
        for (const id of wanted) this.requested.add(id);
        this.link.log.info("sync: asking for missing changes", { ids: wanted.length, round: this.needRounds });
        this.link.control({ t: "need", ids: wanted });
      }
    }
    this.link.updateState();
  }

  private onNeed(ids: string[]): void {
    if (this.needsAnswered >= this.host.limits.maxNeedRounds) {
      this.link.log.warn("sync: need limit reached; answering with nothing", { ids: ids.length });
      return this.sendBatch([], undefined);
    }
    this.needsAnswered++;
    this.plan("need answer", async (slicer) => {
      const answer = await planNeed(this.host.replica, ids, this.peerVec, this.peerHeads, this.host.limits.maxNeedAnswer, slicer);
      this.link.log.info("sync: answering need", { asked: ids.length, sending: answer.length });
      this.sendBatch(answer, undefined);
    });
  }
}
