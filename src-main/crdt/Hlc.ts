/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014).
 *
 * A timestamp is `{ wall, logical }`: `wall` is the largest physical time (ms)
 * this clock has heard of, `logical` counts events within that millisecond.
 * Timestamps are totally ordered by (wall, logical) and, where a total order
 * between changes is needed, then by author (see `compareStamp`).
 *
 * Invariants:
 * - `send` returns a timestamp strictly greater than the state it advances;
 *   `receive` returns one strictly greater than both the state and the
 *   received timestamp. So a change's clock exceeds the clocks of its deps.
 * - The wall clock is injected and only ever *raises* a timestamp: a remote
 *   timestamp far in the future is adopted, never rejected (rejecting by the
 *   local clock would make validity depend on which replica looks).
 * - Pure functions over values; the state lives in whoever calls them.
 */
export interface Hlc {
  readonly wall: number;
  readonly logical: number;
}

/** An HLC plus the author that wrote it: the total order used by LWW registers. */
export interface Stamp extends Hlc {
  readonly author: string;
}

export const ZERO_HLC: Hlc = { wall: 0, logical: 0 };

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall - b.wall || a.logical - b.logical;
}

/** (clock, then author): deterministic on every replica, never a tie between authors. */
export function compareStamp(a: Stamp, b: Stamp): number {
  return compareHlc(a, b) || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0);
}

export function maxHlc(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

/** Local event (or send): strictly greater than `state`. */
export function hlcSend(state: Hlc, now: number): Hlc {
  const pt = Math.floor(now);
  if (pt > state.wall) return { wall: pt, logical: 0 };
  return { wall: state.wall, logical: state.logical + 1 };
}

/** Receive `msg`: strictly greater than both `state` and `msg`. */
export function hlcReceive(state: Hlc, msg: Hlc, now: number): Hlc {
  const pt = Math.floor(now);
  const wall = Math.max(state.wall, msg.wall, pt);
  let logical: number;
  if (wall === state.wall && wall === msg.wall) logical = Math.max(state.logical, msg.logical) + 1;
  else if (wall === state.wall) logical = state.logical + 1;
  else if (wall === msg.wall) logical = msg.logical + 1;
  else logical = 0;
  return { wall, logical };
}
