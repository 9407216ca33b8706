/**
 * Clocks. Two kinds, and only one of them orders anything:
 *
 * - A change's **claimed** clock (`change.clock`) is what its author says:
 *   any `{ wall, logical }` in range is valid. It is information, never a
 *   validity rule: a peer that claims the year 285,000 harms nobody.
 * - Its **effective** clock (`effectiveClock`) is derived by every replica
 *   from the claim and the effective clocks of its deps, so it depends only
 *   on the change and its causal past (design invariant 2):
 *     lo   = the greatest effective clock among the deps;
 *     wall = the claimed wall clamped to [lo.wall, lo.wall + MAX_CLOCK_STEP_MS]
 *            (a change with no deps keeps its claimed wall);
 *     logical = lo.logical + 1 when wall = lo.wall, else 0.
 *   This is a hybrid logical clock (Kulkarni et al. 2014) computed by the
 *   receiver instead of trusted from the sender. For honest authors it is
 *   exactly the HLC they would have computed. It is strictly greater than
 *   every dep's (so it orders causally), and it can never overflow: `wall`
 *   is a clamp, not a sum, and `logical` grows by one per causal step. So no
 *   set of valid changes can make a local write impossible (invariant 8), and
 *   one change can move the workspace's notion of time forward by at most
 *   MAX_CLOCK_STEP_MS — a peer must write N changes to push it N days ahead,
 *   and even then only the wall-time order of concurrent edits degrades to
 *   causal-depth order until real time catches up.
 *
 * Effective clocks are totally ordered by (wall, logical) and then by author
 * and change id (see `compareStamp`): LWW registers, hide/unhide, claims and
 * memcell precedence all use them. Pure functions over values.
 */
export interface Hlc {
  readonly wall: number;
  readonly logical: number;
}

/**
 * An effective clock plus the change that carries it: the total order used by
 * LWW registers. The id breaks the one tie author cannot: an equivocating
 * author's two changes may carry equal clocks, and without it the first to
 * arrive would win (arrival order must never decide).
 */
export interface Stamp extends Hlc {
  readonly author: string;
  readonly id: string;
}

export const ZERO_HLC: Hlc = { wall: 0, logical: 0 };

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall - b.wall || a.logical - b.logical;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** (clock, author, change id): deterministic on every replica, never a tie between two changes. */
export function compareStamp(a: Stamp, b: Stamp): number {
  return compareHlc(a, b) || compareText(a.author, b.author) || compareText(a.id, b.id);
}

export function maxHlc(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

/** How far past its deps' effective clocks one change may move the effective wall (ms). */
export const MAX_CLOCK_STEP_MS = 24 * 60 * 60 * 1000;

/** The effective clock of a change claiming `claimed`, whose deps have the effective clocks `deps`. */
export function effectiveClock(claimed: Hlc, deps: readonly Hlc[]): Hlc {
  if (deps.length === 0) return { wall: claimed.wall, logical: 0 };
  let lo = deps[0]!;
  for (const d of deps) if (compareHlc(d, lo) > 0) lo = d;
  const wall = Math.min(Math.max(claimed.wall, lo.wall), lo.wall + MAX_CLOCK_STEP_MS);
  return wall === lo.wall ? { wall, logical: lo.logical + 1 } : { wall, logical: 0 };
}
