/**
 * Where a dragged card lands in a column: the number of other cards whose
 * vertical midpoint lies above the pointer. The dragged card itself must be
 * left out of `midpoints`, which matches `story/move`'s `index` ("position
 * among the other visible stories of the target stage").
 */
export function dropIndex(midpoints: readonly number[], pointerY: number): number {
  let index = 0;
  for (const mid of midpoints) if (mid < pointerY) index += 1;
  return index;
}
