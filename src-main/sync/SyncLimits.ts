/**
 * Every bound the sync layer enforces, in one place, with the defaults a
 * node runs with. Tests shrink them (fast backoff, tiny queues) through
 * `SyncServiceOptions.limits`.
 */
export interface SyncLimits {
  /** Largest frame accepted or sent (ws `maxPayload`; over it → close 1009). */
  maxFrameBytes: number;
  /** Live frames waiting to be written to one peer, by count and bytes; past either → close 4006. */
  maxQueuedFrames: number;
  maxQueuedBytes: number;
  /** Writing pauses while `ws.bufferedAmount` is above this (the kernel/ws buffer is not our queue). */
  highWaterBytes: number;
  /** Received-but-unapplied bytes per peer; above it the socket is paused (TCP backpressure). */
  maxRecvQueueBytes: number;
  /** Most changes applied per event-loop turn (fewer when they are slow: the chunk adapts to ~20 ms). Each chunk is one round of author-head signature checks. */
  applyChunk: number;
  /** Planning a catch-up or a `need` answer yields to the event loop after this much work (ms). */
  planSliceMs: number;
  handshakeTimeoutMs: number;
  /**
   * Largest frame accepted before the peer's key is verified (`hello`, `auth`,
   * `welcome` are < 400 bytes). Enforced on the frame header, so an
   * unauthenticated peer cannot make us buffer more; over it → close 1009.
   */
  maxPreAuthFrameBytes: number;
  /** Incoming sockets that have not completed the handshake; past it an upgrade is refused with 503. */
  maxUnauthenticated: number;
  /** Invalid (rejected) changes one connection may send; past it → close 4009. Duplicates and pending ones do not count. */
  maxRejectedChanges: number;
  /** Ping period; a peer silent for two periods is dropped (≤ 30 s with the default). */
  pingIntervalMs: number;
  /** Rendezvous reconnect backoff: base doubling up to max. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive failed attempts from which a failure is logged at ERROR instead of WARN. */
  errorAfterFailures: number;
  /** `need` rounds per connection, and changes sent per `need` answer. */
  maxNeedRounds: number;
  maxNeedAnswer: number;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxFrameBytes: 1024 * 1024,
  maxQueuedFrames: 10_000,
  maxQueuedBytes: 32 * 1024 * 1024,
  highWaterBytes: 1024 * 1024,
  maxRecvQueueBytes: 8 * 1024 * 1024,
  applyChunk: 2_500,
  planSliceMs: 15,
  handshakeTimeoutMs: 10_000,
  maxPreAuthFrameBytes: 4 * 1024,
  maxUnauthenticated: 64,
  maxRejectedChanges: 64,
  pingIntervalMs: 15_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  errorAfterFailures: 10,
  maxNeedRounds: 8,
  maxNeedAnswer: 50_000,
};
