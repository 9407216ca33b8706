/**
 * Causal validity of a change whose deps are all applied: decided ONLY from
 * the change and its causal past, so every honest replica decides the same
 * whatever it received concurrently or in which order.
 *
 * Rules: seq = 1 + the author's highest seq in the causal past; every story
 * an op touches was created in the causal past (or by an earlier op of this
 * change); a create names a story not yet created in the causal past; every
 * `deps.remove` tag names a change in the causal past. The claimed clock is
 * NOT a rule (a future or stale claim is harmless, see `Hlc.ts`): the
 * result carries the effective clock derived from it and the deps'.
 *
 * "In the causal past" (`CausalPast`) — NOT "exists locally", because a
 * concurrent change may be present here and absent elsewhere. O(1) per
 * question, memoized for authors who equivocated.
 */
import { effectiveClock, type Hlc } from "./Hlc";
import { isStoryOp, type Change } from "./Change";
import type { CausalPast } from "./CausalPast";
import type { ReplicaStore } from "./ReplicaStore";

/**
 * `deps`: the change's deps as the id strings the store already holds (the
 * same values): what the applied change's meta keeps, so a long-lived meta
 * does not keep a second copy of every dep id (one per change: ~4 MB of a
 * 50,000-change catch-up, copied by every young-generation GC it survives).
 */
export type Validation = { ok: true; vec: Record<string, number>; clock: Hlc; deps: string[] } | { ok: false; reason: string };

export function validateChange(store: ReplicaStore, causal: CausalPast, change: Change): Validation {
  const vec: Record<string, number> = {};
  const depClocks: Hlc[] = [];
  // Exact size: an array grown by push keeps ~16 spare slots, more than the copies it saves.
  const deps = new Array<string>(change.deps.length);
  for (let i = 0; i < deps.length; i++) {
    const dep = change.deps[i]!;
    const meta = store.getChangeMeta(dep);
    if (!meta) return { ok: false, reason: `dep ${dep} not applied` };
    depClocks.push(meta.clock);
    deps[i] = meta.id;
    for (const author in meta.vec) {
      const s = meta.vec[author]!;
      if ((vec[author] ?? 0) < s) vec[author] = s;
    }
  }
  const expected = (vec[change.author] ?? 0) + 1;
  if (change.seq !== expected) return { ok: false, reason: `seq ${change.seq} but causal past implies ${expected}` };

  // (No closures here: this runs for every change, and each one costs an allocation.)
  let createdHere: Set<string> | null = null;
  for (let i = 0; i < change.ops.length; i++) {
    const op = change.ops[i]!;
    if (!isStoryOp(op)) continue; // memory ops: see ChangeReducer
    if (op.t === "create") {
      if (created(store, causal, change.deps, vec, createdHere, op.story)) return { ok: false, reason: `op ${i}: story ${op.story} already exists` };
      (createdHere ??= new Set()).add(op.story);
      continue;
    }
    if (!created(store, causal, change.deps, vec, createdHere, op.story)) return { ok: false, reason: `op ${i}: story ${op.story} not in causal past` };
    if (op.t === "deps") {
      for (const s of op.add) {
        if (!created(store, causal, change.deps, vec, createdHere, s)) return { ok: false, reason: `op ${i}: dependsOn ${s} not in causal past` };
      }
      for (const tag of op.remove) {
        if (!causal.contains(change.deps, vec, tag.slice(0, 64))) return { ok: false, reason: `op ${i}: tag ${tag} not in causal past` };
      }
    }
  }
  vec[change.author] = change.seq;
  return { ok: true, vec, clock: effectiveClock(change.clock, depClocks), deps };
}

/** Whether `story` exists for a change with these deps (and causal vector): created earlier in it, or by a create in its past. */
function created(store: ReplicaStore, causal: CausalPast, deps: readonly string[], vec: Record<string, number>, createdHere: ReadonlySet<string> | null, story: string): boolean {
  if (createdHere?.has(story)) return true;
  const rec = store.getStory(story);
  if (rec === undefined) return false;
  for (const creator of rec.creators) if (causal.contains(deps, vec, creator)) return true;
  return false;
}
