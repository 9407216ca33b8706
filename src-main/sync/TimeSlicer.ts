/**
 * Cuts a long synchronous loop into slices of about `budgetMs`, with a
 * `setImmediate` turn between them, so sockets, timers and API calls run in
 * between (design Invariant 7: no block over ~50 ms). Planning a fresh
 * device's catch-up over 50,000 changes took ~200 ms in one block before.
 *
 * Usage, once per unit of work: `if (slicer.due()) await slicer.pause();`.
 * Reading the clock costs tens of ns, and the check is synchronous, so a
 * loop over 50,000 items pays no extra microtask per item.
 *
 * After each pause the `signal` is checked: the loop's owner (a peer link)
 * may have closed meanwhile and the node may be closing its store, so
 * nothing may read the replica after that (the AbortError ends the loop).
 */
/** Well under the design's ~50 ms, leaving room for GC and whatever else shares the turn. */
const DEFAULT_BUDGET_MS = 15;

export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(
    private readonly budgetMs = DEFAULT_BUDGET_MS,
    private readonly signal?: AbortSignal,
  ) {}

  /** The current slice is used up: call `pause()`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** One event-loop turn; throws the signal's reason if it was aborted meanwhile. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.signal?.throwIfAborted();
    this.sliceStart = performance.now();
  }
}
