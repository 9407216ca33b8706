/**
 * When `SqliteReplicaStore` writes the story rows it holds (see its header):
 * once no received batch came for `idleMs` — counted from the last batch,
 * not from its group's commit — or at once after a `caughtUp` hint (a
 * peer's catch-up is applied: no batch is expected), then one slice per
 * event-loop turn until none is held. Slices run one immediate apart (a 0 ms
 * timer idles ≥ 1 ms each), so every other turn still runs in between. A
 * slice that throws is tried again after `RETRY_MS` (the rows stay held).
 */

const RETRY_MS = 1_000;

export interface StoryDrainWork {
  /** Story rows are held (and the database is open). */
  pending(): boolean;
  /** A transaction is open (a group of received batches, or any other): writing now would join it. */
  blocked(): boolean;
  /** Writes held rows for one slice; may throw. */
  slice(): void;
}

export class StoryDrainTimer {
  /** Cancels the next step: a timer, or an immediate between slices. */
  private next: (() => void) | null = null;
  private lastBatch = 0;
  private hinted = false;

  constructor(
    private readonly work: StoryDrainWork,
    private readonly idleMs: number,
  ) {}

  /** A received batch was applied: wait for the pause after it again. */
  batchReceived(): void {
    this.lastBatch = performance.now();
    this.hinted = false;
  }

  /** A peer's catch-up is applied: start from the next turn instead of waiting out the pause. */
  caughtUp(): void {
    this.hinted = true;
    this.cancel();
    this.schedule("slice");
  }

  /** Stops the next step (the caller drains itself, or is closing). */
  cancel(): void {
    this.next?.();
    this.next = null;
  }

  /** Arms the next step unless one is armed or nothing is held. */
  schedule(next: "wait" | "slice" = "wait", retryMs = 0): void {
    if (this.next !== null || !this.work.pending()) return;
    const step = (): void => {
      this.next = null;
      if (!this.work.pending()) return;
      // (A catch-up still running would touch the same stories again.)
      if (this.work.blocked() || (!this.hinted && performance.now() - this.lastBatch < this.idleMs)) return this.schedule();
      try {
        this.work.slice();
      } catch {
        return this.schedule("wait", RETRY_MS);
      }
      this.schedule("slice");
    };
    if (next === "slice") {
      const immediate = setImmediate(step);
      this.next = () => clearImmediate(immediate);
    } else {
      const idle = this.hinted ? 0 : this.idleMs - (performance.now() - this.lastBatch);
      const timer = setTimeout(step, Math.max(retryMs, idle, 0));
      this.next = () => clearTimeout(timer);
    }
  }
}
