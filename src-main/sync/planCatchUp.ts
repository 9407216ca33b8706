/**
 * What to send a peer so it can apply everything we have: reconciliation by
 * per-author seq vectors (docs/PROTOCOL.md §Reconciliation).
 *
 * Why it is complete for honest authors: an author's seq is 1 + its highest
 * seq in the change's causal past, so an author that never equivocates has
 * exactly one change per seq 1..max and each depends (transitively) on the
 * previous one. A peer whose vector says `A: n` therefore holds A's changes
 * 1..n, and it lacks exactly A's seqs n+1..ours — the cost is O(authors +
 * missing), never the history.
 *
 * Equivocating authors (several changes at one seq, `changesBySeq`) break the
 * "one per seq" assumption. A peer that knows author A forked says which of
 * A's changes it holds by A's tips (`sync.forks`: every A-change it holds is
 * a tip or in a tip's causal past). With tips we all hold, we send A's
 * changes above the highest tip seq, and at each forked seq the changes the
 * tips do not hold — so an equivocator's branches cross once, not on every
 * reconnect. Without usable tips (the peer has not seen the fork, or names a
 * tip we lack) we send every change from the first forked seq upward
 * (duplicates are ignored by the receiver). Forks neither side knows of yet
 * are healed by `need` rounds (planNeed): the receiver asks for heads it was
 * told of but lacks.
 *
 * Order: by effective clock, then id. A change's effective clock exceeds
 * its deps' (`Hlc.ts`), so this is a topological order: the receiver can
 * apply each change as it arrives, and nothing waits in its pending queue.
 * (The claimed clock in the body is NOT: a peer may claim anything.)
 *
 * Responsiveness: every loop here runs in TimeSlicer slices (store reads,
 * then a sort in runs merged by a heap), so planning a fresh device's
 * 50,000-change catch-up never holds the event loop for long.
 */
import { decodeChange } from "../crdt/changeCodec";
import type { Replica } from "../crdt/Replica";
import { sortInSlices } from "./sortInSlices";
import { MAX_FORK_TIPS } from "./SyncMessage";
import { TimeSlicer } from "./TimeSlicer";

type Key = { wall: number; logical: number; id: string };

const byClockThenId = (a: Key, b: Key): number => a.wall - b.wall || a.logical - b.logical || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Sorts ids we hold into a topological (clock, id) order; ids we lack are dropped. */
export async function orderForDelivery(replica: Replica, ids: Iterable<string>, slicer: TimeSlicer): Promise<string[]> {
  const keys: Key[] = [];
  for (const id of ids) {
    // One store read per id (a plan reads every change it sends once): its clock, or nothing when we lack it.
    const clock = replica.appliedClock(id);
    if (clock) keys.push({ wall: clock.wall, logical: clock.logical, id });
    if (slicer.due()) await slicer.pause();
  }
  return (await sortInSlices(keys, byClockThenId, slicer)).map((k) => k.id);
}


export interface PlanOptions {
  /** Pauses the work between slices (and aborts it when the link closes). */
  slicer?: TimeSlicer;
  /**
   * The vector to plan up to, read when planning began. Changes applied
   * while the plan is computed are not in it: the link holds them as live
   * changes and sends them after the catch-up (Reconciler).
   */
  upTo?: ReadonlyMap<string, number>;
  /** The peer's tips of equivocating authors (`sync.forks`). */
  peerForks?: ReadonlyMap<string, readonly string[]>;
  /**
   * Told the plan while it is read, when its size is known before (a large
   * plan with no equivocating author: one change per seq): the count first,
   * then the ids in delivery order, in parts that are a prefix of the result.
   */
  stream?: (part: PlanPart) => void;
}

/** `arrivals[i]` is the position of `ids[i]` in our log (`changesInArrival`), when the part was read in arrival order: the sender then reads the bytes as runs of rows. */
export type PlanPart = { announce: number } | { ids: string[]; arrivals?: number[] };

/** Most seqs (or rows) read per range read while planning; the range halves when a read fills a slice, and doubles when it does not. */
const MAX_SEQS_PER_READ = 4_096;
/** A peer lacking at least 1/this of our changes is planned by one pass over them in arrival order (see `planCatchUp`). */
const ARRIVAL_PASS_SHARE = 4;

/** The next range read's size: halved (after a pause) when the last one filled the slice, doubled when it did not. */
async function nextSpan(span: number, slicer: TimeSlicer): Promise<number> {
  if (!slicer.due()) return Math.min(MAX_SEQS_PER_READ, span * 2);
  await slicer.pause();
  return Math.max(1, span >> 1);
}

/** The ids a peer with vector `peerVec` lacks, in delivery order. */
export async function planCatchUp(replica: Replica, peerVec: ReadonlyMap<string, number>, options: PlanOptions = {}): Promise<string[]> {
  const slicer = options.slicer ?? new TimeSlicer();
  const forkBranches = new Set<string>();
  const equivocators = new Set(replica.equivocators());
  /** Per author: the seqs the peer lacks, `from..max` (below `from`, only `forkBranches`). */
  const ranges = new Map<string, { from: number; max: number }>();
  let lacking = 0;
  let total = 0;
  for (const [author, max] of options.upTo ?? replica.authorSeqs()) {
    let from = (peerVec.get(author) ?? 0) + 1;
    if (equivocators.has(author)) {
      const forked = replica.forkedSeqs(author).filter((s) => s < from);
      const tips = options.peerForks?.get(author);
      // Each forked seq may cost a walk of the history above it: bounded like authorTips.
      if (tips && forked.length <= MAX_FORK_TIPS && tips.every((t) => replica.hasChange(t))) {
        // The peer holds its tips' pasts: at forked seqs it has seen, send only the branches they lack.
        for (const s of forked) {
          for (const id of replica.changesBySeq(author, s)) if (!replica.heldBy(tips, id)) forkBranches.add(id);
          if (slicer.due()) await slicer.pause();
        }
      } else {
        from = Math.min(from, forked[0] ?? from);
      }
    }
    ranges.set(author, { from, max });
    lacking += Math.max(0, max - from + 1);
    total += max;
  }
  // A large catch-up (a fresh device: all of it) needs no sort: the order we applied our changes in
  // is already topological, and one pass reads the rows in file order instead of by author.
  if (lacking > 0 && lacking * ARRIVAL_PASS_SHARE >= total) {
    // Without equivocators every author has one change per seq, so the count is known now and the
    // first changes can leave before the pass has read the last (a fresh device waited for all of it).
    const exact = ![...ranges.keys()].some((a) => equivocators.has(a));
    const stream = exact ? options.stream : undefined;
    stream?.({ announce: lacking });
    return inArrivalOrder(replica, ranges, forkBranches, slicer, stream);
  }
  const keys = new Map<string, Key>();
  let span = 64;
  for (const [author, { from, max }] of ranges) {
    // A range read gives the ids and their clocks (no read per seq, none per id).
    for (let s = from; s <= max; ) {
      const to = Math.min(max, s + span - 1);
      for (const k of replica.changeKeys(author, s, to)) keys.set(k.id, { wall: k.clock.wall, logical: k.clock.logical, id: k.id });
      s = to + 1;
      span = await nextSpan(span, slicer);
    }
  }
  for (const id of forkBranches) {
    const clock = keys.has(id) ? undefined : replica.appliedClock(id);
    if (clock) keys.set(id, { wall: clock.wall, logical: clock.logical, id });
  }
  return (await sortInSlices([...keys.values()], byClockThenId, slicer)).map((k) => k.id);
}

/**
 * `planCatchUp`'s plan read in one pass over our changes in arrival order:
 * the same set (an author's seqs in its range, and the fork branches), in
 * an order just as topological. The pass ends at the last change applied
 * when it began (changes keep arriving meanwhile: it must not chase them);
 * those applied between the link's `upTo` and that point are outside
 * `ranges`, except an equivocator's new branch at an old seq, which the
 * link then also sends as live (the receiver drops the duplicate).
 */
async function inArrivalOrder(
  replica: Replica,
  ranges: ReadonlyMap<string, { from: number; max: number }>,
  forkBranches: ReadonlySet<string>,
  slicer: TimeSlicer,
  stream: ((part: PlanPart) => void) | undefined,
): Promise<string[]> {
  const out: string[] = [];
  const end = replica.lastArrival();
  let span = 64;
  for (let after = 0; after < end; ) {
    const rows = replica.changesInArrival(after, Math.min(span, end - after));
    if (rows.length === 0) break;
    const part: string[] = [];
    const arrivals: number[] = [];
    for (const r of rows) {
      if (r.arrival > end) break; // positions may have gaps (a migrated log)
      const range = ranges.get(r.author);
      if ((range !== undefined && r.seq >= range.from && r.seq <= range.max) || forkBranches.has(r.id)) {
        part.push(r.id);
        arrivals.push(r.arrival);
      }
    }
    for (const id of part) out.push(id);
    if (part.length > 0) stream?.({ ids: part, arrivals });
    if (rows[rows.length - 1]!.arrival > end) break;
    after = rows[rows.length - 1]!.arrival;
    span = await nextSpan(span, slicer);
  }
  return out;
}

/**
 * Answer to `need`: the requested changes and their causal past back to what
 * the peer's vector says it has (for non-equivocating authors), or the peer's
 * heads; at most `cap` changes. Sliced like the catch-up: a lying peer can
 * ask for our heads with an empty vector and make us walk 50,000 changes.
 */
export async function planNeed(
  replica: Replica,
  requested: readonly string[],
  peerVec: ReadonlyMap<string, number>,
  peerHeads: ReadonlySet<string>,
  cap: number,
  slicer: TimeSlicer = new TimeSlicer(),
): Promise<string[]> {
  const equivocators = new Set(replica.equivocators());
  const out = new Set<string>();
  const stack = requested.filter((id) => replica.hasChange(id));
  while (stack.length > 0 && out.size < cap) {
    if (slicer.due()) await slicer.pause();
    const id = stack.pop()!;
    if (out.has(id)) continue;
    const bytes = replica.getChange(id);
    const d = bytes ? decodeChange(bytes, replica.workspace) : undefined;
    if (!d?.ok) continue;
    out.add(id);
    for (const dep of d.value.change.deps) {
      if (out.has(dep) || peerHeads.has(dep)) continue;
      const depBytes = replica.getChange(dep);
      const dd = depBytes ? decodeChange(depBytes, replica.workspace) : undefined;
      if (!dd?.ok) continue;
      const { author, seq } = dd.value.change;
      if (!equivocators.has(author) && seq <= (peerVec.get(author) ?? 0)) continue;
      stack.push(dep);
    }
  }
  return orderForDelivery(replica, out, slicer);
}
