/** Builds `SyncStatus` values for tests: a lone node, plus whatever a test overrides. */
import type { RendezvousStatus, SyncPeerStatus, SyncStatus } from "../../../src-shared/syncMethods";

export const NODE_A = "a".repeat(64);
export const NODE_B = "b".repeat(64);

export function testSyncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    nodeId: NODE_A,
    workspaceId: "w".repeat(32),
    online: false,
    heads: [],
    peers: [],
    rendezvous: [],
    unsent: 0,
    catchUp: null,
    ...over,
  };
}

export function testPeer(over: Partial<SyncPeerStatus> = {}): SyncPeerStatus {
  return {
    nodeId: NODE_B,
    direction: "in",
    state: "live",
    lastSeen: null,
    catchUp: null,
    bytesIn: 0,
    bytesOut: 0,
    changesIn: 0,
    changesOut: 0,
    ...over,
  };
}

/** A rendezvous entry from the stored setting, unless a test overrides it (e.g. `source: "flag"`). */
export function testRendezvous(over: Partial<RendezvousStatus> = {}): RendezvousStatus {
  return {
    url: "ws://h:1/sync",
    source: "setting",
    state: "connecting",
    failures: 0,
    nextAttemptAt: null,
    ...over,
  };
}
