/**
 * The sync layer's observable state (what the contract's `sync/status`
 * returns and `sync/changed` pushes): declared once, with zod, in
 * `src-shared/syncMethods.ts`; re-exported here for the sync layer.
 *
 * `unsent`: how many of this node's own changes no peer is known to hold —
 * own seqs above the highest one that was either written to an
 * authenticated peer's socket or reported in a peer's `sync` vector. (A
 * node's own changes form a chain 1..n, so one number says it.) Not
 * persisted: after a restart the node starts it from the highest own seq
 * another author's change has in its causal past (`attachSync`).
 */
import type { SyncPeerStatus } from "../../src-shared/syncMethods";

export type { CatchUpProgress, RendezvousSource, RendezvousStatus, SyncPeerStatus, SyncStatus } from "../../src-shared/syncMethods";
export type PeerState = SyncPeerStatus["state"];
