/**
 * The outgoing side: keeps one connection to a rendezvous URL alive.
 *
 * Invariants:
 * - at most one connection attempt or link at a time per client;
 * - after a failed attempt (no completed handshake) the delay doubles from
 *   `backoffBaseMs` up to `backoffMaxMs`; each failure is logged at WARN,
 *   from the `errorAfterFailures`-th consecutive one at ERROR;
 * - a completed handshake resets the count: when that link later drops, the
 *   next attempt comes after the base delay;
 * - `stop()` cancels the timer and closes the link; nothing fires after it.
 */
import type { Logger } from "../base/Logger";
import type { LinkClosed, PeerLink } from "./PeerLink";
import type { PeerSocket } from "./PeerSocket";
import type { SyncLimits } from "./SyncLimits";
import type { RendezvousSource, RendezvousStatus } from "./SyncStatus";
import { MAX_CLOSE_REASON_CHARS } from "../../src-shared/syncMethods";
import { SyncCloseCode } from "./SyncCloseCode";
import { dialPeerSocket } from "./WsPeerSocket";

export interface RendezvousDeps {
  limits: SyncLimits;
  log: Logger;
  /** Wraps an outgoing socket in a PeerLink owned by the service. */
  attach(socket: PeerSocket, url: string, hooks: { onAuthed: () => void; onClosed: (info: LinkClosed) => void }): PeerLink;
  changed(): void;
}

export class RendezvousClient {
  private state: RendezvousStatus["state"] = "waiting";
  private failures = 0;
  private nextAttemptAt: number | null = null;
  /** How the last attempt or link ended; null once a handshake succeeds (the joining UI shows why it waits). */
  private lastError: { code: number; reason: string } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private link: PeerLink | null = null;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    readonly url: string,
    /** Reported in the status as is: where the address came from. */
    readonly source: RendezvousSource,
    private readonly deps: RendezvousDeps,
  ) {
    this.log = deps.log.child({ rendezvous: url });
  }

  start(): void {
    this.attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.link?.close(SyncCloseCode.goingAway, "node shutting down");
    this.link = null;
  }

  /** Dials now instead of waiting out the backoff (a person pressed "Retry now"); true if it was waiting. */
  retryNow(): boolean {
    if (this.stopped || this.state !== "waiting") return false;
    clearTimeout(this.timer);
    this.attempt();
    return true;
  }

  status(): RendezvousStatus {
    return {
      url: this.url,
      source: this.source,
      state: this.state,
      failures: this.failures,
      nextAttemptAt: this.nextAttemptAt,
      lastError: this.lastError,
    };
  }

  private attempt(): void {
    if (this.stopped) return;
    this.state = "connecting";
    this.nextAttemptAt = null;
    this.log.info("sync: connecting to rendezvous");
    let socket: PeerSocket;
    try {
      socket = dialPeerSocket(this.url, { maxFrameBytes: this.deps.limits.maxFrameBytes, handshakeTimeoutMs: this.deps.limits.handshakeTimeoutMs });
    } catch (err) {
      // An invalid URL throws synchronously; it will not get better, but keep the loop uniform.
      this.failed({ authed: false, code: 0, reason: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.link = this.deps.attach(socket, this.url, {
      onAuthed: () => {
        this.failures = 0;
        this.lastError = null;
        this.state = "connected";
        this.deps.changed();
      },
      onClosed: (info) => this.failed(info),
    });
    this.deps.changed();
  }

  private failed(info: LinkClosed): void {
    this.link = null;
    if (this.stopped) return;
    this.lastError = { code: info.code, reason: info.reason.slice(0, MAX_CLOSE_REASON_CHARS) };
    let delay = this.deps.limits.backoffBaseMs;
    if (info.authed) {
      this.log.info("sync: rendezvous link closed; reconnecting", { code: info.code, reason: info.reason, retryInMs: delay });
    } else {
      this.failures++;
      delay = Math.min(this.deps.limits.backoffBaseMs * 2 ** Math.min(this.failures - 1, 30), this.deps.limits.backoffMaxMs);
      const level = this.failures >= this.deps.limits.errorAfterFailures ? "error" : "warn";
      this.log[level]("sync: rendezvous connection failed", { attempt: this.failures, code: info.code, reason: info.reason, retryInMs: delay });
    }
    this.state = "waiting";
    this.nextAttemptAt = Date.now() + delay;
    this.timer = setTimeout(() => this.attempt(), delay);
    this.timer.unref();
    this.deps.changed();
  }
}
