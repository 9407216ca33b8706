/**
 * What the header's sync indicator says, derived from one `SyncStatus`.
 *
 * "Local only" is not a failure: a device with no rendezvous configured and
 * nobody connected to it is working as set up, so it must not look alarming
 * the way "Offline" (configured, but nobody reachable) does.
 */
import type { CatchUpProgress, SyncStatus } from "../../../src-shared/syncMethods";

export type SyncState = "online" | "offline" | "local";

export interface SyncSummary {
  state: SyncState;
  /** Distinct authenticated peers (a peer linked both ways counts once). */
  peerCount: number;
  unsent: number;
  catchUp: CatchUpProgress | null;
}

export const SYNC_STATE_LABELS: Readonly<Record<SyncState, string>> = {
  online: "Online",
  offline: "Offline",
  local: "Local only",
};

export function syncSummary(status: SyncStatus): SyncSummary {
  // nodeId is null until a handshake completes: such a link is not a peer yet.
  const peerIds = new Set(status.peers.flatMap((p) => (p.nodeId === null ? [] : [p.nodeId])));
  const state: SyncState = status.online
    ? "online"
    : status.rendezvous.length === 0 && status.peers.length === 0
      ? "local"
      : "offline";
  return { state, peerCount: peerIds.size, unsent: status.unsent, catchUp: status.catchUp };
}
