/**
 * Where hide/unhide marks of memcells are kept, keyed by memcell id. Marks
 * are separate from `MemoryStore` on purpose: a memcell's content is
 * immutable and derived from its messages; visibility is a user decision
 * that replicates on its own (a LWW mark per direction, see
 * `VisibilityStamp.ts`).
 *
 * Invariant: `record` keeps the LATER of the stored and the given stamp for
 * that direction, so applying marks in any order converges.
 */
import type { VisibilityMarks, VisibilityStamp } from "./VisibilityStamp";

export interface HideMarks {
  get(memCellId: string): VisibilityMarks;
  record(memCellId: string, direction: "hide" | "unhide", stamp: VisibilityStamp): void;
}
