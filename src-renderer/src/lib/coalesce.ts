/**
 * Collapses bursts of requests for one async task: at most one run at a time,
 * and any number of requests made while it runs cause exactly one more run
 * afterwards (the data may have changed after the running fetch started).
 * `request()` resolves when a run that started after the request finishes.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const run = (): Promise<void> => {
    running = task()
      .catch(() => {
        // The task reports its own failures; the coalescer only sequences.
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  return () => {
    if (!running) return run();
    next ??= running.then(() => {
      next = null;
      return run();
    });
    return next;
  };
}
