/**
 * One connection to one peer, either direction: drives a LinkMachine (the
 * protocol, pure) over a PeerSocket (the transport) and executes its
 * actions — frames into the SendQueue, changes into the host's replica,
 * plans in TimeSlicer slices, the deadline timer, pause/resume.
 *
 * Invariants:
 * - no socket callback throws: each handler is wrapped and a failure closes
 *   the link (4000) instead of reaching the process;
 * - received frames are applied in arrival order, one machine turn per
 *   event-loop turn (`scheduler.soon`), so other work runs in between;
 * - one timer per link, armed for the machine's `nextWake`;
 * - a closed link stops its queue, timer and plan; `onClosed` fires once.
 */
import { randomBytes } from "node:crypto";
import type { LinkAction, PlanRequest } from "./LinkAction";
import { LinkMachine, type LinkState } from "./LinkMachine";
import { realLinkScheduler, type LinkScheduler } from "./LinkScheduler";
import type { PeerHost } from "./PeerHost";
import type { PeerSocket } from "./PeerSocket";
import { SendQueue } from "./SendQueue";
import { SyncCloseCode } from "./SyncCloseCode";
import { encodeControl } from "./SyncFrame";
import { planCatchUp, planNeed } from "./planCatchUp";
import { TimeSlicer } from "./TimeSlicer";

export type { LinkState } from "./LinkMachine";

export interface LinkClosed {
  authed: boolean;
  code: number;
  reason: string;
}

export interface PeerLinkOptions {
  socket: PeerSocket;
  direction: "in" | "out";
  url?: string;
  host: PeerHost;
  scheduler?: LinkScheduler;
  onAuthed?: () => void;
  onClosed?: (info: LinkClosed) => void;
}

/** A graceful close that the peer never completes (it does not read) ends after this. */
const TERMINATE_AFTER_MS = 2_000;

export class PeerLink {
  readonly direction: "in" | "out";
  readonly url: string | undefined;
  readonly send: SendQueue;
  private readonly machine: LinkMachine;
  private readonly socket: PeerSocket;
  private readonly host: PeerHost;
  private readonly scheduler: LinkScheduler;
  private readonly abort = new AbortController();
  private drainScheduled = false;
  private wake: { at: number; cancel: () => void } | null = null;
  private closedInfo: LinkClosed | null = null;

  constructor(private readonly options: PeerLinkOptions) {
    this.socket = options.socket;
    this.direction = options.direction;
    this.url = options.url;
    this.host = options.host;
    this.scheduler = options.scheduler ?? realLinkScheduler();
    this.machine = new LinkMachine({
      direction: this.direction,
      ...(this.url !== undefined ? { url: this.url } : {}),
      host: this.host,
      nonce: randomBytes(32).toString("hex"),
      now: this.scheduler.wallNow(),
    });
    this.send = new SendQueue(this.socket, this.host.limits, {
      loadChange: (id) => this.host.replica.getChange(id),
      loadArrivals: (from, to) => this.host.replica.changeBytesInArrival(from, to),
      onOverflow: (why) => this.close(SyncCloseCode.lagging, `peer lags: ${why}`),
      onDelivered: (seq) => this.host.noteDelivered(seq),
      onWriteError: (err) => this.machine.log.debug("sync: write failed", { err }),
      onOversize: (count) => this.machine.log.error("sync: changes larger than a frame cannot be sent", { count, maxFrameBytes: this.host.limits.maxFrameBytes }),
    }, { now: () => this.scheduler.monoNow(), soon: (fn) => this.scheduler.soon(fn) });
    this.socket.listen({
      open: () => this.guard(() => this.run(this.machine.opened())),
      frame: (data, isBinary) => this.guard(() => this.run(this.machine.frame(data, isBinary, this.scheduler.wallNow()))),
      heartbeat: () => this.guard(() => this.run(this.machine.heartbeat(this.scheduler.wallNow()))),
      error: (err) => this.guard(() => this.run(this.machine.socketError(err))),
      close: (code, reason) => this.guard(() => this.finish(code, reason || "closed by peer")),
    });
    this.run(this.machine.start());
  }

  get state(): LinkState {
    return this.machine.state;
  }
  get remoteKey(): string | null {
    return this.machine.remoteKey;
  }
  get lastSeen(): number | null {
    return this.machine.lastSeen;
  }
  /** Both keys proved. */
  get authed(): boolean {
    return this.machine.authed;
  }
  /** Accepts live changes (its catch-up is being planned, or was). */
  get live(): boolean {
    return this.machine.live;
  }
  get catchUp(): { expected: number; received: number } | null {
    return this.machine.reconciler.catchUp;
  }
  get bytesIn(): number {
    return this.machine.bytesIn;
  }
  get changesIn(): number {
    return this.machine.reconciler.changesIn;
  }

  /** Relays changes applied here (held while this peer's catch-up is planned). */
  sendLive(changes: readonly Uint8Array[], ownSeq?: number): void {
    this.run(this.machine.sendLive(changes, ownSeq));
  }

  /** Closes the link if its peer is no longer admitted (membership changed). */
  recheck(): void {
    this.run(this.machine.recheck());
  }

  /** Closes with a protocol code; logged once; safe to call repeatedly. */
  close(code: number, reason: string): void {
    this.run(this.machine.close(code, reason));
  }

  private run(actions: readonly LinkAction[]): void {
    for (const a of actions) {
      // Once closed (by an action before, or by the send queue overflowing meanwhile) nothing more runs.
      if (this.closedInfo !== null) return;
      this.execute(a);
    }
    this.armWake();
  }

  private execute(a: LinkAction): void {
    switch (a.t) {
      case "control":
        this.send.frame(encodeControl(a.message));
        return;
      case "changes":
        return this.send.changes(a.changes, a.ownSeq);
      case "catchUp":
        return this.send.catchUp(a.ids, a.ownSeq, a.arrivals);
      case "close":
        return this.closeSocket(a.code, a.reason);
      case "terminate":
        return this.socket.terminate();
      case "frameLimit":
        this.socket.setFrameLimit(a.bytes);
        return;
      case "pause":
        return this.socket.pause();
      case "resume":
        if (this.closedInfo === null) this.socket.resume();
        return;
      case "ping":
        return this.socket.ping();
      case "apply":
        return this.apply(a.changes);
      case "precheck":
        void this.host.replica.precheck(a.parts); // never rejects: a failed check is made again in its turn
        return;
      case "caughtUp":
        return this.host.replica.caughtUp();
      case "plan":
        return this.plan(a.request);
      case "drainLater":
        return this.scheduleDrain();
      case "delivered":
        return this.host.noteDelivered(a.seq);
      case "authed":
        this.options.onAuthed?.();
        return;
      case "changed":
        return this.host.linkChanged();
    }
  }

  /** Applies a chunk; the machine continues when the results are in (at once, or after the worker threads verified). */
  private apply(changes: Uint8Array[]): void {
    // The service remembers the origin (this link) so it never echoes these changes back.
    const out = this.host.receive(this, changes);
    if (!(out instanceof Promise)) return this.run(this.machine.applied(out, this.scheduler.monoNow()));
    out.then(
      (results) => this.guard(() => this.run(this.machine.applied(results, this.scheduler.monoNow()))),
      (err: unknown) =>
        this.guard(() => {
          if (this.closedInfo !== null) return; // closed meanwhile (shutdown): nothing to report
          this.machine.log.error("sync: applying changes failed", { err });
          this.close(SyncCloseCode.badFrame, "internal error applying changes");
        }),
    );
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A bug or a hostile input we did not foresee: drop this peer, keep the process.
      this.machine.log.error("sync: link handler failed", { err, peer: this.machine.remoteKey });
      this.close(SyncCloseCode.badFrame, "internal error handling a frame");
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closedInfo !== null) return;
    this.drainScheduled = true;
    this.scheduler.soon(() => {
      this.drainScheduled = false;
      try {
        this.run(this.machine.drain(this.scheduler.monoNow()));
      } catch (err) {
        this.machine.log.error("sync: applying frames failed", { err });
        this.close(SyncCloseCode.badFrame, "internal error applying frames");
      }
    });
  }

  /** Computes a plan in slices; frames queued after it wait until the machine has the result. */
  private plan(request: PlanRequest): void {
    const slicer = new TimeSlicer(this.host.limits.planSliceMs, this.abort.signal);
    const work =
      request.kind === "catch-up"
        ? planCatchUp(this.host.replica, request.peerVec, {
            slicer,
            upTo: request.upTo,
            peerForks: request.peerForks,
            // A microtask: the count is known before the plan's first await, inside the run that asked for it.
            stream: (part) => queueMicrotask(() => this.guard(() => this.run(this.machine.plannedPart(part)))),
          })
        : planNeed(this.host.replica, request.ids, request.peerVec, request.peerHeads, request.max, slicer);
    work.then(
      (ids) => this.guard(() => this.run(this.machine.planned(ids))),
      (err: unknown) => this.guard(() => this.run(this.machine.planFailed(err))),
    );
  }

  private armWake(): void {
    const at = this.closedInfo === null ? this.machine.nextWake() : null;
    if (this.wake?.at === at) return;
    this.wake?.cancel();
    this.wake = null;
    if (at === null) return;
    const cancel = this.scheduler.at(at, () =>
      this.guard(() => {
        this.wake = null;
        this.run(this.machine.tick(this.scheduler.wallNow()));
      }),
    );
    this.wake = { at, cancel };
  }

  private closeSocket(code: number, reason: string): void {
    try {
      this.socket.close(code, reason.slice(0, 120));
    } catch (err) {
      this.machine.log.debug("sync: close failed", { err });
    }
    // A peer that never reads never completes the closing handshake either.
    this.scheduler.at(this.scheduler.wallNow() + TERMINATE_AFTER_MS, () => this.socket.terminate());
    this.finish(code, reason);
  }

  private finish(code: number, reason: string): void {
    if (this.closedInfo) return;
    this.closedInfo = { authed: this.machine.authed, code, reason };
    this.machine.socketClosed();
    this.abort.abort();
    this.wake?.cancel();
    this.wake = null;
    this.send.stop();
    this.machine.log.info("sync: disconnected", { peer: this.machine.remoteKey, code, reason, bytesIn: this.machine.bytesIn, bytesOut: this.send.bytesOut });
    this.options.onClosed?.(this.closedInfo);
  }
}
