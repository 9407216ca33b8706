/**
 * An async mutex per session id.
 *
 * Why: memorize reads the pending buffer, awaits a detector (possibly a slow
 * LLM), then replaces the buffer. Two unserialized calls on one session both
 * read the same buffer and the later write drops the earlier call's messages
 * (the everos regression). Holding this lock across the whole
 * read → detect → commit makes that impossible.
 *
 * Invariants:
 * - calls for one id run one at a time, in arrival order (FIFO);
 * - calls for different ids never wait for each other;
 * - an id's entry exists only while a call holds or awaits its lock, so memory
 *   does not grow with the number of sessions ever seen (`size` is 0 when idle);
 * - a failing call releases the lock like a succeeding one and its error
 *   reaches only its own caller.
 */
export class SessionLocks {
  /** id → promise that settles when the LAST queued holder releases. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(sessionId);
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The chain only ever resolves (never rejects): errors stay with their caller.
    const tail = previous === undefined ? mine : previous.then(() => mine);
    this.tails.set(sessionId, tail);
    try {
      if (previous !== undefined) await previous;
      return await fn();
    } finally {
      release();
      // Only the last holder in the queue may delete the entry; anyone queued
      // behind us has replaced `tail` already.
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId);
    }
  }

  /** Number of session ids with a held or awaited lock (0 when idle). */
  get size(): number {
    return this.tails.size;
  }
}
