/**
 * A second family of state folded from the same signed changes as the board
 * (today: sessions, messages and memcells — `memory/MemoryReducer`). The
 * replica stays the one place that orders, verifies and stores changes;
 * a reducer only decides validity of its own ops and applies them.
 *
 * Contract (the same as the board's, or replicas diverge):
 * - `validate` decides ONLY from the change and its causal past (`past`
 *   answers "is this change id in the causal past of the change being
 *   validated"); it returns a reason to reject, or null;
 * - `apply` runs inside the replica's store transaction, right after the
 *   board's writes, and never throws for a change `validate` accepted;
 * - applying concurrent changes in any order yields the same state.
 */
import type { Change } from "./Change";
import type { Hlc } from "./Hlc";

export interface ChangeReducer {
  /** `clock` is the change's effective clock (membership judges invite expiry by it). */
  validate(id: string, change: Change, past: (changeId: string) => boolean, clock: Hlc): string | null;
  /** `clock` is the change's effective clock: order by it, never by `change.clock` (a claim). */
  apply(id: string, change: Change, clock: Hlc): void;
}
