/**
 * The highest seq of `self`'s own changes that some other author's change
 * has in its causal past: proof a peer held them (what "unsent" counts from
 * after a restart, before any peer reports). O(authors).
 */
import type { ReplicaStore } from "./ReplicaStore";

export function ownSeqHeldByOthers(store: ReplicaStore, self: string): number {
  let held = 0;
  for (const [author, seq] of store.authorSeqs()) {
    if (author === self) continue;
    for (const id of store.changesBySeq(author, seq)) held = Math.max(held, store.getChangeMeta(id)?.vec[self] ?? 0);
  }
  return held;
}
