/**
 * The automatic segmenter takeover rule. A session's segmenter (the node
 * that cuts it into memcells, a LWW register in `MemoryReducer`) can go away
 * for good; then messages others add would wait in the buffer forever.
 *
 * Rule: the segmenter is *stale* when some other author added messages to
 * the session at a change time at least `ttlMs` after the segmenter's own
 * latest write to it (any session/msg/cell/segmenter op of theirs). Then the
 * *successor* is, of those authors, the one whose latest add is the latest
 * (ties: the smaller key). The successor — and only it — writes a
 * `segmenter` op (the same LWW write `session/flush` uses) and memorizes.
 *
 * Deterministic: it reads only `session_activity` (per-author maxima of
 * change times, folded commutatively from changes) and the segmenter
 * register, so every replica holding the same changes names the same
 * successor; time is the CHANGE's time (`changeTime`), never a local clock,
 * like story claims (`CLAIM_TTL_MS`). The ttl is a node's policy, not a
 * validity rule: the takeover is an ordinary signed op, and if two nodes
 * take over concurrently (partition) the register and the effective-memcell
 * rule converge as for any concurrent segmentation.
 */
import type { Stamp } from "../crdt/Hlc";
import type { SessionActivity, SessionRecord } from "./MemoryTables";

/** Default: a segmenter silent for 30 minutes of others' messages is taken over. */
export const SEGMENTER_TTL_MS = 30 * 60_000;

/**
 * "The time of a change", read in ONE place: today the change's own HLC
 * wall time. (If validity comes to use an effective clock derived from the
 * causal past, this is the one function to re-point.)
 */
export function changeTime(stamp: Stamp): number {
  return stamp.wall;
}

/** The author that should take over segmenting now, or null (the segmenter is not stale). */
export function segmenterSuccessor(session: SessionRecord, activity: readonly SessionActivity[], ttlMs: number): string | null {
  const own = activity.find((a) => a.author === session.segmenter)?.wrote ?? -Infinity;
  // The register's own stamp is a write by the segmenter too (covers rows from before activity was kept).
  const seen = Math.max(own, session.segmenterStamp.author === session.segmenter ? changeTime(session.segmenterStamp) : -Infinity);
  let best: SessionActivity | null = null;
  for (const a of activity) {
    if (a.author === session.segmenter || a.added === null || a.added - seen < ttlMs) continue;
    if (best === null || a.added > best.added! || (a.added === best.added && a.author < best.author)) best = a;
  }
  return best?.author ?? null;
}
