/**
 * Runs `fn` at most once per `intervalMs`: the first call of a quiet period
 * runs at once (a status change shows without delay), calls within the
 * interval collapse into one trailing run at its end (so the last state is
 * always delivered). Used for `sync/changed`: progress during a large
 * catch-up changes the status every few ms, and every event is pushed to
 * every window and browser tab.
 */
export interface Throttled {
  call(): void;
  /** Drops a pending trailing run; later calls start again. */
  cancel(): void;
}

export function throttle(fn: () => void, intervalMs: number): Throttled {
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const run = (): void => {
    timer = undefined;
    last = performance.now();
    fn();
  };
  return {
    call: () => {
      if (timer !== undefined) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) return run();
      timer = setTimeout(run, wait);
      // A pending status push must not keep a finished process alive.
      timer.unref();
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
