/**
 * The sync layer's observable state (what the contract's `sync/status`
 * returns and `sync/changed` pushes). Plain data: JSON-safe, no classes.
 *
 * `unsent`: how many of this node's own changes no peer is known to hold —
 * own seqs above the highest one that was either written to an
 * authenticated peer's socket or reported in a peer's `sync` vector. (A
 * node's own changes form a chain 1..n, so one number says it.) Not
 * persisted: after a restart it counts from 0 until a peer connects.
 */
export type PeerState = "handshake" | "syncing" | "live";

export interface CatchUpProgress {
  /** Changes the peer(s) announced for the current catch-up. */
  expected: number;
  /** Of those, how many arrived and were processed. */
  received: number;
}

export interface SyncPeerStatus {
  /** The peer's node key (hex), null until its handshake completes. */
  nodeId: string | null;
  url?: string;
  direction: "in" | "out";
  state: PeerState;
  /** ms since epoch of the last frame or pong, null before any. */
  lastSeen: number | null;
  catchUp: CatchUpProgress | null;
  bytesIn: number;
  bytesOut: number;
  changesIn: number;
  changesOut: number;
}

export interface RendezvousStatus {
  url: string;
  state: "connecting" | "connected" | "waiting";
  /** Consecutive failed attempts (0 once a handshake succeeds). */
  failures: number;
  /** When the next attempt is due (state "waiting"), ms since epoch. */
  nextAttemptAt: number | null;
}

export interface SyncStatus {
  nodeId: string;
  workspaceId: string;
  /** At least one authenticated peer. */
  online: boolean;
  heads: string[];
  peers: SyncPeerStatus[];
  rendezvous: RendezvousStatus[];
  unsent: number;
  /** Sum over peers currently catching us up, null when none is. */
  catchUp: CatchUpProgress | null;
}
