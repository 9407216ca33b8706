/**
 * Sorts a large array without one long block: runs of `RUN` items are sorted
 * one at a time, then merged through a binary heap of run heads, pausing
 * whenever the slicer's budget is used up. Same result as `items.sort(compare)`
 * for a total order (ties resolved by run index, then position: stable).
 *
 * Why not one `Array.prototype.sort`: 50,000 catch-up keys sort in tens of
 * ms, a few hundred thousand in well over the 50 ms the design allows.
 */
import type { TimeSlicer } from "./TimeSlicer";

const RUN = 4_096;

export async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, slicer: TimeSlicer): Promise<T[]> {
  if (items.length <= RUN) return [...items].sort(compare);
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += RUN) {
    runs.push(items.slice(i, i + RUN).sort(compare));
    if (slicer.due()) await slicer.pause();
  }
  // Heap of run indices, ordered by each run's current head.
  const at = runs.map(() => 0);
  const head = (r: number): T => runs[r]![at[r]!]!;
  const less = (x: number, y: number): boolean => {
    const c = compare(head(x), head(y));
    return c < 0 || (c === 0 && x < y);
  };
  const heap = runs.map((_, i) => i);
  const down = (from: number): void => {
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  const out: T[] = new Array<T>(items.length);
  for (let n = 0; heap.length > 0; n++) {
    const r = heap[0]!;
    out[n] = head(r);
    at[r] = at[r]! + 1;
    if (at[r]! >= runs[r]!.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length > 0) down(0);
    if ((n & 1023) === 0 && slicer.due()) await slicer.pause();
  }
  return out;
}
