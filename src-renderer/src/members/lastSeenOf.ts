/**
 * When this device last heard from a member: the latest `lastSeen` over the
 * sync links whose authenticated node key is the member's (a peer may be
 * linked both ways). Null when no link to it is up, or none has carried a
 * frame yet — the UI shows "—": membership does not record presence, and a
 * past link's time is not kept across restarts.
 */
import type { SyncPeerStatus } from "../../../src-shared/syncMethods";

export function lastSeenOf(nodeId: string, peers: readonly SyncPeerStatus[]): number | null {
  let latest: number | null = null;
  for (const peer of peers) {
    if (peer.nodeId !== nodeId || peer.lastSeen === null) continue;
    if (latest === null || peer.lastSeen > latest) latest = peer.lastSeen;
  }
  return latest;
}
