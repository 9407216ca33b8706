/**
 * Multi-value registers: a last-writer-wins register that also keeps the
 * concurrent writes that lost, so nothing is lost silently (design
 * invariant 10).
 *
 * The rule (deterministic, whatever the delivery order):
 *   the register holds the MAXIMAL writes — every write to it that is not
 *   in the causal past of another write to it. A new write W (delivered
 *   causally, so no held write can have W in its past) replaces the held
 *   writes in W's causal past and joins the rest:
 *     held' = {W} ∪ { h ∈ held : h's change ∉ past(W) }.
 *   The set of maximal writes of a set of writes does not depend on the
 *   order they arrived in, so every replica holding the same changes holds
 *   the same set. The winner (`value`/`stamp`) is the held write with the
 *   greatest stamp — exactly the old LWW winner, since an effective clock
 *   is greater than every clock in its causal past.
 * - Two ops of one change on one register: the later op replaces the
 *   earlier (same change id), as before.
 * - A conflict is resolved by a write that has every held write in its past:
 *   any ordinary local write does (it cites all heads).
 * - Bound: at most MAX_HELD writes are held (the greatest stamps). Only
 *   more than MAX_HELD mutually concurrent writers to one field can exceed
 *   it; then which losers are listed may differ between replicas (the
 *   winner never does). That keeps a write O(MAX_HELD), never O(writers).
 *
 * Records written by older builds have no `others`: treated as none.
 */
import { compareStamp, type Stamp } from "./Hlc";

export const MAX_HELD = 16;

export interface Write<T> {
  value: T;
  stamp: Stamp;
}

/** The winner in place (`value`, `stamp`), the other held writes in `others`, greatest stamp first. */
export interface Lww<T> {
  value: T;
  stamp: Stamp;
  others?: Write<T>[];
}

/** Every held write, the winner first. */
export function heldWrites<T>(reg: Lww<T>): Write<T>[] {
  return [{ value: reg.value, stamp: reg.stamp }, ...(reg.others ?? [])];
}

/**
 * Applies a write made by change `stamp.id`; `past(changeId)` answers
 * whether a change is in that change's causal past. Returns true when the
 * register changed (winner or held set).
 */
export function writeMv<T>(reg: Lww<T>, value: T, stamp: Stamp, past: (changeId: string) => boolean): boolean {
  const before = heldWrites(reg);
  const kept = before.filter((w) => w.stamp.id !== stamp.id && !past(w.stamp.id));
  kept.push({ value, stamp });
  kept.sort((a, b) => compareStamp(b.stamp, a.stamp));
  if (kept.length > MAX_HELD) kept.length = MAX_HELD;
  const [win, ...others] = kept;
  const changed = before.length !== kept.length || before.some((w, i) => w.stamp.id !== kept[i]!.stamp.id);
  reg.value = win!.value;
  reg.stamp = win!.stamp;
  if (others.length > 0) reg.others = others;
  else delete reg.others;
  return changed;
}

/** A fresh register for `value` written at `stamp`, or `reg` written (when it exists). */
export function writeOptionalMv<T>(reg: Lww<T> | undefined, value: T, stamp: Stamp, past: (changeId: string) => boolean): { reg: Lww<T>; changed: boolean } {
  if (reg === undefined) return { reg: { value, stamp }, changed: true };
  return { reg, changed: writeMv(reg, value, stamp, past) };
}
