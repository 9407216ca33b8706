/**
 * One peer's outgoing frames, in order, with a bound.
 *
 * Invariants:
 * - frames go out in the order they were queued (a catch-up is followed by
 *   the live changes committed after it was planned, so the receiver can
 *   apply each change on arrival);
 * - we write only while the socket's `bufferedAmount` is under the high-water mark;
 *   the rest waits here, where it is counted: live frames past
 *   `maxQueuedFrames`/`maxQueuedBytes` mean the peer lags → `onOverflow`
 *   (the caller disconnects it; reconnect + reconciliation catch it up);
 * - a catch-up is a cursor over change ids, read from the replica one frame
 *   at a time, so a 50,000-change catch-up never sits in memory as frames;
 *   when the plan gave the ids' positions in the log (`arrivals`), they are
 *   read as runs of rows (`loadArrivals`, up to `RUN_ROWS` at a time), and a
 *   row is used only under the id planned for its position (anything else
 *   is read by id): a lookup per id cost a fresh device's server a core
 *   for most of the catch-up, on a machine the device shares;
 * - reading it never holds the event loop for long: after `planSliceMs` of
 *   loading, the frame in hand is sent (a frame may be cut short) and the
 *   rest continues on a later turn (`pace.soon`). A full frame is up to
 *   2,500 row reads: measured 50–290 ms in one block on a loaded machine.
 */
import type { PeerSocket } from "./PeerSocket";
import { countChanges, packChanges } from "./SyncFrame";
import type { SyncLimits } from "./SyncLimits";

/** Changes loaded for one catch-up frame (~2,800 format-1 changes filled 1 MiB; format 2 would fit ~7,000). */
const MAX_CATCH_UP_FRAME_CHANGES = 2_500;

/** Rows read at most per run (a frame's worth is read in a few runs; a run beyond what the frame takes waits for the next). */
const RUN_ROWS = 512;
/** A run reads at most this many rows per id it serves (plus a few): a plan that skips most rows is read by id. */
const SPARSE = 4;

interface Cursor {
  kind: "cursor";
  ids: readonly string[];
  at: number;
  ownSeq: number | undefined;
  arrivals: readonly number[] | undefined;
  /** Bytes read ahead by a run: `ahead[k]` for the id at `aheadFrom + k` (undefined: absent). */
  ahead: (Uint8Array | undefined)[];
  aheadFrom: number;
}

type Item = { kind: "frame"; data: Buffer; ownSeq: number | undefined } | Cursor;

export interface SendQueueHooks {
  loadChange(id: string): Uint8Array | undefined;
  /** The changes at log positions `from`..`to` (inclusive) with their ids, in order (`Replica.changeBytesInArrival`). */
  loadArrivals?(from: number, to: number): readonly { arrival: number; id: string; bytes: Uint8Array }[];
  onOverflow(why: string): void;
  /** A frame carrying our own changes up to `ownSeq` was written to the socket. */
  onDelivered(ownSeq: number): void;
  onWriteError(err: Error): void;
  /** Changes over `maxFrameBytes` that could not be sent (the peer will miss them and their dependents). */
  onOversize(count: number): void;
}

/** How the queue yields between slices of a catch-up (the link's scheduler). */
export interface SendPace {
  /** Monotonic ms. */
  now(): number;
  soon(fn: () => void): void;
}

const realPace: SendPace = { now: () => performance.now(), soon: (fn) => void setImmediate(fn) };

export class SendQueue {
  bytesOut = 0;
  changesOut = 0;
  private readonly items: Item[] = [];
  private queuedFrames = 0;
  private queuedBytes = 0;
  private stopped = false;
  private resumeScheduled = false;

  constructor(
    private readonly socket: PeerSocket,
    private readonly limits: SyncLimits,
    private readonly hooks: SendQueueHooks,
    private readonly pace: SendPace = realPace,
  ) {}

  /** A control frame (never dropped, counted against the bound like any frame). */
  frame(data: Buffer, ownSeq?: number): boolean {
    if (this.stopped) return false;
    if (this.queuedFrames + 1 > this.limits.maxQueuedFrames || this.queuedBytes + data.length > this.limits.maxQueuedBytes) {
      this.stopped = true;
      this.hooks.onOverflow(`send queue full (${this.queuedFrames} frames, ${this.queuedBytes} bytes)`);
      return false;
    }
    this.items.push({ kind: "frame", data, ownSeq });
    this.queuedFrames++;
    this.queuedBytes += data.length;
    this.pump();
    return true;
  }

  /** Live changes: packed into frames now (they are already in memory). */
  changes(changes: readonly Uint8Array[], ownSeq?: number): void {
    const { frames, oversize } = packChanges(changes, this.limits.maxFrameBytes);
    if (oversize > 0) this.hooks.onOversize(oversize);
    frames.forEach((f, i) => this.frame(f, i === frames.length - 1 ? ownSeq : undefined));
  }

  /** A catch-up: ids in delivery order, loaded lazily as the socket drains (`arrivals[i]`: the log position of `ids[i]`, when known). */
  catchUp(ids: readonly string[], ownSeq?: number, arrivals?: readonly number[]): void {
    if (this.stopped || ids.length === 0) return;
    this.items.push({ kind: "cursor", ids, at: 0, ownSeq, arrivals: arrivals?.length === ids.length ? arrivals : undefined, ahead: [], aheadFrom: 0 });
    this.pump();
  }

  /** Frames (and unsent catch-up changes) still waiting here. */
  backlog(): number {
    let n = 0;
    for (const it of this.items) n += it.kind === "frame" ? 1 : it.ids.length - it.at;
    return n;
  }

  stop(): void {
    this.stopped = true;
    this.items.length = 0;
    this.queuedFrames = 0;
    this.queuedBytes = 0;
  }

  pump(): void {
    const started = this.pace.now();
    const due = (): boolean => this.pace.now() - started >= this.limits.planSliceMs;
    while (!this.stopped && this.items.length > 0 && this.socket.isOpen && this.socket.bufferedAmount < this.limits.highWaterBytes) {
      const head = this.items[0]!;
      if (head.kind === "frame") {
        this.items.shift();
        this.queuedFrames--;
        this.queuedBytes -= head.data.length;
        this.write(head.data, head.ownSeq, 0);
        continue;
      }
      const batch: Uint8Array[] = [];
      let size = 2;
      // Sized as if sent whole with a 4-byte length (an upper bound of its entry); at most
      // MAX_CATCH_UP_FRAME_CHANGES loads per frame keep one turn's work what it was for format 1.
      while (head.at < head.ids.length && batch.length < MAX_CATCH_UP_FRAME_CHANGES) {
        const bytes = this.next(head);
        if (bytes && batch.length > 0 && size + 4 + bytes.length > this.limits.maxFrameBytes) break;
        head.at++;
        if (!bytes) continue;
        batch.push(bytes);
        size += 4 + bytes.length;
        if (due()) break; // send what we have; the rest on a later turn
      }
      const done = head.at >= head.ids.length;
      if (done) this.items.shift();
      const { frames, oversize } = packChanges(batch, this.limits.maxFrameBytes);
      if (oversize > 0) this.hooks.onOversize(oversize);
      frames.forEach((f, i) => this.write(f, done && i === frames.length - 1 ? head.ownSeq : undefined, batch.length));
      if (due()) return this.resumeSoon();
    }
  }

  /** The bytes of the cursor's id at `at` (kept in `ahead` until the cursor moves past it). */
  private next(head: Cursor): Uint8Array | undefined {
    if (head.at - head.aheadFrom >= head.ahead.length) this.readAhead(head);
    const k = head.at - head.aheadFrom;
    return k < head.ahead.length ? head.ahead[k] : this.hooks.loadChange(head.ids[head.at]!);
  }

  /** A run of rows for the ids from `at` on, when their positions are known and not too sparse. */
  private readAhead(head: Cursor): void {
    const arrivals = head.arrivals;
    const load = this.hooks.loadArrivals;
    if (arrivals === undefined || load === undefined) return;
    const from = arrivals[head.at]!;
    // Ids at..end-1: positions increasing, within RUN_ROWS rows, and dense enough that a run reads at most a few rows per id.
    let end = head.at + 1;
    for (; end < arrivals.length && arrivals[end]! > arrivals[end - 1]!; end++) {
      const span = arrivals[end]! - from;
      if (span >= RUN_ROWS || span >= SPARSE * (end - head.at + 16)) break;
    }
    const rows = load(from, arrivals[end - 1]!);
    head.ahead = [];
    head.aheadFrom = head.at;
    let r = 0;
    for (let i = head.at; i < end; i++) {
      while (r < rows.length && rows[r]!.arrival < arrivals[i]!) r++;
      const row = rows[r];
      head.ahead.push(row !== undefined && row.arrival === arrivals[i] && row.id === head.ids[i] ? row.bytes : this.hooks.loadChange(head.ids[i]!));
    }
  }

  private resumeSoon(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    this.pace.soon(() => {
      this.resumeScheduled = false;
      this.pump();
    });
  }

  private write(data: Buffer, ownSeq: number | undefined, changes: number): void {
    this.bytesOut += data.length;
    this.changesOut += changes || (data[1] === 0x02 ? countChanges(data) : 0);
    this.socket.send(data, (err) => {
      if (err) {
        this.hooks.onWriteError(err);
        return;
      }
      if (ownSeq !== undefined) this.hooks.onDelivered(ownSeq);
      this.pump();
    });
  }
}

