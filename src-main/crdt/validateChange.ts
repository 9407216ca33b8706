/**
 * Causal validity of a change whose deps are all applied: decided ONLY from
 * the change and its causal past, so every honest replica decides the same
 * whatever it received concurrently or in which order.
 *
 * Rules: seq = 1 + the author's highest seq in the causal past; clock >
 * every dep's clock; every story an op touches was created in the causal
 * past (or by an earlier op of this change); a create names a story not yet
 * created in the causal past; every `deps.remove` tag names a change in the
 * causal past.
 *
 * "In the causal past" (`inCausalPast`) — NOT "exists locally", because a
 * concurrent change may be present here and absent elsewhere:
 *   X ∈ past(C)  ⇔  vec_C[X.author] ≥ X.seq, when X is the only applied
 *   change with its (author, seq). Proof sketch: every change's past holds
 *   its author's whole chain 1..seq (seq rule), the past of C is fully
 *   applied here (causal delivery), so the (author, seq) slot of C's past is
 *   filled by an applied change — the only one is X. O(1).
 *   If the author equivocated at that seq (two changes, same author+seq) we
 *   walk C's ancestry, pruning every change whose clock is not above X's
 *   (a change's clock exceeds all its ancestors'). Cost: O(changes newer
 *   than X in C's past), paid only for equivocating authors.
 */
import { compareHlc } from "./Hlc";
import { isStoryOp, type Change } from "./Change";
import type { ChangeMeta, ReplicaStore } from "./ReplicaStore";

export type Validation = { ok: true; vec: Record<string, number> } | { ok: false; reason: string };

export function validateChange(store: ReplicaStore, id: string, change: Change): Validation {
  const vec: Record<string, number> = {};
  for (const dep of change.deps) {
    const meta = store.getChangeMeta(dep);
    if (!meta) return { ok: false, reason: `dep ${dep} not applied` };
    if (compareHlc(change.clock, meta.clock) <= 0) return { ok: false, reason: "clock does not exceed a dep's clock" };
    for (const author in meta.vec) {
      const s = meta.vec[author]!;
      if ((vec[author] ?? 0) < s) vec[author] = s;
    }
  }
  const expected = (vec[change.author] ?? 0) + 1;
  if (change.seq !== expected) return { ok: false, reason: `seq ${change.seq} but causal past implies ${expected}` };

  const past = (x: string): boolean => inCausalPast(store, change.deps, vec, x);
  const createdHere = new Set<string>();
  const created = (story: string): boolean => {
    if (createdHere.has(story)) return true;
    const rec = store.getStory(story);
    return rec !== undefined && rec.creators.some(past);
  };
  for (let i = 0; i < change.ops.length; i++) {
    const op = change.ops[i]!;
    if (!isStoryOp(op)) continue; // memory ops: see ChangeReducer
    if (op.t === "create") {
      if (created(op.story)) return { ok: false, reason: `op ${i}: story ${op.story} already exists` };
      createdHere.add(op.story);
      continue;
    }
    if (!created(op.story)) return { ok: false, reason: `op ${i}: story ${op.story} not in causal past` };
    if (op.t === "deps") {
      for (const s of op.add) if (!created(s)) return { ok: false, reason: `op ${i}: dependsOn ${s} not in causal past` };
      for (const tag of op.remove) {
        if (!past(tag.slice(0, 64))) return { ok: false, reason: `op ${i}: tag ${tag} not in causal past` };
      }
    }
  }
  vec[change.author] = change.seq;
  return { ok: true, vec };
}

export function inCausalPast(store: ReplicaStore, deps: readonly string[], vec: Record<string, number>, x: string): boolean {
  const meta = store.getChangeMeta(x);
  if (!meta) return false;
  if ((vec[meta.author] ?? 0) < meta.seq) return false;
  if (store.changesBySeq(meta.author, meta.seq).length <= 1) return true;
  return walkFinds(store, deps, meta);
}

function walkFinds(store: ReplicaStore, deps: readonly string[], target: ChangeMeta): boolean {
  const seen = new Set<string>();
  const stack = [...deps];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target.id) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const meta = store.getChangeMeta(id);
    if (!meta || compareHlc(meta.clock, target.clock) <= 0) continue;
    stack.push(...meta.deps);
  }
  return false;
}
