/**
 * A busy node's `SyncStatus` for the rendering test of e2e/sync.spec.ts:
 * two peers (one dialled, one incoming and still catching us up), a healthy
 * rendezvous from the command line (source "flag") and a failing one from
 * the stored setting, unsent changes and a large catch-up. Times are
 * relative to `now` so "last seen" and "next attempt" read naturally.
 */
import type { SyncStatus } from "../src-shared/syncMethods";

export const FIXTURE_PEER_OUT = "3f9c2a7be01d44c8a9b1e6f05d7c3a21" + "0".repeat(32);
export const FIXTURE_PEER_IN = "c41be8d0937a4f6e8b2d5a1c0f9e7d63" + "1".repeat(32);

export function busySyncStatus(now: number, over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    nodeId: "8e21d4c7a90b4f3e" + "2".repeat(48),
    workspaceId: "5b7d0e9c1a2f4e6d8c0b3a5f7e9d1c2b",
    online: true,
    heads: ["h".repeat(64)],
    peers: [
      {
        nodeId: FIXTURE_PEER_OUT,
        url: "ws://team-server.example:4870/sync",
        direction: "out",
        state: "live",
        lastSeen: now - 3_000,
        catchUp: null,
        bytesIn: 1_234_567,
        bytesOut: 48_210,
        changesIn: 1_180,
        changesOut: 42,
      },
      {
        nodeId: FIXTURE_PEER_IN,
        direction: "in",
        state: "syncing",
        lastSeen: now - 400,
        catchUp: { expected: 50_000, received: 12_345 },
        bytesIn: 13_900_000,
        bytesOut: 812,
        changesIn: 12_345,
        changesOut: 0,
      },
      {
        nodeId: null,
        direction: "in",
        state: "handshake",
        lastSeen: null,
        catchUp: null,
        bytesIn: 120,
        bytesOut: 96,
        changesIn: 0,
        changesOut: 0,
      },
    ],
    rendezvous: [
      { url: "ws://team-server.example:4870/sync", source: "flag", state: "connected", failures: 0, nextAttemptAt: null },
      { url: "wss://backup.example/sync", source: "setting", state: "waiting", failures: 3, nextAttemptAt: now + 8_000 },
    ],
    unsent: 3,
    catchUp: { expected: 50_000, received: 12_345 },
    ...over,
  };
}
