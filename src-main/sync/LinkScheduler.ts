/**
 * The clocks and turns a PeerLink uses, injected so the state machine's
 * driver can run on the real event loop (`realLinkScheduler`) or be stepped
 * by hand in deterministic tests.
 */
export interface LinkScheduler {
  /** Wall-clock ms (status `lastSeen`, handshake and ping deadlines). */
  wallNow(): number;
  /** Monotonic ms, sub-millisecond (apply-turn budgets). */
  monoNow(): number;
  /** Runs `fn` on a later turn of the event loop, after I/O. */
  soon(fn: () => void): void;
  /** Runs `fn` at wall time `at` (or soon after); the result cancels it. Never keeps the process alive. */
  at(at: number, fn: () => void): () => void;
}

export function realLinkScheduler(): LinkScheduler {
  return {
    wallNow: () => Date.now(),
    monoNow: () => performance.now(),
    soon: (fn) => void setImmediate(fn),
    at: (at, fn) => {
      const timer = setTimeout(fn, Math.max(0, at - Date.now()));
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
