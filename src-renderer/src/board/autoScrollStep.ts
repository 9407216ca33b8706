/**
 * Auto-scroll while dragging: how many pixels a column scrolls per frame
 * when the pointer is within `edge` px of its top or bottom. Zero outside
 * the edge zones; grows linearly to `max` at (or beyond) the very edge, so
 * a pointer held just inside the zone creeps and one at the edge races.
 * Negative scrolls up.
 */
export const AUTO_SCROLL_EDGE = 56;
export const AUTO_SCROLL_MAX = 28;

export function autoScrollStep(pointerY: number, top: number, bottom: number, edge = AUTO_SCROLL_EDGE, max = AUTO_SCROLL_MAX): number {
  if (bottom - top <= 2 * edge) edge = (bottom - top) / 3; // short columns keep a middle where nothing scrolls
  if (edge <= 0) return 0;
  const fromTop = pointerY - top;
  const fromBottom = bottom - pointerY;
  if (fromTop < edge) return -Math.ceil(max * Math.min(1, (edge - fromTop) / edge));
  if (fromBottom < edge) return Math.ceil(max * Math.min(1, (edge - fromBottom) / edge));
  return 0;
}
