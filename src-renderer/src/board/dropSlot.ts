/**
 * Drop positions in a windowed column. Only a few cards are in the DOM, so
 * positions come from the virtualizer's layout of every row (measured or
 * estimated), in the list's own coordinates (0 = top of the first row).
 *
 * `slotAt` is the drop index for a pointer at `y`: how many rows other than
 * the dragged one have their midpoint above it (see `dropIndex`).
 * `slotOffset` is where to draw the indicator for a slot: halfway into the
 * gap before the slot's row, or after the last row.
 */
import { dropIndex } from "./dropIndex";

export interface RowBox {
  /** Top of the row in list coordinates. */
  start: number;
  size: number;
}

export function slotAt(rows: readonly RowBox[], ids: readonly string[], draggingId: string | null, y: number): number {
  const mids: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (ids[i] === draggingId) continue;
    const row = rows[i]!;
    mids.push(row.start + row.size / 2);
  }
  return dropIndex(mids, y);
}

export function slotOffset(rows: readonly RowBox[], ids: readonly string[], draggingId: string | null, slot: number, gap: number): number {
  let seen = 0;
  let last: RowBox | null = null;
  for (let i = 0; i < rows.length; i++) {
    if (ids[i] === draggingId) continue;
    const row = rows[i]!;
    if (seen === slot) return Math.max(0, row.start - gap / 2);
    seen += 1;
    last = row;
  }
  return last ? last.start + last.size + gap / 2 : 0;
}
