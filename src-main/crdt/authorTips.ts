/**
 * The maximal changes of an equivocating `author` held here: every change
 * of it is one of them or in their causal past. At an unforked seq the one
 * change is in the past of every later one (the seq rule), so only forked
 * seqs need the causal index. null when there are more than `cap` tips or
 * more than `cap` forked seqs: each forked seq may cost a walk of the
 * history above it, so the work is bounded at cap × history (the caller
 * then falls back to sending the author's changes from its first fork).
 * The caller refreshes `causal` first.
 */
import type { CausalPast } from "./CausalPast";
import type { ReplicaStore } from "./ReplicaStore";

export function authorTips(store: ReplicaStore, causal: CausalPast, author: string, cap: number): string[] | null {
  const max = store.authorSeqs().get(author) ?? 0;
  const tips = store.changesBySeq(author, max);
  const forked = store.forkedSeqs(author).filter((s) => s < max);
  if (forked.length > cap) return null;
  for (let i = forked.length - 1; i >= 0; i--) {
    for (const x of store.changesBySeq(author, forked[i]!)) {
      if (!causal.heldBy(tips, x)) tips.push(x);
      if (tips.length > cap) return null;
    }
  }
  return tips.length > cap ? null : tips.sort();
}
