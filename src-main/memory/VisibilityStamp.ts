/**
 * Hide/unhide of memcells: the ONE rule, and the stamps it compares.
 *
 * Rule (from the tidaldb seed): a memcell is hidden when it has a hide mark
 * and no unhide mark that is STRICTLY later. Equal stamps → hidden. Marks
 * only ever move forward (`laterStamp`), so merging marks from any number of
 * devices in any order converges.
 *
 * Interim: a stamp is the node's wall clock made monotonic with a counter
 * (`VisibilityClock`), tie-broken by node id. The lead moves this onto the
 * CRDT's HLC: swap `VisibilityStamp` for the HLC timestamp type and
 * `compareStamps` for its total order; `isHidden` stays as it is.
 */
export interface VisibilityStamp {
  /** Wall-clock milliseconds (never decreasing on one node). */
  wallMs: number;
  /** Orders stamps taken within one millisecond on one node. */
  counter: number;
  /** Breaks ties between devices deterministically. */
  nodeId: string;
}

export interface VisibilityMarks {
  hide?: VisibilityStamp;
  unhide?: VisibilityStamp;
}

/** Total order: wall time, then counter, then node id. */
export function compareStamps(a: VisibilityStamp, b: VisibilityStamp): number {
  if (a.wallMs !== b.wallMs) return a.wallMs - b.wallMs;
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
}

/** Hide wins unless the unhide is strictly later. */
export function isHidden(marks: VisibilityMarks): boolean {
  if (marks.hide === undefined) return false;
  return marks.unhide === undefined || compareStamps(marks.unhide, marks.hide) <= 0;
}

/** The later of two optional stamps (how a mark merges). */
export function laterStamp(a: VisibilityStamp | undefined, b: VisibilityStamp): VisibilityStamp {
  return a === undefined || compareStamps(b, a) > 0 ? b : a;
}
